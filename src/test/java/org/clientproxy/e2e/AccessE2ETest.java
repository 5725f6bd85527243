package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalProxy;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code allow} rule and the {@code sticky} strategy through the external component on a
 * real Prosody: an implementing client {@code impl@localhost} with resources {@code a} and
 * {@code b} (one shared inbox) and two local requester accounts.
 */
class AccessE2ETest {
    private static final Duration QUIET = Duration.ofMillis(400);

    private static ProsodyServer server;

    private final BlockingQueue<Received> implInbox = new LinkedBlockingQueue<>();
    private final List<XmppClient> clients = new ArrayList<>();
    private XmppClient implA;
    private XmppClient implB;
    private XmppClient req1;
    private XmppClient req2;
    private ExternalProxy external;

    @BeforeAll
    static void startServer() throws Exception {
        server = ProsodyServer.start(ProsodyServer.map(SERVICE, E2eProxy.SECRET),
                ProsodyServer.map("impl", PASSWORD, "req1", PASSWORD, "req2", PASSWORD));
        try (XmppClient impl = XmppClient.login(server, "impl", PASSWORD, "setup")) {
            impl.preapprove(SERVICE);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void logIn() throws Exception {
        implA = client(XmppClient.login(server, "impl", PASSWORD, "a", implInbox));
        implB = client(XmppClient.login(server, "impl", PASSWORD, "b", implInbox));
        req1 = client(XmppClient.login(server, "req1", PASSWORD, "r1"));
        req2 = client(XmppClient.login(server, "req2", PASSWORD, "r2"));
    }

    @AfterEach
    void logOut() {
        if (external != null) {
            external.close();
        }
        clients.forEach(XmppClient::close);
    }

    @Test
    void aRuleOfOneBareJidRefusesAnotherLocalAccountWithoutTheImplementingClientSeeingIt() throws Exception {
        external = E2eProxy.start(server, 2, "allow", "req1@localhost");

        req2.request(SERVICE, IQ.Type.get, "refused", "<q/>");
        IQ refused = req2.next();
        assertEquals(IQ.Type.error, refused.getType(), () -> refused.toXML().toString());
        assertEquals("refused", refused.getStanzaId());
        assertEquals(SERVICE, refused.getFrom().toString());
        assertEquals(StanzaError.Condition.forbidden, refused.getError().getCondition());
        assertEquals(StanzaError.Type.AUTH, refused.getError().getType());
        assertNull(implInbox.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "the implementing client saw the refused request");

        assertServed(req1, "allowed");
        assertEquals(1, external.proxy().status().counters().refusedByAccessRule());
        assertEquals(1, external.proxy().status().counters().forwarded());
    }

    @Test
    void localServesEveryLocalAccount() throws Exception {
        external = E2eProxy.start(server, 2, "allow", "local");

        assertServed(req1, "one");
        assertServed(req2, "two");
        assertEquals(0, external.proxy().status().counters().refusedByAccessRule());
    }

    @Test
    void stickyKeepsAnAccountsRequestsOnOneResourceAndMovesThemTogetherWhenItLeaves() throws Exception {
        external = E2eProxy.start(server, 2, "strategy", "sticky");
        XmppClient req1Laptop = client(XmppClient.login(server, "req1", PASSWORD, "laptop"));

        Set<XmppClient> first = thirtyRequests(req1, req1Laptop, "first-");
        assertEquals(1, first.size(), "30 requests of req1 from two resources went to " + first.size() + " resources");
        XmppClient chosen = first.iterator().next();

        chosen.close();
        E2eProxy.awaitResources(external, 1);
        Set<XmppClient> second = thirtyRequests(req1, req1Laptop, "second-");

        assertEquals(1, second.size());
        assertNotSame(chosen, second.iterator().next());
    }

    /** Sends 30 requests alternately from two resources of one account, answers each; returns which resources got them. */
    private Set<XmppClient> thirtyRequests(XmppClient one, XmppClient other, String prefix) throws Exception {
        Set<XmppClient> resources = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            XmppClient requester = i % 2 == 0 ? one : other;
            requester.request(SERVICE, IQ.Type.get, prefix + i, "<n>" + i + "</n>");
            Received forwarded = XmppClient.next(implInbox, XmppClient.WAIT);
            resources.add(forwarded.at());
            forwarded.at().reply(forwarded.iq(), "<ok/>");
            IQ answer = requester.next();
            assertEquals(IQ.Type.result, answer.getType(), () -> answer.toXML().toString());
            assertEquals(prefix + i, answer.getStanzaId());
        }
        return resources;
    }

    /** A request of {@code requester} reaches the implementing client and its reply comes back. */
    private void assertServed(XmppClient requester, String id) throws Exception {
        requester.request(SERVICE, IQ.Type.get, id, "<q/>");
        Received forwarded = XmppClient.next(implInbox, XmppClient.WAIT);
        assertEquals(SERVICE + "/" + requester.jid(), forwarded.iq().getFrom().toString());
        forwarded.at().reply(forwarded.iq(), "<a/>");
        IQ answer = requester.next();
        assertEquals(IQ.Type.result, answer.getType(), () -> answer.toXML().toString());
        assertEquals(id, answer.getStanzaId());
    }

    private XmppClient client(XmppClient client) {
        clients.add(client);
        return client;
    }
}
