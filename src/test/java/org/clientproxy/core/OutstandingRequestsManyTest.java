package org.clientproxy.core;

import static org.clientproxy.core.OutstandingRequests.Admission.ADMITTED;
import static org.clientproxy.core.OutstandingRequests.Admission.DUPLICATE_ID;
import static org.clientproxy.core.OutstandingRequests.Admission.REQUESTER_CAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** A requester with more requests than an array holds: the same rules, by id. */
class OutstandingRequestsManyTest {
    private static final int NO_CAP = Integer.MAX_VALUE;
    private static final int MANY = 3 * OutstandingRequests.ARRAY_LIMIT;
    private static final String REQUESTER = "u@example.org/r";

    private final OutstandingRequests outstanding = new OutstandingRequests();
    private final OnlineResources.Resource a = new OnlineResources.Resource(new JID("svc@example.org/a"), Instant.EPOCH);
    private final OnlineResources.Resource b = new OnlineResources.Resource(new JID("svc@example.org/b"), Instant.EPOCH);

    private PendingRequest request(String id, OnlineResources.Resource resource) {
        return new PendingRequest(REQUESTER, id, new JID("proxy.example.org"), null, resource, 0, 1_000);
    }

    private List<PendingRequest> addMany() {
        List<PendingRequest> added = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            PendingRequest request = request("id" + i, a);
            assertEquals(ADMITTED, outstanding.add(request, MANY, NO_CAP), "request " + i);
            added.add(request);
        }
        return added;
    }

    @Test
    void eachIsFoundCountedAndAnsweredOnce() {
        List<PendingRequest> added = addMany();

        assertEquals(MANY, outstanding.size());
        assertEquals(MANY, a.outstanding.get());
        assertEquals(new HashSet<>(added), new HashSet<>(outstanding.all()));
        for (PendingRequest request : added) {
            assertSame(request, outstanding.get(REQUESTER, request.id));
        }
        assertNull(outstanding.get(REQUESTER, "unknown"));
        for (PendingRequest request : added) {
            assertTrue(outstanding.complete(request));
            assertFalse(outstanding.complete(request), "a second complete");
            assertNull(outstanding.get(REQUESTER, request.id));
        }
        assertEquals(0, outstanding.size());
        assertEquals(0, a.outstanding.get());
        assertTrue(outstanding.all().isEmpty());
    }

    @Test
    void capAndDuplicatesStillApply() {
        addMany();

        assertEquals(REQUESTER_CAP, outstanding.add(request("one more", a), MANY, NO_CAP));
        assertEquals(DUPLICATE_ID, outstanding.add(request("id7", b), MANY + 1, NO_CAP));
        assertEquals(MANY, outstanding.size());
        assertEquals(0, b.outstanding.get());
        assertEquals(ADMITTED, outstanding.add(request("one more", a), MANY + 1, NO_CAP));
    }

    @Test
    void replaceHandsOnOnceAndAStrangerIsNotRemoved() {
        List<PendingRequest> added = addMany();
        PendingRequest original = added.get(MANY - 1);
        PendingRequest retried = original.retriedOn(b, 0);

        assertTrue(outstanding.replace(original, retried));
        assertFalse(outstanding.replace(original, original.retriedOn(b, 0)), "already handed on");
        assertSame(retried, outstanding.get(REQUESTER, original.id));
        assertEquals(MANY - 1, a.outstanding.get());
        assertEquals(1, b.outstanding.get());
        assertFalse(outstanding.complete(request(original.id, a)), "same id, another request");
        assertFalse(outstanding.complete(original), "the original was handed on");
        assertTrue(outstanding.complete(retried));
        assertEquals(0, b.outstanding.get());
    }

    @Test
    void countsEndAtZeroWhenThreadsShareOneRequester() throws Exception {
        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<PendingRequest> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        PendingRequest request = request(thread + "-" + i, i % 2 == 0 ? a : b);
                        assertEquals(ADMITTED, outstanding.add(request, NO_CAP, NO_CAP));
                        mine.add(request);
                        if (i % 3 == 0) {
                            PendingRequest answered = mine.remove(0);
                            assertTrue(outstanding.complete(answered));
                        }
                    }
                    for (PendingRequest request : mine) {
                        assertTrue(outstanding.complete(request));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, outstanding.size());
        assertEquals(0, a.outstanding.get());
        assertEquals(0, b.outstanding.get());
        assertTrue(outstanding.all().isEmpty());
    }
}
