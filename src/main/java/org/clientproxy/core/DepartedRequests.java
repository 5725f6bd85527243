package org.clientproxy.core;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests dropped because their requester's session ended, kept until the implementing client
 * answers them or their deadline passes. A new session of the same full JID may reuse their ids,
 * and the implementing client's late answer would then look like the answer to the new request:
 * so that answer is recognised here and dropped, and a new request with such an id is refused
 * meanwhile. Each is recorded before it leaves {@link OutstandingRequests}, so a new request with
 * its id is either refused as a duplicate there or found here.
 */
final class DepartedRequests {
    private record Key(String requester, String id) {
    }

    private final ConcurrentHashMap<Key, PendingRequest> departed = new ConcurrentHashMap<>();

    /** Records {@code pending} as departing; call before completing it, and {@link #cancel} if that fails. */
    void add(PendingRequest pending) {
        departed.put(new Key(pending.requester, pending.id), pending);
    }

    void cancel(PendingRequest pending) {
        departed.remove(new Key(pending.requester, pending.id), pending);
    }

    /** Whether a departed request of {@code requester} still waits on {@code id}; no work while there is none. */
    boolean holds(String requester, String id) {
        return !departed.isEmpty() && departed.containsKey(new Key(requester, id));
    }

    /**
     * Whether a reply is the answer to a departed request (same requester and id, from the
     * resource that was asked); if so it is forgotten, and the reply must be dropped.
     */
    boolean takeReply(String requester, String id, String from) {
        if (departed.isEmpty()) {
            return false;
        }
        Key key = new Key(requester, id);
        PendingRequest pending = departed.get(key);
        return pending != null && pending.resource.addressString.equals(from) && departed.remove(key, pending);
    }

    /** Forgets those whose deadline has passed: their answer would be dropped as late anyway. */
    void expire(long nowNanos) {
        if (!departed.isEmpty()) {
            departed.values().removeIf(pending -> nowNanos - pending.deadlineNanos >= 0);
        }
    }

    /** Forgets those held by resources that went offline: no answer will come from them. */
    void resourcesGone(Collection<OnlineResources.Resource> gone) {
        if (!departed.isEmpty()) {
            departed.values().removeIf(pending -> gone.contains(pending.resource));
        }
    }

    void clear() {
        departed.clear();
    }

    int size() {
        return departed.size();
    }
}
