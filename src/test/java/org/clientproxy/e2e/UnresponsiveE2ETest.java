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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;

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
 * pause, a deadlock or a dead network path would. The proxy's threshold is 6 s here: a resource
 * that answers has 3 s to answer a ping, plenty on a loaded machine. How fast the proxy routes
 * around a frozen resource is measured by the benchmarks, not asserted here.
 */
class UnresponsiveE2ETest {
    private static final long THRESHOLD_MILLIS = 6_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

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
        // Results, not the timeout's error: the stuck gets were re-sent to the other resource.
        assertTrue(heldByFrozen > 0, "some gets went to the frozen resource (random choice)");
        assertEquals(1, status.counters().markedUnresponsive());
        assertEquals(heldByFrozen, status.counters().retriedUnresponsive());
        assertFalse(resource(status, "frozen").responsive());
        assertTrue(resource(status, "alive").responsive());

        // Later, still frozen (pinged again while marked, and silent): 20 gets one by one, none goes to it.
        long pingsWhenMarked = frozenInbox.size() - heldByFrozen;
        E2eProxy.await(() -> frozenInbox.size() - heldByFrozen >= pingsWhenMarked + 1, PATIENCE,
                () -> "the marked resource to be pinged again");
        long before = frozenRequests(frozenInbox);
        for (int i = 0; i < 20; i++) {
            requester.request(SERVICE, IQ.Type.get, "later-" + i, "<n>" + i + "</n>");
            Received answer = requester.nextReceived();
            assertEquals(IQ.Type.result, answer.iq().getType(), () -> answer.iq().toXML().toString());
            assertEquals("later-" + i, answer.iq().getStanzaId());
        }
        assertEquals(before, frozenRequests(frozenInbox), "no request went to the frozen resource");

        // It thaws: it answers everything it kept; the pongs make it responsive, its late replies are dropped.
        for (Received kept; (kept = frozenInbox.poll()) != null; ) {
            IQ reply = IQ.createResultIQ(kept.iq());
            frozen.send(reply);
        }
        E2eProxy.await(() -> resource(external.proxy().status(), "frozen").responsive(), PATIENCE,
                () -> "the thawed resource to be responsive again");
        E2eProxy.await(() -> external.proxy().status().counters().droppedReplies() >= heldByFrozen, PATIENCE,
                () -> "its " + heldByFrozen + " late replies to be dropped");
        frozen.echoRequests();
        assertEquals(IQ.Type.result, requester.expectNothingMoreFrom(SERVICE).getType(), "no late reply was relayed");
        assertEquals(heldByFrozen, external.proxy().status().counters().droppedReplies());
    }

    @OnEachServer
    void aSlowResourceThatAnswersAtItsOwnPaceIsNeverMarked() throws Exception {
        BlockingQueue<Received> slowInbox = new LinkedBlockingQueue<>();
        XmppClient slow = client(XmppClient.login(server, "impl", PASSWORD, "slow", slowInbox));
        slow.handlePings(true);
        XmppClient requester = client(XmppClient.login(server, "req1", PASSWORD, "r1"));
        external = E2eProxy.start(server, 1, "unresponsiveMillis", Long.toString(THRESHOLD_MILLIS));
        // Each request answered only after the proxy pinged twice since it arrived: longer than
        // the threshold, however fast or slow the machine is; the pings are answered at once.
        slowWorker = Executors.newSingleThreadScheduledExecutor();
        slowWorker.execute(() -> answerAfterTwoPings(slow, slowInbox));

        for (int i = 0; i < 10; i++) {
            requester.request(SERVICE, IQ.Type.get, "slow-" + i, "<n>" + i + "</n>");
        }
        for (int i = 0; i < 10; i++) {
            Received answer = requester.nextReceived();
            assertEquals(IQ.Type.result, answer.iq().getType(), () -> answer.iq().toXML().toString());
        }

        ProxySnapshot status = external.proxy().status();
        assertTrue(pingsSeen >= 2, "the proxy grew suspicious and asked");
        assertEquals(0, status.counters().markedUnresponsive());
        assertEquals(0, status.counters().retriedUnresponsive());
        assertNull(resource(status, "slow").unresponsiveSince());
    }

    private volatile int pingsSeen;

    /** Holds each request until the proxy has pinged twice since it arrived, then answers it. */
    private void answerAfterTwoPings(XmppClient slow, BlockingQueue<Received> inbox) {
        Map<Received, Integer> held = new LinkedHashMap<>();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Received received = inbox.take();
                if (XmppClient.childXml(received.iq()).contains("urn:clientproxy:test")) {
                    held.put(received, pingsSeen);
                    continue;
                }
                pingsSeen++; // a ping, answered by the client itself
                for (Iterator<Map.Entry<Received, Integer>> waiting = held.entrySet().iterator(); waiting.hasNext(); ) {
                    Map.Entry<Received, Integer> request = waiting.next();
                    if (pingsSeen - request.getValue() >= 2) {
                        slow.reply(request.getKey().iq(), "<slow/>");
                        waiting.remove();
                    }
                }
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
