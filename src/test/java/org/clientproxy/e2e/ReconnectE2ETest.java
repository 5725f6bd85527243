package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.clientproxy.e2e.XmlAssert.assertSameXml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.SubscriptionState;
import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalConfig;
import org.clientproxy.external.ExternalProxy;
import org.clientproxy.testing.LogCapture;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external component when the server goes away and comes back, on each server (a fresh one
 * per test): it notices (a closed connection at once, a broken one at once, a silent one by
 * pinging), reconnects, and its new proxy subscribes to and probes the target again, so requests
 * flow without the implementing client doing anything.
 */
class ReconnectE2ETest {
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    /**
     * How long the test waits for a clean shutdown to be noticed, and for the proxy to be connected
     * after the server accepts connections again. The ping, an hour apart in that test, cannot
     * help, so only noticing the closed stream passes; "about a second" is the retry schedule's
     * (ReconnectBackoffTest) and is measured, not asserted: a loaded machine may take longer.
     */
    private static final Duration RESTART_BOUND = Duration.ofSeconds(30);
    private static final String NO_PING_WITHIN_THE_TEST = Long.toString(Duration.ofHours(1).toMillis());

    @RegisterExtension
    static final EachServer SERVERS = EachServer.perTest(kind -> E2eProxy.serverWithApprovedService(kind, "impl", "req1"));

    private final BlockingQueue<Received> implInbox = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ExternalProxy external;

    @AfterEach
    void stopAll() throws Exception {
        if (external != null) {
            external.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /**
     * The server shuts down cleanly (it closes the component's connection) and starts again: the
     * proxy notices at once and is connected again within about a second of the server's return,
     * with the ping too far apart to play any part and the default backoff.
     */
    @OnEachServer
    void aCleanRestartIsNoticedAtOnceAndServedAgainWithinAboutASecondOfTheServersReturn(XmppServer server)
            throws Exception {
        XmppClient implA = open(XmppClient.login(server, "impl", PASSWORD, "a", implInbox));
        external = E2eProxy.start(server, 1, ExternalConfig.PING_INTERVAL_MILLIS, NO_PING_WITHIN_THE_TEST,
                ExternalConfig.RECONNECT_MAX_MILLIS, Long.toString(ExternalConfig.DEFAULT_RECONNECT_MAX_MILLIS));
        ClientProxy before = external.proxy();

        String log;
        long reconnectedMillis;
        try (LogCapture captured = LogCapture.start()) {
            server.stop();
            E2eProxy.await(() -> !external.isConnected(), RESTART_BOUND, () -> "the proxy to notice the clean shutdown");
            server.start();
            long back = System.nanoTime();
            E2eProxy.await(external::isConnected, RESTART_BOUND, () -> "the proxy to reconnect after the server's return");
            reconnectedMillis = (System.nanoTime() - back) / 1_000_000;
            // The connection is up a moment before its thread logs so.
            E2eProxy.await(() -> captured.text().contains("Reconnected to"), RESTART_BOUND, () -> "the reconnection's log line");
            log = captured.text();
        }
        System.out.printf("%s restarted: the proxy was connected again %d ms after the server accepted connections%n",
                server.name(), reconnectedMillis);
        assertNotSame(before, external.proxy(), "a new connection gets a fresh proxy");
        // One WARN line for the loss and one INFO line when back; the attempts in between at DEBUG.
        assertTrue(log.contains("WARN org.clientproxy.external.ExternalProxy - Lost the connection to 127.0.0.1:"
                + server.componentPort() + " (closed by the server); reconnecting"), log);
        assertTrue(log.contains("INFO org.clientproxy.external.ExternalProxy - Reconnected to 127.0.0.1:"
                + server.componentPort() + " as " + SERVICE), log);
        assertFalse(log.contains("Reconnecting failed"), log);

        // The restart dropped every client; they come back after the proxy did.
        implA.close();
        XmppClient implB = open(XmppClient.login(server, "impl", PASSWORD, "b", implInbox));
        XmppClient req1 = open(XmppClient.login(server, "req1", PASSWORD, "r1"));
        E2eProxy.awaitResources(external, 1);
        assertRoundTrip(req1, implB);
    }

    @OnEachServer
    void probesTheTargetAgainAfterTheConnectionIsCut(XmppServer server) throws Exception {
        assertRecoversFrom(server, TcpRelay::cut);
    }

    @OnEachServer
    void noticesASilentConnectionByPingingAndRecovers(XmppServer server) throws Exception {
        assertRecoversFrom(server, TcpRelay::silence);
    }

    /**
     * The implementing client stays online throughout, so after reconnecting the proxy can learn
     * its resources only by subscribing and probing again.
     */
    private void assertRecoversFrom(XmppServer server, RelayFault fault) throws Exception {
        TcpRelay relay = open(TcpRelay.to(server.componentPort()));
        XmppClient implA = open(XmppClient.login(server, "impl", PASSWORD, "a", implInbox));
        XmppClient req1 = open(XmppClient.login(server, "req1", PASSWORD, "r1"));
        external = ExternalProxy.start(E2eProxy.config(relay.port()));
        E2eProxy.awaitResources(external, 1);
        assertRoundTrip(req1, implA);

        fault.apply(relay);
        E2eProxy.await(() -> !external.isConnected(), RECOVERY, () -> "the proxy to notice the lost connection");
        relay.resume();
        E2eProxy.await(external::isConnected, RECOVERY, () -> "the proxy to reconnect");
        E2eProxy.awaitResources(external, 1);
        assertEquals(SubscriptionState.GRANTED, external.proxy().status().subscription());
        assertRoundTrip(req1, implA);
    }

    private void assertRoundTrip(XmppClient requester, XmppClient resource) throws Exception {
        PayloadIq request = requester.request(SERVICE, IQ.Type.get, null, "<after>reconnect</after>");
        Received forwarded = XmppClient.next(implInbox, XmppClient.WAIT);
        assertEquals(resource, forwarded.at());
        assertSameXml(request.childXml(), XmppClient.childXml(forwarded.iq()));
        PayloadIq reply = resource.reply(forwarded.iq(), "<still>working</still>");
        IQ answer = requester.next();
        assertEquals(request.getStanzaId(), answer.getStanzaId());
        assertEquals(IQ.Type.result, answer.getType());
        assertSameXml(reply.childXml(), XmppClient.childXml(answer));
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    @FunctionalInterface
    private interface RelayFault {
        void apply(TcpRelay relay) throws Exception;
    }
}
