package org.clientproxy.core;

import java.time.Duration;

import org.xmpp.packet.JID;

/**
 * Keeps a proxy's outstanding requests where another instance can take them over if this one
 * goes away ({@link ClientProxy#adopt}): in Openfire, a cache the members of a cluster share.
 * A request is sent only once the journal holds it, so that whatever reaches the implementing
 * client can be answered by the next instance. Called on the threads that forward and answer: an
 * implementation must not block them.
 */
public interface RequestJournal {
    /** Keeps nothing (a proxy that is not in a cluster): a request is sent at once. */
    RequestJournal NONE = new RequestJournal() {
        @Override
        public void forwarded(String requester, String id, JID service, JID resource, Duration remaining,
                              Forward forward) {
            forward.send();
        }

        @Override
        public void settled(String requester, String id) {
        }
    };

    /**
     * A request was admitted, or a get is re-sent to another resource: the journal keeps it, then
     * calls {@code forward.send()}, on a thread of its own ({@link #NONE}: at once, on the caller's).
     *
     * @param requester the requester's full JID, canonical, as the translated address carries it
     * @param id        the request's id
     * @param service   the address the request was sent to, where its answer must come from
     * @param resource  the target's resource it goes to, the only one that may answer it
     * @param remaining how long until it times out
     * @param forward   sends it; a request answered meanwhile (its requester left, say) need not be kept
     */
    void forwarded(String requester, String id, JID service, JID resource, Duration remaining, Forward forward);

    /** The request has its answer (a reply, an error or the timeout): nobody else may answer it. */
    void settled(String requester, String id);

    /** An admitted request on its way to a resource, once its journal holds it. */
    interface Forward {
        /** Whether it still waits for its answer: one answered meanwhile is neither kept nor sent. */
        boolean outstanding();

        /** Sends it to its resource, unless it was answered meanwhile. */
        void send();
    }
}
