package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalProxy;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An implementing resource that stops answering, on each server with real Smack clients: its
 * connection stays open and it keeps every stanza, pings included, as a process stopped by a long
 * pause, a deadlock or a dead network path would. The proxy's threshold is 3 s here.
 */
class UnresponsiveE2ETest {
    private static final long THRESHOLD_MILLIS = 3_000;
    /** The bound for the gets stuck on the frozen resource: the threshold plus a second. */
    private static final Duration STUCK_BOUND = Duration.ofMillis(THRESHOLD_MILLIS + 1_000);
    private static final Duration ONE_BY_ONE_BOUND = Duration.ofSeconds(2);

    @RegisterExtension
    static final EachServer SERVERS = EachServer.perClass(kind -> E2eProxy.serverWithApprovedService(kind, "impl", "req1"));

    private final List<XmppClient> clients = new ArrayList<>();
    private XmppServer server;
    private ExternalProxy external;
    private ScheduledExecutorService slowWorker;

    @BeforeEach
    void useServer(XmppServer server) {
        this.server = server;
    }

    @AfterEach
    void stopAll() {
        if (slowWorker != null) {
            slowWorker.shutdownNow();
        }
        if (external != null) {
            external.close();
        }
        clients.forEach(XmppClient::close);
    }

    @OnEachServer
    void getsStuckOnAFrozenResourceAreAnsweredByTheOtherAndLaterGetsAvoidIt() throws Exception {
        BlockingQueue<Received> frozenInbox = new LinkedBlockingQueue<>();
        XmppClient frozen = client(XmppClient.login(server, "impl", PASSWORD, "frozen", frozenInbox));
        frozen.handlePings(false);
        XmppClient alive = client(XmppClient.login(server, "impl", PASSWORD, "alive"));
        alive.echoRequests();
        alive.handlePings(true);
        XmppClient requester = client(XmppClient.login(server, "req1", PASSWORD, "r1"));
        external = E2eProxy.start(server, 2, "unresponsiveMillis", Long.toString(THRESHOLD_MILLIS));

        // 60 gets at once, right after the freeze: about half go to the frozen resource.
        Map<String, Long> sentAt = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String id = "burst-" + i;
            sentAt.put(id, System.nanoTime());
            requester.request(SERVICE, IQ.Type.get, id, "<n>" + i + "</n>");
        }
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < 60; i++) {
            Received answer = requester.nextReceived();
            assertEquals(IQ.Type.result, answer.iq().getType(), () -> answer.iq().toXML().toString());
            Duration took = Duration.ofNanos(answer.arrivedNanos() - sentAt.remove(answer.iq().getStanzaId()));
            slowest = took.compareTo(slowest) > 0 ? took : slowest;
        }
        assertTrue(sentAt.isEmpty(), () -> "unanswered: " + sentAt.keySet());
        long heldByFrozen = frozenRequests(frozenInbox);
        ProxySnapshot status = external.proxy().status();
        System.out.printf("60 gets, %d of them to the frozen resource (pinged %d times): slowest answer after %d ms%n",
                heldByFrozen, frozenInbox.size() - heldByFrozen, slowest.toMillis());
        assertTrue(slowest.compareTo(STUCK_BOUND) <= 0, "slowest answer after " + slowest.toMillis() + " ms");
        assertTrue(heldByFrozen > 0, "some gets went to the frozen resource (random choice)");
        assertEquals(1, status.counters().markedUnresponsive());
        assertEquals(heldByFrozen, status.counters().retriedUnresponsive());
        assertFalse(resource(status, "frozen").responsive());
        assertTrue(resource(status, "alive").responsive());

        // 10 s later, still frozen: 20 gets one by one, none waits on it.
        Thread.sleep(10_000);
        long before = frozenRequests(frozenInbox);
        Duration slowestOne = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            requester.request(SERVICE, IQ.Type.get, "later-" + i, "<n>" + i + "</n>");
            Received answer = requester.nextReceived();
            assertEquals(IQ.Type.result, answer.iq().getType(), () -> answer.iq().toXML().toString());
            assertEquals("later-" + i, answer.iq().getStanzaId());
            Duration took = Duration.ofNanos(answer.arrivedNanos() - start);
            slowestOne = took.compareTo(slowestOne) > 0 ? took : slowestOne;
        }
        assertTrue(slowestOne.compareTo(ONE_BY_ONE_BOUND) < 0, "slowest after " + slowestOne.toMillis() + " ms");
        System.out.printf("10 s later, 20 gets one by one: slowest answer after %d ms%n", slowestOne.toMillis());
        assertEquals(before, frozenRequests(frozenInbox), "no request went to the frozen resource");

        // It thaws: it answers everything it kept; the pongs make it responsive, its late replies are dropped.
        for (Received kept; (kept = frozenInbox.poll()) != null; ) {
            IQ reply = IQ.createResultIQ(kept.iq());
            frozen.send(reply);
        }
        E2eProxy.await(() -> resource(external.proxy().status(), "frozen").responsive(), Duration.ofSeconds(5),
                () -> "the thawed resource to be responsive again");
        requester.expectNothing(Duration.ofMillis(500));
        assertEquals(heldByFrozen, external.proxy().status().counters().droppedReplies());
    }

    @OnEachServer
    void aSlowResourceThatAnswersAtItsOwnPaceIsNeverMarked() throws Exception {
        BlockingQueue<Received> slowInbox = new LinkedBlockingQueue<>();
        XmppClient slow = client(XmppClient.login(server, "impl", PASSWORD, "slow", slowInbox));
        slow.handlePings(true);
        XmppClient requester = client(XmppClient.login(server, "req1", PASSWORD, "r1"));
        external = E2eProxy.start(server, 1, "unresponsiveMillis", Long.toString(THRESHOLD_MILLIS));
        // Each request answered 4 s after it arrived: longer than the threshold.
        slowWorker = Executors.newSingleThreadScheduledExecutor();
        slowWorker.execute(() -> answerSlowly(slow, slowInbox));

        for (int i = 0; i < 10; i++) {
            requester.request(SERVICE, IQ.Type.get, "slow-" + i, "<n>" + i + "</n>");
            Thread.sleep(500);
        }
        for (int i = 0; i < 10; i++) {
            IQ answer = requester.nextReceived().iq();
            assertEquals(IQ.Type.result, answer.getType(), () -> answer.toXML().toString());
        }

        ProxySnapshot status = external.proxy().status();
        assertTrue(pingsSeen > 0, "the proxy grew suspicious and asked");
        assertEquals(0, status.counters().markedUnresponsive());
        assertEquals(0, status.counters().retriedUnresponsive());
        assertNull(resource(status, "slow").unresponsiveSince());
    }

    private volatile int pingsSeen;

    private void answerSlowly(XmppClient slow, BlockingQueue<Received> inbox) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Received received = inbox.take();
                if (!XmppClient.childXml(received.iq()).contains("urn:clientproxy:test")) {
                    pingsSeen++; // answered by the client itself
                    continue;
                }
                long due = received.arrivedNanos() + TimeUnit.SECONDS.toNanos(4);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                slow.reply(received.iq(), "<slow/>");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long frozenRequests(BlockingQueue<Received> inbox) {
        return inbox.stream().filter(received -> XmppClient.childXml(received.iq())
                .contains("urn:clientproxy:test")).count();
    }

    private static ProxySnapshot.Resource resource(ProxySnapshot status, String resource) {
        return status.resources().stream()
                .filter(candidate -> resource.equals(candidate.address().getResource()))
                .findFirst().orElseThrow(() -> new AssertionError("no resource " + resource + " in " + status.resources()));
    }

    private XmppClient client(XmppClient client) {
        clients.add(client);
        return client;
    }
}
