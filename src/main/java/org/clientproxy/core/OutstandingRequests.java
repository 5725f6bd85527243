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
 * requester and the whole proxy may have. Each requester maps to its requests, changed under the
 * map's lock for that requester only: one map operation per request and per answer, and no key
 * object per request (see BENCHMARKS.md for what this saved over a map of (requester, id) keys
 * beside a map of counts). A requester's few requests are an immutable array, replaced on each
 * change; from {@link #ARRAY_LIMIT} on they move to a map by id, so that a requester allowed
 * thousands does not make each request cost a scan and a copy of all of them. Each request
 * leaves through exactly one successful {@link #complete} (the one that answers it) or is handed
 * on by {@link #replace}.
 */
final class OutstandingRequests {

    enum Admission { ADMITTED, REQUESTER_CAP, PROXY_CAP, DUPLICATE_ID }

    /** The most requests a requester's array holds; one more and they move to a {@link ById}. */
    static final int ARRAY_LIMIT = 16;

    private static final PendingRequest[] NONE = new PendingRequest[0];

    /** A requester's requests once there are many, by id; changed only under the outer map's lock. */
    private static final class ById extends ConcurrentHashMap<String, PendingRequest> {
    }

    /** Each requester's requests: a {@code PendingRequest[]} or a {@link ById}. */
    private final ConcurrentHashMap<String, Object> byRequester = new ConcurrentHashMap<>();
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

    /** The remapping that adds one request to its requester's requests, and says how it went. */
    private static final class Adding implements BiFunction<String, Object, Object> {
        final PendingRequest request;
        final int maxPerRequester;
        Admission outcome;

        Adding(PendingRequest request, int maxPerRequester) {
            this.request = request;
            this.maxPerRequester = maxPerRequester;
        }

        @Override
        public Object apply(String requester, Object current) {
            if (current instanceof ById many) {
                if (many.size() >= maxPerRequester) {
                    outcome = Admission.REQUESTER_CAP;
                } else if (many.containsKey(request.id)) {
                    outcome = Admission.DUPLICATE_ID;
                } else {
                    admit();
                    many.put(request.id, request);
                }
                return many;
            }
            PendingRequest[] few = current == null ? NONE : (PendingRequest[]) current;
            if (few.length >= maxPerRequester) {
                outcome = Admission.REQUESTER_CAP;
                return current;
            }
            if (indexOf(few, request.id) >= 0) {
                outcome = Admission.DUPLICATE_ID;
                return current;
            }
            admit();
            if (few.length < ARRAY_LIMIT) {
                PendingRequest[] next = Arrays.copyOf(few, few.length + 1);
                next[few.length] = request;
                return next;
            }
            ById many = new ById();
            for (PendingRequest pending : few) {
                many.put(pending.id, pending);
            }
            many.put(request.id, request);
            return many;
        }

        private void admit() {
            // Counted on its resource before it can be found, so that a fast answer never counts below zero.
            request.resource.outstanding.incrementAndGet();
            outcome = Admission.ADMITTED;
        }
    }

    PendingRequest get(String requester, String id) {
        Object pending = byRequester.get(requester);
        if (pending instanceof ById many) {
            return many.get(id);
        }
        if (pending instanceof PendingRequest[] few) {
            int index = indexOf(few, id);
            return index < 0 ? null : few[index];
        }
        return null;
    }

    /** The requests of one requester right now (a snapshot); empty when it has none. */
    List<PendingRequest> of(String requester) {
        Object pending = byRequester.get(requester);
        if (pending instanceof ById many) {
            return List.copyOf(many.values());
        }
        // An array is never changed once in the map: every change puts a new one.
        return pending instanceof PendingRequest[] few ? List.of(few) : List.of();
    }

    /** Removes {@code request}; returns whether this call did, so that the caller owns its answer. */
    boolean complete(PendingRequest request) {
        boolean[] removed = {false};
        byRequester.computeIfPresent(request.requester, (requester, pending) -> {
            if (pending instanceof ById many) {
                removed[0] = many.remove(request.id, request);
                return many.isEmpty() ? null : many;
            }
            PendingRequest[] few = (PendingRequest[]) pending;
            int index = indexOfSame(few, request);
            if (index < 0) {
                return few;
            }
            removed[0] = true;
            if (few.length == 1) {
                return null;
            }
            PendingRequest[] next = new PendingRequest[few.length - 1];
            System.arraycopy(few, 0, next, 0, index);
            System.arraycopy(few, index + 1, next, index, few.length - index - 1);
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
            if (pending instanceof ById many) {
                if (many.get(request.id) == request) {
                    replaced[0] = true;
                    next.resource.outstanding.incrementAndGet();
                    many.put(request.id, next);
                }
                return many;
            }
            PendingRequest[] few = (PendingRequest[]) pending;
            int index = indexOfSame(few, request);
            if (index < 0) {
                return few;
            }
            replaced[0] = true;
            next.resource.outstanding.incrementAndGet();
            PendingRequest[] updated = few.clone();
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
        for (Object pending : byRequester.values()) {
            if (pending instanceof ById many) {
                all.addAll(many.values());
            } else {
                all.addAll(Arrays.asList((PendingRequest[]) pending));
            }
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
