package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.BOB;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.TARGET;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.clientproxy.core.ClientProxyTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * One instance of a proxy handing its work to the next (a plugin upgrade): nothing it was given
 * is lost, answered twice, or answered by the instance that left.
 */
class ClientProxyHandoverTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ClientProxyTest base = new ClientProxyTest();
    /** What reaches the address after the old instance handed over: the host queues it for the next one. */
    private final ConcurrentLinkedQueue<Packet> handedOn = new ConcurrentLinkedQueue<>();

    ClientProxyHandoverTest() {
        base.startProxy();
    }

    @Test
    void theNextInstanceRelaysTheLateReplyOfARequestTheOldOneForwarded() {
        base.online(IMPL_A);
        IQ forwarded = base.forward(get(ALICE, "r1"));
        base.clock.advance(Duration.ofSeconds(10));
        List<String> settled = new ArrayList<>();
        base.proxy.setJournal(journalOf(settled));

        assertTrue(base.proxy.handOver(handedOn::add, PATIENCE));
        base.proxy.processPacket(resultFor(forwarded, "late"));
        assertEquals(List.of(), base.server.takeAll(), "the old instance relays nothing once it handed over");
        List<ClientProxy.Outstanding> taken = base.proxy.takeOutstanding();
        assertEquals(List.of(new ClientProxy.Outstanding(ALICE.toString(), "r1", SERVICE, IMPL_A, Duration.ofSeconds(20))),
                taken);
        assertEquals(List.of(), settled, "in a cluster it stays shared until the next instance answers it");
        assertEquals(0, base.proxy.status().outstanding());

        ClientProxy next = nextInstance(taken);
        replayInto(next);
        IQ relayed = base.server.takeOnly(IQ.class);
        assertEquals(IQ.Type.result, relayed.getType());
        assertEquals("r1", relayed.getID());
        assertEquals(SERVICE, relayed.getFrom());
        assertEquals(ALICE, relayed.getTo());
        assertEquals(0, next.status().outstanding());
    }

    @Test
    void aHandedOverRequestKeepsItsDeadline() {
        base.online(IMPL_A);
        base.forward(get(ALICE, "r1"));
        base.clock.advance(Duration.ofSeconds(25));
        base.proxy.handOver(handedOn::add, PATIENCE);
        ClientProxy next = nextInstance(base.proxy.takeOutstanding());

        base.clock.advance(Duration.ofSeconds(4));
        next.expireOverdue();
        assertEquals(List.of(), errors());
        base.clock.advance(Duration.ofSeconds(1));
        next.expireOverdue();
        List<IQ> errors = errors();
        assertEquals(1, errors.size(), errors::toString);
        assertError(errors.get(0), PacketError.Condition.remote_server_timeout, PacketError.Type.wait, SERVICE, ALICE, "r1");
    }

    @Test
    void theOldInstanceAnswersNothingOnceItHandedOver() {
        base.online(IMPL_A);
        base.forward(get(ALICE, "r1"));
        base.proxy.handOver(handedOn::add, PATIENCE);

        IQ request = get(BOB, "r2");
        base.proxy.processPacket(request);
        base.clock.advance(Duration.ofMinutes(5));
        base.proxy.expireOverdue();

        assertEquals(List.of(), base.server.takeAll(), "no forward, no timeout");
        assertEquals(List.of(request), List.copyOf(handedOn), "the request waits for the next instance");
        assertEquals(1, base.proxy.takeOutstanding().size());
    }

    @Test
    void theNextInstanceServesRequestsAtOnceWithTheResourcesTheOldOneKnew() {
        // A target that shares its presence through a subscription: the server reports nothing again by itself.
        base.online(IMPL_A, IMPL_B);
        base.forward(get(ALICE, "held"));
        base.proxy.handOver(handedOn::add, PATIENCE);
        Map<JID, Instant> online = new HashMap<>();
        base.proxy.status().resources().forEach(resource -> online.put(resource.address(), resource.onlineSince()));
        List<ClientProxy.Outstanding> taken = base.proxy.takeOutstanding();

        ClientProxy next = new ClientProxy(settings(Map.of()), base.clock);
        next.adoptOnline(online);
        taken.forEach(request -> next.adopt(request.requester(), request.id(), request.service(), request.resource(),
                request.remaining()));
        next.initialize(SERVICE, base.server);
        next.start();
        base.server.takeAll(); // its subscription request

        ProxySnapshot status = next.status();
        assertEquals(Set.of(IMPL_A, IMPL_B), Set.copyOf(status.resources().stream().map(ProxySnapshot.Resource::address).toList()));
        assertEquals(SubscriptionState.GRANTED, status.subscription());
        assertEquals(1, status.resources().stream().mapToInt(ProxySnapshot.Resource::outstanding).sum(),
                "the request it took over counts with its resource");
        next.processPacket(get(BOB, "new"));
        IQ forwarded = base.server.takeOnly(IQ.class);
        assertEquals("new", forwarded.getID());
        assertTrue(Set.of(IMPL_A, IMPL_B).contains(forwarded.getTo()));
    }

    @Test
    void aResourceOfAnotherAccountIsNotTakenOnline() {
        ClientProxy next = new ClientProxy(settings(Map.of()), base.clock);
        next.adoptOnline(Map.of(new JID("other@example.org/a"), Instant.EPOCH, TARGET, Instant.EPOCH));
        assertEquals(List.of(), next.status().resources());
        assertEquals(SubscriptionState.NONE, next.status().subscription());
    }

    @Test
    void theHandOverWaitsForAStanzaThatIsBeingProcessed() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Packet> sent = new ArrayList<>();
        ClientProxy proxy = new ClientProxy(settings(Map.of()), base.clock);
        proxy.initialize(SERVICE, new StubComponentManager("example.org", packet -> {
            if (packet instanceof IQ iq && "slow".equals(iq.getID())) {
                sending.countDown();
                await(release);
            }
            sent.add(packet);
        }));
        proxy.start();
        ClientProxyTest.presence(proxy, null, IMPL_A);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            threads.submit(() -> proxy.processPacket(get(ALICE, "slow")));
            assertTrue(sending.await(10, TimeUnit.SECONDS));

            assertFalse(proxy.handOver(handedOn::add, Duration.ofMillis(50)), "not while a stanza is being processed");
            Future<Boolean> handOver = threads.submit(() -> proxy.handOver(handedOn::add, PATIENCE));
            assertFalse(isDone(handOver));
            release.countDown();
            assertTrue(handOver.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("slow"), proxy.takeOutstanding().stream().map(ClientProxy.Outstanding::id).toList(),
                    "the request forwarded meanwhile is handed over");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    /**
     * Requests and replies from several threads while the instance hands over: every request is
     * either answered by the old instance, handed over as outstanding (and its reply, if any,
     * passed on), or passed on unforwarded; never two of these, never none.
     */
    @Test
    void nothingIsLostOrDoubledWhenTheHandOverMeetsTraffic() throws Exception {
        int[] seen = new int[3];
        for (int round = 0; round < 12; round++) {
            int[] counts = handOverUnderTraffic(round);
            for (int i = 0; i < seen.length; i++) {
                seen[i] += counts[i];
            }
        }
        // Otherwise the rounds did not meet the hand-over at all, and proved nothing.
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0,
                "answered by the old instance, handed over, passed on: " + Arrays.toString(seen));
    }

    /** @return how many requests the old instance answered, handed over, and passed on unforwarded */
    private int[] handOverUnderTraffic(int round) throws Exception {
        ConcurrentLinkedQueue<Packet> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Packet> toAnswer = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Packet> passed = new ConcurrentLinkedQueue<>();
        ClientProxy proxy = new ClientProxy(settings(Map.of(ProxySettings.MAX_PER_REQUESTER, "100000",
                ProxySettings.MAX_OUTSTANDING, "1000000")), base.clock);
        proxy.initialize(SERVICE, new StubComponentManager("example.org", packet -> {
            if (packet instanceof IQ) {
                sent.add(packet);
                toAnswer.add(packet);
            }
        }));
        proxy.start();
        ClientProxyTest.presence(proxy, null, IMPL_A);
        int threads = 4;
        int perThread = 1000;
        CyclicBarrier start = new CyclicBarrier(threads + 2); // the senders, the replier and this thread
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            JID requester = new JID("user" + t, "example.org", "r");
            senders.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    proxy.processPacket(get(requester, "q" + i));
                }
                return null;
            }));
        }
        // The implementing client answers every other forwarded request through the proxy.
        Future<?> replier = pool.submit(() -> {
            start.await();
            int index = 0;
            while (!Thread.currentThread().isInterrupted()) {
                Packet packet = toAnswer.poll();
                if (packet instanceof IQ iq && iq.getType() == IQ.Type.get && index++ % 2 == 0) {
                    proxy.processPacket(resultFor(iq, "ok"));
                } else if (packet == null) {
                    Thread.onSpinWait();
                }
            }
            return null;
        });
        start.await();
        Thread.sleep(round % 5);
        assertTrue(proxy.handOver(passed::add, PATIENCE));
        for (Future<?> sender : senders) {
            sender.get(30, TimeUnit.SECONDS);
        }
        replier.cancel(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

        List<ClientProxy.Outstanding> taken = proxy.takeOutstanding();
        Set<String> answered = new HashSet<>();
        Set<String> forwarded = new HashSet<>();
        for (Packet packet : sent) {
            IQ iq = (IQ) packet;
            String key = iq.getType() == IQ.Type.get ? iq.getFrom().getResource() + " " + iq.getID()
                    : iq.getTo() + " " + iq.getID();
            if (iq.getType() == IQ.Type.get) {
                assertTrue(forwarded.add(key), "forwarded once: " + key);
            } else {
                assertSame(IQ.Type.result, iq.getType(), iq::toXML);
                assertTrue(answered.add(key), "answered once: " + key);
            }
        }
        Set<String> handed = new HashSet<>();
        for (ClientProxy.Outstanding request : taken) {
            assertTrue(handed.add(request.requester() + " " + request.id()));
        }
        Set<String> passedRequests = new HashSet<>();
        for (Packet packet : passed) {
            IQ iq = (IQ) packet;
            if (iq.getType() == IQ.Type.get) {
                assertTrue(passedRequests.add(iq.getFrom() + " " + iq.getID()));
            } else {
                // A reply passed on answers a request the next instance takes over.
                String key = iq.getTo().getResource() + " " + iq.getID();
                assertTrue(handed.contains(key), "a reply passed on belongs to a handed-over request: " + key);
            }
        }
        assertEquals(threads * perThread, forwarded.size() + passedRequests.size(), "every request forwarded or passed on");
        for (String key : forwarded) {
            assertFalse(passedRequests.contains(key), "not both forwarded and passed on: " + key);
            assertTrue(answered.contains(key) != handed.contains(key), "answered or handed over, once: " + key);
        }
        assertEquals(forwarded.size(), answered.size() + handed.size());
        return new int[] {answered.size(), handed.size(), passedRequests.size()};
    }

    private ClientProxy nextInstance(List<ClientProxy.Outstanding> taken) {
        ClientProxy next = new ClientProxy(settings(Map.of()), base.clock);
        next.adoptOnline(Map.of(IMPL_A, Instant.EPOCH));
        for (ClientProxy.Outstanding request : taken) {
            assertTrue(next.adopt(request.requester(), request.id(), request.service(), request.resource(),
                    request.remaining()));
        }
        next.initialize(SERVICE, base.server);
        next.start();
        base.server.takeAll(); // its subscription request
        return next;
    }

    /** The errors sent since the last call (the new instance may also ping a resource that holds requests). */
    private List<IQ> errors() {
        return base.server.takeAll().stream().filter(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.error)
                .map(IQ.class::cast).toList();
    }

    private void replayInto(ClientProxy next) {
        for (Packet packet; (packet = handedOn.poll()) != null; ) {
            next.processPacket(packet);
        }
    }

    /** Sends at once, as a single server does, and notes what is settled. */
    private static RequestJournal journalOf(List<String> settled) {
        return new RequestJournal() {
            @Override
            public void forwarded(String requester, String id, JID service, JID resource, Duration remaining,
                                  Forward forward) {
                RequestJournal.NONE.forwarded(requester, id, service, resource, remaining, forward);
            }

            @Override
            public void settled(String requester, String id) {
                settled.add(requester + " " + id);
            }
        };
    }

    private static boolean isDone(Future<?> future) throws Exception {
        try {
            future.get(100, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
