package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.clientproxy.core.ClientProxyTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** The sticky strategy through the proxy: one account's requests stay on one resource. */
class StickyRoutingTest {
    private static final JID IMPL_C = new JID("impl@example.org/c");
    private static final JID ALICE_LAPTOP = new JID("alice@example.org/laptop");

    private final RecordingComponentManager server = new RecordingComponentManager();
    private final ClientProxy proxy = new ClientProxy(settings(Map.of(ProxySettings.STRATEGY, "sticky")), new ManualClock());

    @BeforeEach
    void start() {
        proxy.initialize(SERVICE, server);
        proxy.start();
        for (JID resource : new JID[] {IMPL_A, IMPL_B, IMPL_C}) {
            presence(null, resource);
        }
        server.takeAll();
    }

    private void presence(Presence.Type type, JID from) {
        ClientProxyTest.presence(proxy, type, from);
    }

    /** Sends 30 requests from two resources of alice's, answers each, and returns where they went. */
    private Set<JID> thirtyRequestsOfAlice(String round) {
        Set<JID> resources = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            proxy.processPacket(get(i % 2 == 0 ? ALICE : ALICE_LAPTOP, round + i));
            IQ forwarded = server.takeOnly(IQ.class);
            resources.add(forwarded.getTo());
            proxy.processPacket(resultFor(forwarded, "ok"));
            server.takeOnly(IQ.class);
        }
        return resources;
    }

    @Test
    void oneAccountsRequestsLandOnOneResourceAndMoveTogetherWhenItLeaves() {
        Set<JID> first = thirtyRequestsOfAlice("first-");
        assertEquals(1, first.size(), "all on one resource: " + first);
        JID chosen = first.iterator().next();

        presence(Presence.Type.unavailable, chosen);
        Set<JID> second = thirtyRequestsOfAlice("second-");

        assertEquals(1, second.size(), "all moved to one other resource: " + second);
        assertNotEquals(chosen, second.iterator().next());

        presence(null, chosen);
        assertEquals(first, thirtyRequestsOfAlice("third-"), "back on its resource once that is online again");
    }

    @Test
    void aGetWhoseResourceLeavesIsResentWhereTheAccountsNextRequestsGo() {
        proxy.processPacket(get(ALICE, "held"));
        IQ held = server.takeOnly(IQ.class);

        presence(Presence.Type.unavailable, held.getTo());
        IQ resent = server.takeOnly(IQ.class);
        proxy.processPacket(get(ALICE_LAPTOP, "next"));
        IQ next = server.takeOnly(IQ.class);

        assertNotEquals(held.getTo(), resent.getTo());
        assertEquals(resent.getTo(), next.getTo());
    }

    @Test
    void otherAccountsAreSpreadOverTheResources() {
        Set<JID> used = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            proxy.processPacket(get(new JID("user" + i + "@example.net/x"), "q"));
            used.add(server.takeOnly(IQ.class).getTo());
        }
        assertEquals(Set.of(IMPL_A, IMPL_B, IMPL_C), used);
    }
}
