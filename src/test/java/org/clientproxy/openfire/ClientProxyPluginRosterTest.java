package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.core.SubscriptionState;
import org.clientproxy.testing.Waits;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.event.UserEventDispatcher;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.roster.RosterEventDispatcher;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.stats.StatisticsManager;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.PropertyEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * The roster rules through the loaded plugin, as Openfire drives it: load, unload and load again
 * (a plugin reload or restart), property changes, Openfire's user events, the operator's re-send.
 */
class ClientProxyPluginRosterTest {
    static final String SVC = "svc.example.org";

    private final FakeOpenfire openfire = new FakeOpenfire();
    private final Map<String, String> systemProperties = new ConcurrentHashMap<>();
    private final FakeComponentHost host = new FakeComponentHost();
    private final StatisticsManager statistics = mock(StatisticsManager.class);
    private MockedStatic<PropertyEventDispatcher> dispatcher;
    private MockedStatic<ClusterManager> cluster;
    private MockedStatic<UserEventDispatcher> users;
    private MockedStatic<SessionEventDispatcher> sessions;
    private MockedStatic<RosterEventDispatcher> rosterEvents;
    private ClientProxyPlugin plugin;
    private PropertyEventListener listener;
    /** The plugin's listener to Openfire's user, session and roster events. */
    private RosterEvents events;

    @BeforeEach
    void mockDispatchers() {
        dispatcher = mockStatic(PropertyEventDispatcher.class);
        cluster = mockStatic(ClusterManager.class);
        users = mockStatic(UserEventDispatcher.class);
        sessions = mockStatic(SessionEventDispatcher.class);
        rosterEvents = mockStatic(RosterEventDispatcher.class);
        systemProperties.put(ProxySystemProperties.name("svc", "target"), "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
    }

    @AfterEach
    void unload() {
        try {
            if (plugin != null && ClientProxyPlugin.instance() == plugin) {
                plugin.destroyPlugin();
            }
        } finally {
            dispatcher.close();
            cluster.close();
            users.close();
            sessions.close();
            rosterEvents.close();
        }
    }

    private void load() throws Exception {
        plugin = new ClientProxyPlugin(new ProxySystemProperties(systemProperties::get), host,
                new ProxyStatistics(PluginTextTest.english(), () -> statistics), () -> openfire.server,
                () -> openfire.provider, openfire.store());
        plugin.initializePlugin(null, null);
        ArgumentCaptor<PropertyEventListener> properties = ArgumentCaptor.forClass(PropertyEventListener.class);
        dispatcher.verify(() -> PropertyEventDispatcher.addListener(properties.capture()), atLeastOnce());
        listener = properties.getAllValues().stream().filter(ConfigurationListener.class::isInstance).reduce((a, b) -> b).orElseThrow();
        ArgumentCaptor<UserEventListener> userEvents = ArgumentCaptor.forClass(UserEventListener.class);
        users.verify(() -> UserEventDispatcher.addListener(userEvents.capture()), atLeastOnce());
        events = (RosterEvents) userEvents.getValue();
        sessions.verify(() -> SessionEventDispatcher.addListener(events));
        rosterEvents.verify(() -> RosterEventDispatcher.addListener(events));
        openfire.rosterListeners.clear();
        openfire.rosterListeners.add(events);
        plugin.awaitQueuedWork();
    }

    private void reload() throws Exception {
        plugin.destroyPlugin();
        users.verify(() -> UserEventDispatcher.removeListener(events));
        sessions.verify(() -> SessionEventDispatcher.removeListener(events));
        rosterEvents.verify(() -> RosterEventDispatcher.removeListener(events));
        load();
    }

    private ClientProxy proxy() {
        return plugin.proxies().stream().filter(state -> state.subdomain().equals("svc")).findFirst().orElseThrow().proxy();
    }

    private List<String> online() {
        return proxy().status().resources().stream().map(ProxySnapshot.Resource::address).map(JID::toString).toList();
    }

    @Test
    void aReloadKnowsTheClientsAlreadyOnlineAndDoesNotTouchTheRoster() throws Exception {
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        load();
        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(List.of("impl@example.org/a"), online());
        openfire.online("impl", "b", true); // logs in while the plugin is being reloaded

        reload();

        assertEquals(List.of(), openfire.takeWrites(), "no churn in the implementing client's roster");
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy().status().subscription());
        assertEquals(List.of("impl@example.org/a", "impl@example.org/b"), online());
        assertTrue(host.sent.stream().noneMatch(packet -> packet instanceof Presence presence
                && presence.getType() == Presence.Type.subscribe), "no subscription request to a local account");
    }

    @Test
    void anAccountCreatedLaterIsToldByOpenfiresUserEvents() throws Exception {
        load();
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy().status().subscription());

        openfire.accounts.add("impl");
        events.userCreated(FakeOpenfire.user("impl"), Map.of());
        plugin.awaitQueuedWork();

        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy().status().subscription());
        assertNotNull(openfire.item("impl", SVC));
    }

    /** Created on another member of the cluster, or shown by a read-only user provider: no event on this member. */
    @Test
    void anAccountThatAppearsWithoutAnEventIsNoticedByTheWorkersRecheck() throws Exception {
        load();
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy().status().subscription());

        openfire.accounts.add("impl");

        Waits.until(RosterGrants.RECHECK_INTERVAL.multipliedBy(6), () -> "the recheck to find the account",
                () -> proxy().status().subscription() == SubscriptionState.ROSTER_WRITTEN);
        assertNotNull(openfire.item("impl", SVC));
    }

    @Test
    void removingTheProxyTakesBackItsItem() throws Exception {
        openfire.accounts.add("impl");
        load();
        openfire.takeWrites();

        systemProperties.remove(ProxySystemProperties.PROXIES);
        listener.propertyDeleted(ProxySystemProperties.PROXIES, Map.of());
        plugin.awaitQueuedWork();

        assertEquals(List.of("update impl svc.example.org none", "delete impl svc.example.org none"), openfire.takeWrites());
        assertTrue(openfire.properties.isEmpty());
    }

    @Test
    void theOperatorsReSendWritesTheRevokedItemAgain() throws Exception {
        openfire.accounts.add("impl");
        load();
        openfire.removedByClient("impl", SVC);
        Presence unsubscribed = new Presence(Presence.Type.unsubscribed);
        unsubscribed.setFrom("impl@example.org");
        unsubscribed.setTo(SVC);
        proxy().processPacket(unsubscribed);
        plugin.awaitQueuedWork();
        assertTrue(openfire.properties.get(RosterRecords.name("svc")).contains(" revoked="));
        openfire.takeWrites();

        assertTrue(plugin.renewPresence("svc").get(10, TimeUnit.SECONDS));

        assertEquals(List.of("create impl svc.example.org none", "update impl svc.example.org from"), openfire.takeWrites());
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy().status().subscription());
        assertFalse(plugin.renewPresence("nope").get(10, TimeUnit.SECONDS));
    }

    @Test
    void aStandbyMemberOfAClusterWritesNoRoster() throws Exception {
        openfire.accounts.add("impl");
        openfire.properties.put(RosterRecords.name("gone"), "target=impl@example.org before=absent");
        openfire.handMade("impl", "gone.example.org", RosterItem.SUB_FROM, RosterItem.RECV_NONE);
        host.clusterRole = ClusterRole.STANDBY;

        load();

        assertFalse(plugin.proxies().get(0).running(), "the senior member runs the proxies");
        assertEquals(List.of(), openfire.takeWrites());
        assertEquals("from", openfire.subscription("impl", "gone.example.org"),
                "the senior member takes back what removed proxies wrote");
        assertEquals(1, openfire.properties.size());
    }
}
