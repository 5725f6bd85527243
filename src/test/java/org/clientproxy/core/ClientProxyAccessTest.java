package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.BOB;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.TARGET;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.clientproxy.core.ClientProxyTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;

/** The {@code allow} rule as the proxy applies it to each request. */
class ClientProxyAccessTest {
    private static final JID ALICE_LAPTOP = new JID("alice@example.org/laptop");
    private static final JID CAROL = new JID("carol@example.org/desk");

    private final ManualClock clock = new ManualClock();
    private final RecordingComponentManager server = new RecordingComponentManager();
    /** The users of each group, as a host would keep them; changed by the tests. */
    private final Map<String, Set<String>> groupUsers = new ConcurrentHashMap<>();
    private ClientProxy proxy;

    private void start(String allow) {
        proxy = new ClientProxy(settings(Map.of(ProxySettings.ALLOW, allow)), clock, RosterHost.NONE,
                (group, bareJid) -> groupUsers.getOrDefault(group, Set.of()).contains(bareJid));
        proxy.initialize(SERVICE, server);
        proxy.start();
        ClientProxyTest.presence(proxy, null, IMPL_A);
        server.takeAll();
    }

    /** Sends a request; returns the one stanza the proxy sent for it. */
    private IQ send(JID from, String id) {
        proxy.processPacket(get(from, id));
        return server.takeOnly(IQ.class);
    }

    private void assertForwarded(IQ sent) {
        assertEquals(IMPL_A, sent.getTo(), sent::toXML);
    }

    private void assertForbidden(IQ sent, JID requester, String id) {
        assertError(sent, Condition.forbidden, PacketError.Type.auth, SERVICE, requester, id);
    }

    @Test
    void oneBareJidLetsInItsResourcesAndRefusesEveryoneElse() {
        start("alice@example.org");

        assertForwarded(send(ALICE, "a1"));
        assertForwarded(send(ALICE_LAPTOP, "a2"));
        assertForbidden(send(CAROL, "c1"), CAROL, "c1");
        assertForbidden(send(BOB, "b1"), BOB, "b1");

        ProxySnapshot status = proxy.status();
        assertEquals(2, status.counters().forwarded());
        assertEquals(2, status.counters().refusedByAccessRule());
        assertEquals(2, status.outstanding(), "a refused request holds nothing");
    }

    @Test
    void localLetsInTheAccountsOfThisServer() {
        start("local");

        assertForwarded(send(ALICE, "a1"));
        assertForwarded(send(CAROL, "c1"));
        assertForbidden(send(BOB, "b1"), BOB, "b1");
    }

    @Test
    void groupMembershipIsAskedAtEachRequest() {
        start("group:ops");
        assertForbidden(send(CAROL, "c1"), CAROL, "c1");

        groupUsers.put("ops", Set.of("carol@example.org"));
        assertForwarded(send(CAROL, "c2"));

        groupUsers.put("ops", Set.of());
        assertForbidden(send(CAROL, "c3"), CAROL, "c3");
    }

    @Test
    void everyoneRefusesNobody() {
        start("everyone");

        assertForwarded(send(BOB, "b1"));
        assertEquals(0, proxy.status().counters().refusedByAccessRule());
    }

    @Test
    void theServersOwnQueriesAreAnsweredWhateverTheRule() {
        start("alice@example.org");
        IQ ping = new IQ(IQ.Type.get, "ping-1");
        ping.setFrom(new JID("example.org"));
        ping.setTo(SERVICE);
        ping.setChildElement("ping", "urn:xmpp:ping");

        proxy.processPacket(ping);

        IQ answer = server.takeOnly(IQ.class);
        assertEquals(IQ.Type.result, answer.getType());
        assertEquals(0, proxy.status().counters().refusedByAccessRule());
    }

    @Test
    void repliesOfTheImplementingClientAreRelayedThoughTheRuleDoesNotListIt() {
        start("alice@example.org");
        IQ forwarded = send(ALICE, "a1");

        proxy.processPacket(resultFor(forwarded, "42"));

        IQ relayed = server.takeOnly(IQ.class);
        assertEquals(ALICE, relayed.getTo());
        assertEquals("42", relayed.getChildElement().getText());
    }

    @Test
    void theImplementingClientStillCannotSendRequestsThroughItsProxy() {
        start("alice@example.org");

        proxy.processPacket(get(new JID(TARGET.toBareJID() + "/a"), "loop"));

        assertError(server.takeOnly(IQ.class), Condition.feature_not_implemented, PacketError.Type.cancel,
                SERVICE, IMPL_A, "loop");
    }

    @Test
    void aNewRuleAppliesToTheNextRequest() {
        start("everyone");
        assertForwarded(send(BOB, "b1"));

        proxy.reconfigure(settings(Map.of(ProxySettings.ALLOW, "local")));
        server.takeAll();

        assertForbidden(send(BOB, "b2"), BOB, "b2");
        assertForwarded(send(ALICE, "a1"));
    }

    @Test
    void resetCountersClearsTheRefusals() {
        start("local");
        send(BOB, "b1");

        proxy.resetCounters();

        assertEquals(0, proxy.status().counters().refusedByAccessRule());
    }
}
