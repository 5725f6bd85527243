package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mockStatic;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.GroupMembership;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.core.SubscriptionState;
import org.clientproxy.testing.StubComponentManager;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.roster.RosterItem;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** Every rule of writing and taking back the proxies' roster items, against Openfire's roster, user and session API. */
class RosterGrantsTest {
    static final String SVC = "svc.example.org";
    static final Instant LATER = Instant.parse("2026-11-27T04:00:00Z");

    final FakeOpenfire openfire = new FakeOpenfire();
    final RosterRecords records = new RosterRecords(openfire.store());
    final List<ConfiguredProxy> states = new CopyOnWriteArrayList<>();
    final Queue<Packet> sent = new ConcurrentLinkedQueue<>();
    final RosterGrants grants = new RosterGrants(() -> openfire.server, records, Runnable::run, () -> states,
            Clock.fixed(LATER, ZoneOffset.UTC));

    static ProxySettings settings(String subdomain, String target, String... keyValues) {
        Map<String, String> values = new HashMap<>(Map.of(ProxySettings.TARGET, target));
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        try {
            return ProxySettings.parse(subdomain, values::get);
        } catch (InvalidSettingsException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts a proxy as the registry does: register (initialize, start), then attach. */
    ClientProxy start(String subdomain, String target) {
        ClientProxy proxy = new ClientProxy(settings(subdomain, target), ProxyClock.SYSTEM, grants, GroupMembership.NONE);
        proxy.initialize(new JID(null, subdomain + "." + FakeOpenfire.DOMAIN, null),
                new StubComponentManager(FakeOpenfire.DOMAIN, sent::add));
        proxy.start();
        states.removeIf(state -> state.subdomain().equals(subdomain));
        states.add(ConfiguredProxy.running(subdomain, Map.of(ProxySettings.TARGET, target), proxy));
        grants.attach(subdomain, proxy, false);
        return proxy;
    }

    /** Unloads as the plugin does: the component goes, the roster stays. */
    void unload(ClientProxy proxy) {
        proxy.shutdown();
        states.clear();
        sent.clear();
    }

    static List<String> online(ClientProxy proxy) {
        return proxy.status().resources().stream().map(ProxySnapshot.Resource::address).map(JID::toString).toList();
    }

    static void presence(ClientProxy proxy, Presence.Type type, String from) {
        Presence presence = new Presence(type);
        presence.setFrom(new JID(from));
        presence.setTo(new JID(SVC));
        proxy.processPacket(presence);
    }

    boolean askedAnything() {
        return sent.stream().anyMatch(packet -> packet instanceof Presence presence
                && (presence.getType() == Presence.Type.subscribe || presence.getType() == Presence.Type.probe));
    }

    @Test
    void aClientOnlineBeforeTheProxyStartsIsKnownAtOnce() {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        openfire.online("impl", "connecting", false); // bound, no initial presence yet

        ClientProxy proxy = start("svc", "impl@example.org");

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));
        assertTrue(!askedAnything(), "nothing is asked of the account: " + sent);
        assertEquals("target=impl@example.org before=absent", openfire.properties.get(RosterRecords.name("svc")));

        // From then on the server sends the account's presence to the proxy.
        presence(proxy, null, "impl@example.org/b");
        presence(proxy, Presence.Type.unavailable, "impl@example.org/a");
        assertEquals(List.of("impl@example.org/b"), online(proxy));
    }

    @Test
    void anExistingItemIsUpgradedNeverDuplicatedAndSetBackWhenTheProxyGoes() {
        openfire.accounts.addAll(List.of("impl", "other"));
        openfire.handMade("impl", SVC, RosterItem.SUB_NONE, RosterItem.RECV_SUBSCRIBE); // an earlier version's request
        openfire.handMade("other", "x." + FakeOpenfire.DOMAIN, RosterItem.SUB_TO, RosterItem.RECV_NONE);
        openfire.handMade("other", "y." + FakeOpenfire.DOMAIN, RosterItem.SUB_BOTH, RosterItem.RECV_NONE);

        start("svc", "impl@example.org");
        start("x", "other@example.org");

        assertEquals(List.of("update impl svc.example.org from", "update other x.example.org both"), openfire.takeWrites());
        assertEquals(RosterItem.RECV_NONE, openfire.item("impl", SVC).getRecvStatus(), "the old request is answered");
        assertEquals("by hand", openfire.item("impl", SVC).getNickname());

        states.clear();
        grants.reconcile(List.of());

        assertEquals(List.of("update impl svc.example.org none", "update other x.example.org to"), openfire.takeWrites());
        assertEquals("none", openfire.subscription("impl", SVC));
        assertEquals("to", openfire.subscription("other", "x.example.org"));
        assertEquals("both", openfire.subscription("other", "y.example.org"));
        assertEquals(Map.of(), openfire.properties);
    }

    @Test
    void aHandMadeItemIsUsedAndSurvivesTheProxy() {
        openfire.accounts.add("impl");
        openfire.handMade("impl", SVC, RosterItem.SUB_FROM, RosterItem.RECV_NONE);
        openfire.online("impl", "a", true);

        ClientProxy proxy = start("svc", "impl@example.org");

        assertEquals(List.of(), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_FOUND, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));

        unload(proxy);
        grants.reconcile(List.of());

        assertEquals(List.of(), openfire.takeWrites());
        assertEquals("from", openfire.subscription("impl", SVC));
        assertNull(records.get("svc"));
    }

    @Test
    void anAccountCreatedLaterGetsTheItemAndTheProxyWaitsUntilThen() {
        ClientProxy proxy = start("svc", "impl@example.org");

        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), openfire.takeWrites());
        assertTrue(!askedAnything());

        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        grants.userCreated(FakeOpenfire.user("someone-else"), Map.of());
        assertEquals(List.of(), openfire.takeWrites());
        grants.userCreated(FakeOpenfire.user("impl"), Map.of());

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));

        // The account is deleted: its roster goes with it; the proxy waits for a new one.
        grants.userDeleting(FakeOpenfire.user("impl"), Map.of());
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), online(proxy));
        assertNull(records.get("svc"));
    }

    @Test
    void theItemRemovedByTheClientIsNotWrittenAgainUntilTheOperatorAsks() {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.takeWrites();

        // The client removes the item; Openfire sends the proxy 'unsubscribed' (RFC 6121 2.5.2).
        openfire.removedByClient("impl", SVC);
        presence(proxy, Presence.Type.unsubscribed, "impl@example.org");

        Instant revokedAt = proxy.status().subscriptionSince();
        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), online(proxy));
        assertEquals(revokedAt, records.get("svc").revokedAt(), "remembered across restarts");
        assertEquals(List.of(), openfire.takeWrites(), "never written again by itself");

        // A reload: still revoked, with the time it happened, and nothing written.
        unload(proxy);
        proxy = start("svc", "impl@example.org");
        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(revokedAt, proxy.status().subscriptionSince());
        assertEquals(List.of(), openfire.takeWrites());
        assertEquals(List.of(), online(proxy));

        // The operator's re-send writes it again.
        proxy.resubscribe();

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));
        assertEquals("target=impl@example.org before=absent", openfire.properties.get(RosterRecords.name("svc")));
    }

    @Test
    void anItemRemovedWhileThePluginWasUnloadedCountsAsRevoked() {
        openfire.accounts.add("impl");
        ClientProxy proxy = start("svc", "impl@example.org");
        unload(proxy);
        openfire.removedByClient("impl", SVC);
        openfire.takeWrites();

        proxy = start("svc", "impl@example.org");

        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(LATER, proxy.status().subscriptionSince());
        assertEquals(LATER, records.get("svc").revokedAt());
        assertEquals(List.of(), openfire.takeWrites());

        // Saving the proxy (a changed setting) is the operator asking too.
        proxy.reconfigure(settings("svc", "impl@example.org", ProxySettings.TIMEOUT_MILLIS, "5000"));
        grants.attach("svc", proxy, true);
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertNull(records.get("svc").revokedAt());
    }

    @Test
    void aRetargetedProxyTakesBackItsItemAndWritesTheNewOne() {
        openfire.accounts.addAll(List.of("impl", "next"));
        openfire.handMade("next", SVC, RosterItem.SUB_TO, RosterItem.RECV_NONE);
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.takeWrites();

        proxy.reconfigure(settings("svc", "next@example.org"));
        grants.attach("svc", proxy, true);

        assertEquals(List.of("update impl svc.example.org none", "delete impl svc.example.org none",
                "update next svc.example.org both"), openfire.takeWrites());
        assertNull(openfire.item("impl", SVC));
        assertEquals("target=next@example.org before=to", openfire.properties.get(RosterRecords.name("svc")));
        assertTrue(sent.stream().noneMatch(packet -> packet instanceof Presence presence
                && presence.getType() == Presence.Type.unsubscribe), "the item is taken back on the server side");

        // To a remote account: the item goes, and the proxy asks with a subscription request.
        proxy.reconfigure(settings("svc", "impl@example.net"));
        grants.attach("svc", proxy, true);

        assertEquals(List.of("update next svc.example.org to"), openfire.takeWrites());
        assertEquals(SubscriptionState.PENDING, proxy.status().subscription());
        assertNull(records.get("svc"));
    }

    @Test
    void aRemovedProxyTakesBackItsItemAndAPluginUnloadDoesNot() {
        openfire.accounts.add("impl");
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.takeWrites();

        unload(proxy);
        assertEquals(List.of(), openfire.takeWrites(), "unloading leaves the roster alone");
        proxy = start("svc", "impl@example.org");
        assertEquals(List.of(), openfire.takeWrites(), "a reload writes nothing");
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription(), "it is still the proxy's item");

        unload(proxy);
        grants.reconcile(List.of(ConfiguredProxy.stopped("svc", Map.of(), settings("svc", "impl@example.org"),
                StopReason.of("clientproxy.reason.disabled", "disabled"))));
        assertEquals(List.of(), openfire.takeWrites(), "a disabled proxy keeps its item");

        grants.reconcile(List.of());

        assertEquals(List.of("update impl svc.example.org none", "delete impl svc.example.org none"), openfire.takeWrites());
        assertNull(openfire.item("impl", SVC));
        assertNull(records.get("svc"));
    }

    @Test
    void aProxyOfARemoteAccountWritesNoRoster() {
        ClientProxy proxy = start("svc", "impl@example.net");

        assertEquals(List.of(), openfire.takeWrites());
        assertEquals(SubscriptionState.PENDING, proxy.status().subscription());
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof Presence presence
                && presence.getType() == Presence.Type.subscribe));
        assertNull(records.get("svc"));
    }

    @Test
    void worksWithOpenfiresOwnSingleton() {
        openfire.accounts.add("impl");
        try (MockedStatic<XMPPServer> singleton = mockStatic(XMPPServer.class)) {
            singleton.when(XMPPServer::getInstance).thenReturn(openfire.server);
            RosterGrants production = new RosterGrants(XMPPServer::getInstance, records, Runnable::run, () -> states,
                    Clock.systemUTC());
            ClientProxy proxy = new ClientProxy(settings("svc", "impl@example.org"), ProxyClock.SYSTEM, production, GroupMembership.NONE);

            production.attach("svc", proxy, false);

            assertNotNull(openfire.item("impl", SVC));
        }
    }
}
