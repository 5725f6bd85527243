package org.clientproxy.core;

import java.time.Duration;

import org.xmpp.packet.JID;

/**
 * Told of each request a proxy forwards and of each it settles, so that something outside the
 * proxy (in Openfire, a cache the members of a cluster share) can hand the outstanding requests
 * to another instance if this one goes away ({@link ClientProxy#adopt}). Called on the threads
 * that forward and answer: an implementation must not block.
 */
public interface RequestJournal {
    /** Keeps nothing: a proxy that is not in a cluster. */
    RequestJournal NONE = new RequestJournal() {
        @Override
        public void forwarded(String requester, String id, JID service, JID resource, Duration remaining) {
        }

        @Override
        public void settled(String requester, String id) {
        }
    };

    /**
     * A request was admitted and is about to be forwarded.
     *
     * @param requester the requester's full JID, canonical, as the translated address carries it
     * @param id        the request's id
     * @param service   the address the request was sent to, where its answer must come from
     * @param resource  the target's resource it goes to, the only one that may answer it
     * @param remaining how long until it times out
     */
    void forwarded(String requester, String id, JID service, JID resource, Duration remaining);

    /** The request has its answer (a reply, an error or the timeout): nobody else may answer it. */
    void settled(String requester, String id);
}
