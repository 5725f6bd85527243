package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.clientproxy.e2e.XmlAssert.assertSameXml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.SubscriptionState;
import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalProxy;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The external component when the server goes away and comes back: it notices (a broken socket,
 * or pings left unanswered), reconnects with backoff, and its new proxy subscribes to and probes
 * the target again, so requests flow without the implementing client doing anything.
 */
class ReconnectE2ETest {
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private final BlockingQueue<Received> implInbox = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ProsodyServer server;
    private ExternalProxy external;

    @BeforeEach
    void startServer() throws Exception {
        server = E2eProxy.serverWithPreapprovedService("impl", "req1");
    }

    @AfterEach
    void stopAll() throws Exception {
        if (external != null) {
            external.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        server.close();
    }

    @Test
    void reconnectsWhenTheServerRestarts() throws Exception {
        XmppClient implA = open(XmppClient.login(server, "impl", PASSWORD, "a", implInbox));
        external = E2eProxy.start(server, 1);
        ClientProxy before = external.proxy();

        server.stop();
        E2eProxy.await(() -> !external.isConnected(), RECOVERY, () -> "the proxy to notice the server is gone");
        server.start();
        E2eProxy.await(external::isConnected, RECOVERY, () -> "the proxy to reconnect");
        assertNotSame(before, external.proxy(), "a new connection gets a fresh proxy");

        // Prosody's restart dropped every client; they come back after the proxy did.
        implA.close();
        XmppClient implB = open(XmppClient.login(server, "impl", PASSWORD, "b", implInbox));
        XmppClient req1 = open(XmppClient.login(server, "req1", PASSWORD, "r1"));
        E2eProxy.awaitResources(external, 1);
        assertRoundTrip(req1, implB);
    }

    @Test
    void probesTheTargetAgainAfterTheConnectionIsCut() throws Exception {
        assertRecoversFrom(TcpRelay::cut);
    }

    @Test
    void noticesASilentConnectionByPingingAndRecovers() throws Exception {
        assertRecoversFrom(TcpRelay::silence);
    }

    /**
     * The implementing client stays online throughout, so after reconnecting the proxy can learn
     * its resources only by subscribing and probing again.
     */
    private void assertRecoversFrom(RelayFault fault) throws Exception {
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
