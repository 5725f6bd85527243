package org.clientproxy.core;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests forwarded and not answered yet, keyed by requester and id, with the caps on how
 * many one requester and the whole proxy may have. Lock-free: each request leaves through exactly
 * one successful {@link #complete} (the one that answers it) or is handed on by {@link #replace}.
 */
final class OutstandingRequests {

    enum Admission { ADMITTED, REQUESTER_CAP, PROXY_CAP, DUPLICATE_ID }

    private record Key(String requester, String id) {
    }

    private final ConcurrentHashMap<Key, PendingRequest> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perRequester = new ConcurrentHashMap<>();

    /** Adds {@code request} unless a cap is reached or the requester already waits on that id. */
    Admission add(PendingRequest request, int maxPerRequester, int maxOutstanding) {
        // Under concurrent adds the proxy cap may be passed by a few; it is a safety limit, not a quota.
        if (requests.mappingCount() >= maxOutstanding) {
            return Admission.PROXY_CAP;
        }
        if (perRequester.merge(request.requester, 1, Integer::sum) > maxPerRequester) {
            release(request.requester);
            return Admission.REQUESTER_CAP;
        }
        // Counted on its resource before it can be found, so that a fast answer never counts below zero.
        request.resource.outstanding.incrementAndGet();
        if (requests.putIfAbsent(new Key(request.requester, request.id), request) != null) {
            request.resource.outstanding.decrementAndGet();
            release(request.requester);
            return Admission.DUPLICATE_ID;
        }
        return Admission.ADMITTED;
    }

    PendingRequest get(String requester, String id) {
        return requests.get(new Key(requester, id));
    }

    /** Removes {@code request}; returns whether this call did, so that the caller owns its answer. */
    boolean complete(PendingRequest request) {
        if (!requests.remove(new Key(request.requester, request.id), request)) {
            return false;
        }
        request.resource.outstanding.decrementAndGet();
        release(request.requester);
        return true;
    }

    /** Hands {@code request} on to {@code next}; returns whether this call did. */
    boolean replace(PendingRequest request, PendingRequest next) {
        next.resource.outstanding.incrementAndGet();
        if (!requests.replace(new Key(request.requester, request.id), request, next)) {
            next.resource.outstanding.decrementAndGet();
            return false;
        }
        request.resource.outstanding.decrementAndGet();
        return true;
    }

    /** A weakly consistent view, for sweeps; answer an entry only after {@link #complete} succeeded. */
    Collection<PendingRequest> all() {
        return requests.values();
    }

    int size() {
        return requests.size();
    }

    private void release(String requester) {
        perRequester.computeIfPresent(requester, (key, count) -> count == 1 ? null : count - 1);
    }
}
