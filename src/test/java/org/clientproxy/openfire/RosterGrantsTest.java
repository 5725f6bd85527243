package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

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
import org.jivesoftware.openfire.session.ClientSession;
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
    final OneThread worker = new OneThread();
    final RosterGrants grants = new RosterGrants(() -> openfire.server, () -> openfire.provider, records, worker,
            () -> states, Clock.fixed(LATER, ZoneOffset.UTC));
    /** Openfire's events on this member, as its dispatchers pass them to the plugin. */
    final RosterEvents events = new RosterEvents(grants);

    {
        openfire.rosterListeners.add(events);
    }

    /**
     * The plugin's worker thread, run on the test's: tasks run in the order queued, each after the
     * one running (a task queued by an event that the running task caused waits for it).
     */
    static final class OneThread implements Executor {
        private final Queue<Runnable> queued = new ArrayDeque<>();
        private boolean running;

        @Override
        public void execute(Runnable task) {
            queued.add(task);
            if (running) {
                return;
            }
            running = true;
            try {
                for (Runnable next; (next = queued.poll()) != null; ) {
                    next.run();
                }
            } finally {
                running = false;
            }
        }
    }

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
        worker.execute(() -> grants.attach(subdomain, proxy, false));
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
        events.userCreated(FakeOpenfire.user("someone-else"), Map.of());
        assertEquals(List.of(), openfire.takeWrites());
        events.userCreated(FakeOpenfire.user("impl"), Map.of());

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));

        // The account is deleted: its roster goes with it; the proxy waits for a new one.
        events.userDeleting(FakeOpenfire.user("impl"), Map.of());
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), online(proxy));
        assertNull(records.get("svc"));
    }

    @Test
    void anAccountThatAppearsWithoutAnEventHereIsFoundByTheRecheck() {
        openfire.accounts.add("other");
        start("x", "other@example.org");
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.takeWrites();
        int lookups = openfire.userLookups.get();

        worker.execute(grants::recheck);

        assertEquals(lookups + 1, openfire.userLookups.get(), "only the account a proxy waits for is looked up");
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), openfire.takeWrites());

        // Created on another member of the cluster, or shown by an LDAP directory: no event here.
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        worker.execute(grants::recheck);

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));
        lookups = openfire.userLookups.get();
        worker.execute(grants::recheck);
        assertEquals(lookups, openfire.userLookups.get(), "no proxy waits: nothing is looked up");
    }

    /**
     * Deleted on another member: Openfire removes the account's roster there item by item, so
     * this member's proxy only gets 'unsubscribed' (a revocation); the recheck finds the account
     * gone, waits for it, and writes the item again when it is back.
     */
    @Test
    void anAccountDeletedOnAnotherMemberIsWaitedForAgainAndWrittenWhenItIsBack() {
        openfire.accounts.add("impl");
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.removedByClient("impl", SVC); // as RosterManager.deleteRoster does
        openfire.accounts.remove("impl");
        presence(proxy, Presence.Type.unsubscribed, "impl@example.org");
        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        openfire.takeWrites();

        worker.execute(grants::recheck);

        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
        assertNull(records.get("svc"), "the roster went with the account: nothing to take back");

        openfire.accounts.add("impl");
        worker.execute(grants::recheck);

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
    }

    /** A user provider out of reach (an LDAP directory) fails one look-up: the others go on, it is tried again. */
    @Test
    void aLookUpThatFailsDelaysOnlyItsOwnProxy() {
        ClientProxy broken = start("x", "broken@example.org");
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.accounts.addAll(List.of("impl", "broken"));
        openfire.unreachable.add("broken");

        worker.execute(grants::recheck);

        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, broken.status().subscription());
        openfire.unreachable.clear();
        worker.execute(grants::recheck);
        assertEquals(SubscriptionState.ROSTER_WRITTEN, broken.status().subscription());
    }

    @Test
    void aProxyThatStopsOrChangesTargetNoLongerWaitsForItsAccount() {
        ClientProxy proxy = start("svc", "impl@example.org");
        proxy.reconfigure(settings("svc", "impl@example.net"));
        worker.execute(() -> grants.attach("svc", proxy, true));
        start("gone", "nobody@example.org");
        states.removeIf(state -> state.subdomain().equals("gone"));
        worker.execute(grants::recheck); // finds "gone" stopped: forgets it
        int lookups = openfire.userLookups.get();

        worker.execute(grants::recheck);

        assertEquals(lookups, openfire.userLookups.get());
    }

    @Test
    void aSessionOfTheAwaitedAccountStartingHereIsNoticedAtOnce() {
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        int lookups = openfire.userLookups.get();

        events.sessionCreated(session("someone@example.org/x"));
        assertEquals(lookups, openfire.userLookups.get(), "an account no proxy waits for costs one map look-up, nothing more");
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());

        events.sessionCreated(session("impl@example.org/a"));

        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));
    }

    /** The account's client adds the proxy's address with a roster set that ends before the proxy's item is stored. */
    @Test
    void anAccountAddingTheAddressJustBeforeTheProxyKeepsOneItemThatGrants() {
        assertOneItemThatGrants(raceWithTheAccount(FakeRoster.Moment.BEFORE_INSERT, () -> openfire.addedByClient("impl", SVC)));
    }

    /** The account's client looked the address up before the proxy's item was there, and adds its own after. */
    @Test
    void anAccountAddingTheAddressJustAfterTheProxyKeepsOneItemThatGrants() {
        assertOneItemThatGrants(raceWithTheAccount(FakeRoster.Moment.AFTER_PUT, () -> openfire.createdByClient("impl", SVC)));
    }

    /** Starts the proxy of impl (online as /a) while the account's client does {@code add} at {@code moment} of the proxy's create. */
    private ClientProxy raceWithTheAccount(FakeRoster.Moment moment, Runnable add) {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        openfire.roster("impl").interleave(moment, add);
        return start("svc", "impl@example.org");
    }

    /** The same on another member: no roster event here; the recheck after the proxy's write finds it. */
    @Test
    void anAccountAddingTheAddressOnAnotherMemberIsRepairedByTheRecheck() {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.elsewhere(() -> openfire.createdByClient("impl", SVC));
        assertEquals(2, openfire.stored("impl", SVC).size(), "Openfire stored a second item");
        assertEquals("none", openfire.subscription("impl", SVC), "and holds the account's, without the proxy's subscription");

        worker.execute(grants::recheck);

        assertOneItemThatGrants(proxy);
    }

    /** One stored item, granting, with the account's name for it; it stays (without the grant) when the proxy goes. */
    private void assertOneItemThatGrants(ClientProxy proxy) {
        assertEquals(1, openfire.stored("impl", SVC).size(), () -> "stored: " + openfire.stored("impl", SVC));
        assertEquals("from", openfire.subscription("impl", SVC));
        assertEquals("added by the client", openfire.item("impl", SVC).getNickname(), "the account's name for it");
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(List.of("impl@example.org/a"), online(proxy));
        openfire.restart();
        assertEquals("from", openfire.subscription("impl", SVC), "the same after a restart");

        unload(proxy);
        grants.reconcile(List.of());
        assertEquals("none", openfire.subscription("impl", SVC), "the account added it too: it stays");
        assertEquals(1, openfire.stored("impl", SVC).size());
        assertEquals(List.of(), openfire.takeRouted());
    }

    static ClientSession session(String address) {
        ClientSession session = mock(ClientSession.class);
        when(session.getAddress()).thenReturn(new JID(address));
        return session;
    }

    @Test
    void theItemRemovedByTheClientIsNotWrittenAgainUntilTheOperatorAsks() {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        ClientProxy proxy = start("svc", "impl@example.org");
        openfire.takeWrites();

        // The client removes the item; Openfire sends the proxy 'unsubscribed' (RFC 6121 2.5.2).
        openfire.removedByClient("impl", SVC);
        assertEquals(List.of("delete impl svc.example.org from"), openfire.takeWrites());
        assertEquals(List.of("unsubscribed impl@example.org svc.example.org"), openfire.takeRouted());
        presence(proxy, Presence.Type.unsubscribed, "impl@example.org");

        Instant revokedAt = proxy.status().subscriptionSince();
        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(List.of(), online(proxy));
        assertEquals(revokedAt, records.get("svc").revokedAt(), "remembered across restarts");
        worker.execute(grants::recheck);
        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription(), "the account still exists");
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

        assertEquals(List.of(), openfire.takeRouted(), "taken back quietly: no unsubscribed reaches the proxy's address");
        assertEquals(List.of("update impl svc.example.org none", "delete impl svc.example.org none",
                "update next svc.example.org both"), openfire.takeWrites());
        assertNull(openfire.item("impl", SVC));
        assertEquals("target=next@example.org before=to", openfire.properties.get(RosterRecords.name("svc")));

        // To a remote account: the item goes, and the proxy asks with a subscription request.
        proxy.reconfigure(settings("svc", "impl@example.net"));
        grants.attach("svc", proxy, true);

        assertEquals(List.of(), openfire.takeRouted());
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

        assertEquals(List.of(), openfire.takeRouted(), "taken back quietly: no unsubscribed reaches the proxy's address");
        assertEquals(List.of("update impl svc.example.org none", "delete impl svc.example.org none"), openfire.takeWrites());
        assertNull(openfire.item("impl", SVC));
        assertEquals(List.of(), openfire.stored("impl", SVC));
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

    /**
     * Production passes {@code XMPPServer::getInstance}: the server is looked up when there is
     * roster work, not when the plugin is built (Openfire builds plugins while it starts, and
     * after its setup the server it hands out is a new one).
     */
    @Test
    void looksUpOpenfiresOwnSingletonAtEachUse() {
        openfire.accounts.add("impl");
        FakeOpenfire afterSetup = new FakeOpenfire();
        afterSetup.accounts.add("impl2");
        try (MockedStatic<XMPPServer> singleton = mockStatic(XMPPServer.class)) {
            singleton.when(XMPPServer::getInstance).thenReturn(null);
            RosterGrants production = new RosterGrants(XMPPServer::getInstance, () -> openfire.provider, records,
                    Runnable::run, () -> states, Clock.systemUTC());

            singleton.when(XMPPServer::getInstance).thenReturn(openfire.server);
            ClientProxy proxy = new ClientProxy(settings("svc", "impl@example.org"), ProxyClock.SYSTEM, production, GroupMembership.NONE);
            production.attach("svc", proxy, false);

            assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
            assertEquals(1, openfire.stored("impl", SVC).size());
            assertEquals("target=impl@example.org before=absent", openfire.properties.get(RosterRecords.name("svc")));

            singleton.when(XMPPServer::getInstance).thenReturn(afterSetup.server);
            ClientProxy other = new ClientProxy(settings("other", "impl2@example.org"), ProxyClock.SYSTEM, production, GroupMembership.NONE);
            production.attach("other", other, false);

            assertEquals(List.of(), openfire.takeWrites());
            assertEquals(List.of("create impl2 other.example.org none", "update impl2 other.example.org from"),
                    afterSetup.takeWrites());
        }
    }
}
