package org.clientproxy.core;

import static org.clientproxy.core.OutstandingRequests.Admission.ADMITTED;
import static org.clientproxy.core.OutstandingRequests.Admission.DUPLICATE_ID;
import static org.clientproxy.core.OutstandingRequests.Admission.PROXY_CAP;
import static org.clientproxy.core.OutstandingRequests.Admission.REQUESTER_CAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

class OutstandingRequestsTest {
    private static final int NO_CAP = Integer.MAX_VALUE;

    private final OutstandingRequests outstanding = new OutstandingRequests();
    private final OnlineResources.Resource a = new OnlineResources.Resource(new JID("svc@example.org/a"), Instant.EPOCH);
    private final OnlineResources.Resource b = new OnlineResources.Resource(new JID("svc@example.org/b"), Instant.EPOCH);

    private static PendingRequest request(String requester, String id, OnlineResources.Resource resource) {
        IQ get = new IQ(IQ.Type.get, id);
        return new PendingRequest(requester, id, new JID("proxy.example.org"), PendingRequest.forRetry(get),
                resource, 0, 1_000);
    }

    @Test
    void anAdmittedRequestIsFoundAndCountedOnItsResource() {
        PendingRequest request = request("u@example.org/r", "1", a);

        assertEquals(ADMITTED, outstanding.add(request, NO_CAP, NO_CAP));

        assertSame(request, outstanding.get("u@example.org/r", "1"));
        assertNull(outstanding.get("u@example.org/r", "2"));
        assertNull(outstanding.get("u@example.org/other", "1"));
        assertEquals(1, outstanding.size());
        assertEquals(List.of(request), List.copyOf(outstanding.all()));
        assertEquals(1, a.outstanding.get());
        assertEquals(0, b.outstanding.get());
    }

    @Test
    void twoRequestersMayUseTheSameIdAtOnce() {
        PendingRequest first = request("u@example.org/r", "same", a);
        PendingRequest second = request("v@example.org/r", "same", a);
        PendingRequest third = request("u@example.org/other", "same", b);

        assertEquals(ADMITTED, outstanding.add(first, NO_CAP, NO_CAP));
        assertEquals(ADMITTED, outstanding.add(second, NO_CAP, NO_CAP));
        assertEquals(ADMITTED, outstanding.add(third, NO_CAP, NO_CAP));

        assertSame(first, outstanding.get("u@example.org/r", "same"));
        assertSame(second, outstanding.get("v@example.org/r", "same"));
        assertSame(third, outstanding.get("u@example.org/other", "same"));
        assertEquals(3, outstanding.size());
    }

    @Test
    void aDuplicateIdOfTheSameRequesterIsRefusedAndLeavesNoCount() {
        PendingRequest original = request("u@example.org/r", "1", a);
        assertEquals(ADMITTED, outstanding.add(original, 2, NO_CAP));

        assertEquals(DUPLICATE_ID, outstanding.add(request("u@example.org/r", "1", b), 2, NO_CAP));
        assertEquals(DUPLICATE_ID, outstanding.add(request("u@example.org/r", "1", a), 2, NO_CAP));

        assertSame(original, outstanding.get("u@example.org/r", "1"), "the first request stays");
        assertEquals(1, outstanding.size());
        assertEquals(1, a.outstanding.get());
        assertEquals(0, b.outstanding.get());
        // The refused duplicates took no place under the requester's cap of 2.
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "2", a), 2, NO_CAP));
    }

    @Test
    void theRequesterCapCountsEachFullJidOnItsOwn() {
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "1", a), 2, NO_CAP));
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "2", a), 2, NO_CAP));

        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "3", b), 2, NO_CAP));
        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "4", b), 2, NO_CAP));

        assertNull(outstanding.get("u@example.org/r", "3"));
        assertEquals(2, outstanding.size());
        assertEquals(2, a.outstanding.get());
        assertEquals(0, b.outstanding.get(), "a refused request is not counted on its resource");
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/other", "1", b), 2, NO_CAP),
                "another resource of the same user is another requester");
        assertEquals(ADMITTED, outstanding.add(request("v@example.org/r", "1", b), 2, NO_CAP));
    }

    @Test
    void completingReleasesTheRequesterSoItCanSendAgain() {
        PendingRequest first = request("u@example.org/r", "1", a);
        assertEquals(ADMITTED, outstanding.add(first, 1, NO_CAP));
        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "2", a), 1, NO_CAP));

        assertTrue(outstanding.complete(first));

        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "2", a), 1, NO_CAP));
        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "3", a), 1, NO_CAP));
    }

    @Test
    void theRequesterCapIsNotLoweredByRepeatedRefusals() {
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "1", a), 3, NO_CAP));
        for (int i = 0; i < 10; i++) {
            assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "x" + i, a), 3, NO_CAP));
            assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "y" + i, a), 3, NO_CAP));
            assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "z" + i, a), 3, NO_CAP));
            assertTrue(outstanding.complete(outstanding.get("u@example.org/r", "x" + i)));
            assertTrue(outstanding.complete(outstanding.get("u@example.org/r", "y" + i)));
        }
        assertEquals(1, outstanding.size());
    }

    @Test
    void theProxyCapCountsEveryRequester() {
        assertEquals(ADMITTED, outstanding.add(request("u1@example.org/r", "1", a), NO_CAP, 3));
        assertEquals(ADMITTED, outstanding.add(request("u2@example.org/r", "1", a), NO_CAP, 3));
        PendingRequest third = request("u3@example.org/r", "1", b);
        assertEquals(ADMITTED, outstanding.add(third, NO_CAP, 3));

        assertEquals(PROXY_CAP, outstanding.add(request("u4@example.org/r", "1", a), NO_CAP, 3));
        assertEquals(PROXY_CAP, outstanding.add(request("u1@example.org/r", "2", a), NO_CAP, 3));

        assertEquals(3, outstanding.size());
        assertEquals(2, a.outstanding.get());
        assertEquals(1, b.outstanding.get());

        assertTrue(outstanding.complete(third));
        assertEquals(ADMITTED, outstanding.add(request("u4@example.org/r", "1", a), 1, 3));
        // u4 has one outstanding now: its refusal by the proxy cap above left no count behind.
        assertEquals(REQUESTER_CAP, outstanding.add(request("u4@example.org/r", "2", a), 1, 10));
    }

    @Test
    void completeSucceedsOnceOnly() {
        PendingRequest request = request("u@example.org/r", "1", a);
        outstanding.add(request, 1, NO_CAP);

        assertTrue(outstanding.complete(request));
        assertFalse(outstanding.complete(request));
        assertFalse(outstanding.complete(request));

        assertNull(outstanding.get("u@example.org/r", "1"));
        assertEquals(0, outstanding.size());
        assertEquals(0, a.outstanding.get(), "never below zero");
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "2", a), 1, NO_CAP));
        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "3", a), 1, NO_CAP),
                "the failed completes released nothing more");
    }

    @Test
    void aRequestNeverAdmittedCannotBeCompleted() {
        PendingRequest admitted = request("u@example.org/r", "1", a);
        outstanding.add(admitted, NO_CAP, NO_CAP);
        PendingRequest stranger = request("u@example.org/r", "1", a); // same key, another request

        assertFalse(outstanding.complete(stranger));

        assertSame(admitted, outstanding.get("u@example.org/r", "1"));
        assertEquals(1, a.outstanding.get());
    }

    @Test
    void completingAnOldRequestDoesNotTouchANewOneWithTheSameId() {
        PendingRequest old = request("u@example.org/r", "1", a);
        outstanding.add(old, 1, NO_CAP);
        assertTrue(outstanding.complete(old));
        PendingRequest reused = request("u@example.org/r", "1", b);
        assertEquals(ADMITTED, outstanding.add(reused, 1, NO_CAP));

        assertFalse(outstanding.complete(old));

        assertSame(reused, outstanding.get("u@example.org/r", "1"));
        assertEquals(0, a.outstanding.get());
        assertEquals(1, b.outstanding.get());
    }

    @Test
    void replaceMovesTheRequestToTheNextResource() {
        PendingRequest original = request("u@example.org/r", "1", a);
        outstanding.add(original, 1, NO_CAP);
        PendingRequest retried = original.retriedOn(b, 0);

        assertTrue(outstanding.replace(original, retried));

        assertSame(retried, outstanding.get("u@example.org/r", "1"));
        assertEquals(1, outstanding.size());
        assertEquals(0, a.outstanding.get());
        assertEquals(1, b.outstanding.get());
        assertEquals(REQUESTER_CAP, outstanding.add(request("u@example.org/r", "2", a), 1, NO_CAP),
                "the requester still has one outstanding");

        assertFalse(outstanding.complete(original), "the original was handed on");
        assertEquals(1, b.outstanding.get());
        assertTrue(outstanding.complete(retried));
        assertEquals(0, a.outstanding.get());
        assertEquals(0, b.outstanding.get());
        assertEquals(ADMITTED, outstanding.add(request("u@example.org/r", "2", a), 1, NO_CAP),
                "completing the retried request released the requester");
    }

    @Test
    void replaceSucceedsOnceAndNotAfterComplete() {
        PendingRequest original = request("u@example.org/r", "1", a);
        outstanding.add(original, NO_CAP, NO_CAP);
        assertTrue(outstanding.replace(original, original.retriedOn(b, 0)));

        assertFalse(outstanding.replace(original, original.retriedOn(a, 0)), "already handed on");
        assertEquals(0, a.outstanding.get());
        assertEquals(1, b.outstanding.get());

        PendingRequest other = request("v@example.org/r", "1", a);
        outstanding.add(other, NO_CAP, NO_CAP);
        assertTrue(outstanding.complete(other));
        assertFalse(outstanding.replace(other, other.retriedOn(b, 0)), "already answered");
        assertNull(outstanding.get("v@example.org/r", "1"));
        assertEquals(0, a.outstanding.get());
        assertEquals(1, b.outstanding.get());
    }

    @Test
    void replaceOnTheSameResourceKeepsItsCount() {
        PendingRequest original = request("u@example.org/r", "1", a);
        outstanding.add(original, NO_CAP, NO_CAP);

        assertTrue(outstanding.replace(original, original.retriedOn(a, 0)));

        assertEquals(1, a.outstanding.get());
    }

    @Test
    void retriedOnKeepsEverythingButTheResourceAndWhatARetryNeeds() {
        PendingRequest original = request("u@example.org/r", "1", a);
        PendingRequest retried = original.retriedOn(b, 0);

        assertTrue(original.canRetry());
        assertFalse(retried.canRetry(), "a request is re-sent once only");
        assertSame(b, retried.resource);
        assertEquals(original.requester, retried.requester);
        assertEquals(original.id, retried.id);
        assertSame(original.serviceAddress, retried.serviceAddress);
        assertNull(retried.retry, "nothing kept for a second retry");
        assertEquals(original.startNanos, retried.startNanos);
        assertEquals(original.deadlineNanos, retried.deadlineNanos, "a retry keeps the deadline");
        assertFalse(new PendingRequest("u@example.org/r", "2",
                new JID("proxy.example.org"), null, a, 0, 1).canRetry(), "a set is never re-sent");
    }

    /** Many threads admitting, completing twice over and handing on: every count ends at zero. */
    @Test
    void countsEndAtZeroUnderConcurrentUse() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        // Few requesters and ids, so that threads collide on the same keys.
                        String requester = "u" + random.nextInt(3) + "@example.org/r";
                        PendingRequest request = request(requester, Integer.toString(random.nextInt(5)),
                                random.nextBoolean() ? a : b);
                        if (outstanding.add(request, 4, 8) != ADMITTED) {
                            continue;
                        }
                        admitted.incrementAndGet();
                        PendingRequest current = request;
                        if (random.nextBoolean()) {
                            PendingRequest next = request.retriedOn(random.nextBoolean() ? a : b, 0);
                            if (outstanding.replace(request, next)) {
                                current = next;
                            }
                        }
                        // Two racing answers for one request; possibly a stale one too.
                        PendingRequest answered = current;
                        for (PendingRequest found : List.of(current, request,
                                outstanding.all().stream().findAny().orElse(answered))) {
                            if (outstanding.complete(found)) {
                                completions.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(0, outstanding.size());
        assertEquals(admitted.get(), completions.get(), "each admitted request completed exactly once");
        assertEquals(0, a.outstanding.get());
        assertEquals(0, b.outstanding.get());
        for (String requester : Set.of("u0@example.org/r", "u1@example.org/r", "u2@example.org/r")) {
            for (int i = 0; i < 4; i++) {
                assertEquals(ADMITTED, outstanding.add(request(requester, "after" + i, a), 4, NO_CAP),
                        requester + " was fully released");
            }
        }
    }
}
