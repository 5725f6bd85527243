package org.clientproxy.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * The requests forwarded and not answered yet, by requester and id, with the caps on how many one
 * requester and the whole proxy may have. Each requester's requests are an immutable array,
 * replaced under the map's lock for that requester only: one map operation per request and per
 * answer, no key object per request, and the array's length is the per-requester count (see
 * BENCHMARKS.md for what this saved over a map of (requester, id) keys beside a map of counts).
 * Each request leaves through exactly one successful {@link #complete} (the one that answers it)
 * or is handed on by {@link #replace}.
 */
final class OutstandingRequests {

    enum Admission { ADMITTED, REQUESTER_CAP, PROXY_CAP, DUPLICATE_ID }

    private static final PendingRequest[] NONE = new PendingRequest[0];

    private final ConcurrentHashMap<String, PendingRequest[]> byRequester = new ConcurrentHashMap<>();
    private final LongAdder count = new LongAdder();

    /** Adds {@code request} unless a cap is reached or the requester already waits on that id. */
    Admission add(PendingRequest request, int maxPerRequester, int maxOutstanding) {
        // Under concurrent adds the proxy cap may be passed by a few; it is a safety limit, not a quota.
        if (count.sum() >= maxOutstanding) {
            return Admission.PROXY_CAP;
        }
        Adding adding = new Adding(request, maxPerRequester);
        byRequester.compute(request.requester, adding);
        if (adding.outcome == Admission.ADMITTED) {
            count.increment();
        }
        return adding.outcome;
    }

    /** The remapping that adds one request to its requester's array, and says how it went. */
    private static final class Adding implements BiFunction<String, PendingRequest[], PendingRequest[]> {
        final PendingRequest request;
        final int maxPerRequester;
        Admission outcome;

        Adding(PendingRequest request, int maxPerRequester) {
            this.request = request;
            this.maxPerRequester = maxPerRequester;
        }

        @Override
        public PendingRequest[] apply(String requester, PendingRequest[] current) {
            PendingRequest[] pending = current == null ? NONE : current;
            if (pending.length >= maxPerRequester) {
                outcome = Admission.REQUESTER_CAP;
                return current;
            }
            if (indexOf(pending, request.id) >= 0) {
                outcome = Admission.DUPLICATE_ID;
                return current;
            }
            // Counted on its resource before it can be found, so that a fast answer never counts below zero.
            request.resource.outstanding.incrementAndGet();
            outcome = Admission.ADMITTED;
            PendingRequest[] next = Arrays.copyOf(pending, pending.length + 1);
            next[pending.length] = request;
            return next;
        }
    }

    PendingRequest get(String requester, String id) {
        PendingRequest[] pending = byRequester.get(requester);
        int index = pending == null ? -1 : indexOf(pending, id);
        return index < 0 ? null : pending[index];
    }

    /** Removes {@code request}; returns whether this call did, so that the caller owns its answer. */
    boolean complete(PendingRequest request) {
        boolean[] removed = {false};
        byRequester.computeIfPresent(request.requester, (requester, pending) -> {
            int index = indexOfSame(pending, request);
            if (index < 0) {
                return pending;
            }
            removed[0] = true;
            if (pending.length == 1) {
                return null;
            }
            PendingRequest[] next = new PendingRequest[pending.length - 1];
            System.arraycopy(pending, 0, next, 0, index);
            System.arraycopy(pending, index + 1, next, index, pending.length - index - 1);
            return next;
        });
        if (removed[0]) {
            request.resource.outstanding.decrementAndGet();
            count.decrement();
        }
        return removed[0];
    }

    /** Hands {@code request} on to {@code next}; returns whether this call did. */
    boolean replace(PendingRequest request, PendingRequest next) {
        boolean[] replaced = {false};
        byRequester.computeIfPresent(request.requester, (requester, pending) -> {
            int index = indexOfSame(pending, request);
            if (index < 0) {
                return pending;
            }
            replaced[0] = true;
            next.resource.outstanding.incrementAndGet();
            PendingRequest[] updated = pending.clone();
            updated[index] = next;
            return updated;
        });
        if (replaced[0]) {
            request.resource.outstanding.decrementAndGet();
        }
        return replaced[0];
    }

    /** A snapshot for sweeps; answer an entry only after {@link #complete} succeeded. */
    Collection<PendingRequest> all() {
        List<PendingRequest> all = new ArrayList<>(size());
        for (PendingRequest[] pending : byRequester.values()) {
            all.addAll(Arrays.asList(pending));
        }
        return all;
    }

    int size() {
        return (int) Math.max(0, count.sum());
    }

    private static int indexOf(PendingRequest[] pending, String id) {
        for (int i = 0; i < pending.length; i++) {
            if (pending[i].id.equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfSame(PendingRequest[] pending, PendingRequest request) {
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] == request) {
                return i;
            }
        }
        return -1;
    }
}
