package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.testing.Waits;
import org.clientproxy.testing.LogCapture;
import org.jivesoftware.openfire.stats.StatisticsManager;
import org.jivesoftware.openfire.cluster.ClusterEventListener;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.event.GroupEventDispatcher;
import org.jivesoftware.openfire.event.GroupEventListener;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.PropertyEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * The plugin's lifecycle as Openfire drives it: load, property changes, unload. The property
 * dispatcher is Openfire's static singleton, so it is mocked statically to capture the listener.
 */
class ClientProxyPluginTest {
    /** How long a test waits for what the plugin's thread does: generous, a passing test never waits for it. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final Map<String, String> systemProperties = new ConcurrentHashMap<>();
    private final AtomicInteger configurationReads = new AtomicInteger();
    private final FakeComponentHost host = new FakeComponentHost();
    private MockedStatic<PropertyEventDispatcher> dispatcher;
    /** Openfire's statistics, as the plugin's worker thread sees them (a static mock would be this thread's only). */
    private final StatisticsManager statistics = mock(StatisticsManager.class);
    private MockedStatic<ClusterManager> cluster;
    private MockedStatic<SessionEventDispatcher> sessionEvents;
    private MockedStatic<GroupEventDispatcher> groupEvents;
    private ClientProxyPlugin plugin;
    private PropertyEventListener listener;

    @BeforeEach
    void mockDispatcher() {
        dispatcher = mockStatic(PropertyEventDispatcher.class);
        cluster = mockStatic(ClusterManager.class);
        sessionEvents = mockStatic(SessionEventDispatcher.class);
        groupEvents = mockStatic(GroupEventDispatcher.class);
    }

    @AfterEach
    void unload() throws InterruptedException {
        try {
            if (ClientProxyPlugin.instance() == plugin && plugin != null) {
                plugin.destroyPlugin();
            }
            // A terminated executor's thread may take a moment to end; the next test counts threads.
            for (Thread worker : workerThreads()) {
                worker.join(PATIENCE.toMillis());
            }
        } finally {
            dispatcher.close();
            cluster.close();
            sessionEvents.close();
            groupEvents.close();
        }
    }

    private void load() throws Exception {
        plugin = new ClientProxyPlugin(new ProxySystemProperties(name -> {
            if (name.equals(ProxySystemProperties.PROXIES)) {
                configurationReads.incrementAndGet();
            }
            return systemProperties.get(name);
        }), host, new ProxyStatistics(PluginTextTest.english(), () -> statistics));
        plugin.initializePlugin(null, null);
        // Only ours: loading ClusterManager registers a listener of Openfire's own the first time.
        ArgumentCaptor<PropertyEventListener> captor = ArgumentCaptor.forClass(PropertyEventListener.class);
        dispatcher.verify(() -> PropertyEventDispatcher.addListener(captor.capture()), atLeastOnce());
        listener = captor.getAllValues().stream()
                .filter(ConfigurationListener.class::isInstance)
                .reduce((first, second) -> fail("the plugin registered two configuration listeners"))
                .orElseThrow();
        plugin.awaitQueuedWork();
    }

    /** Sets a property as Openfire does: store it, then tell the listeners. */
    private void set(String name, String value) throws Exception {
        systemProperties.put(name, value);
        listener.propertySet(name, Map.of("value", value));
        plugin.awaitQueuedWork();
    }

    private void delete(String name) throws Exception {
        systemProperties.remove(name);
        listener.propertyDeleted(name, Map.of());
        plugin.awaitQueuedWork();
    }

    private void configure(String subdomain, String target) {
        systemProperties.put(ProxySystemProperties.name(subdomain, "target"), target);
    }

    private ConfiguredProxy state(String subdomain) {
        return plugin.proxies().stream().filter(state -> state.subdomain().equals(subdomain)).findFirst()
                .orElseThrow(() -> new AssertionError("no state for " + subdomain));
    }

    @Test
    void loadingRegistersTheEnabledProxiesAndPublishesThePlugin() throws Exception {
        configure("svc", "impl@example.org");
        configure("other", "impl2@example.org");
        systemProperties.put(ProxySystemProperties.name("off", "target"), "impl@example.org");
        systemProperties.put(ProxySystemProperties.name("off", "enabled"), "false");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc, other,off");

        load();

        assertSame(plugin, ClientProxyPlugin.instance());
        assertEquals(Map.of("svc", state("svc").proxy(), "other", state("other").proxy()), Map.copyOf(host.registered()));
        assertFalse(state("off").running());
        assertEquals(List.of("svc", "other", "off"), plugin.proxies().stream().map(ConfiguredProxy::subdomain).toList());
        assertEquals(FakeComponentHost.DOMAIN, plugin.domain());
    }

    @Test
    void onceLoadedThePluginShowsTheConfiguredProxiesWithoutWaiting() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        plugin = new ClientProxyPlugin(new ProxySystemProperties(systemProperties::get), host,
                new ProxyStatistics(PluginTextTest.english(), () -> statistics));

        plugin.initializePlugin(null, null);

        // No awaitQueuedWork(): an admin page opened right after an upgrade must not say "no proxy".
        assertEquals(List.of("svc"), plugin.proxies().stream().map(ConfiguredProxy::subdomain).toList());
        assertTrue(state("svc").running());
    }

    @Test
    void unloadingUnregistersEverythingAndLeavesNoThreadOrListener() throws Exception {
        configure("svc", "impl@example.org");
        configure("other", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc,other");
        load();
        ClientProxy svc = state("svc").proxy();
        Stanzas.online(svc, "svc.example.org", "impl@example.org/a");
        Stanzas.request(svc, "svc.example.org", "user@example.org/x", "r1");
        List<Thread> workers = workerThreads();
        assertEquals(1, workers.size(), "one worker thread while loaded");
        assertTrue(workers.get(0).isDaemon());

        plugin.destroyPlugin();

        assertNull(ClientProxyPlugin.instance());
        assertTrue(host.registered().isEmpty(), "every component unregistered");
        assertTrue(plugin.proxies().isEmpty());
        dispatcher.verify(() -> PropertyEventDispatcher.removeListener(listener));
        IQ answer = single(host.errorsTo("user@example.org/x"));
        assertEquals("r1", answer.getID());
        for (Thread worker : workers) {
            worker.join(PATIENCE.toMillis());
            assertFalse(worker.isAlive(), "the worker thread survived the unload");
        }
        assertTrue(plugin.applyConfiguration().isCompletedExceptionally(), "no reload after unload");
    }

    @Test
    void aRequesterWhoseSessionEndsIsForgottenByTheRunningProxiesUntilUnload() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();
        ClientProxy svc = state("svc").proxy();
        Stanzas.online(svc, "svc.example.org", "impl@example.org/a");
        Stanzas.request(svc, "svc.example.org", "user@example.org/x", "r1");
        ArgumentCaptor<SessionEventListener> sessions = ArgumentCaptor.forClass(SessionEventListener.class);
        sessionEvents.verify(() -> SessionEventDispatcher.addListener(sessions.capture()));
        ArgumentCaptor<GroupEventListener> groups = ArgumentCaptor.forClass(GroupEventListener.class);
        groupEvents.verify(() -> GroupEventDispatcher.addListener(groups.capture()));
        ClientSession session = mock(ClientSession.class);
        when(session.getAddress()).thenReturn(new JID("user@example.org/x"));

        sessions.getValue().sessionDestroyed(session);

        assertEquals(0, svc.status().outstanding());
        assertEquals(1, svc.status().counters().requesterGone());

        plugin.destroyPlugin();
        sessionEvents.verify(() -> SessionEventDispatcher.removeListener(sessions.getValue()));
        groupEvents.verify(() -> GroupEventDispatcher.removeListener(groups.getValue()));
    }

    @Test
    void aProxyAddedToThePropertiesStartsWithoutARestart() throws Exception {
        load();
        assertTrue(plugin.proxies().isEmpty());

        configure("svc", "impl@example.org");
        set(ProxySystemProperties.PROXIES, "svc");

        assertTrue(state("svc").running());
        assertSame(state("svc").proxy(), host.registered().get("svc"));
    }

    @Test
    void aChangedTargetIsAppliedToTheRunningProxy() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();
        ClientProxy proxy = state("svc").proxy();
        Stanzas.online(proxy, "svc.example.org", "impl@example.org/a");
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r1");

        set(ProxySystemProperties.name("svc", "target"), "impl2@example.org");

        assertSame(proxy, state("svc").proxy());
        assertEquals(new JID("impl2@example.org"), proxy.settings().target());
        assertEquals(PacketError.Condition.recipient_unavailable,
                single(host.errorsTo("user@example.org/x")).getError().getCondition());
    }

    @Test
    void aRemovedProxyIsUnregisteredAndItsRequestsAnswered() throws Exception {
        configure("svc", "impl@example.org");
        configure("other", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc,other");
        load();
        ClientProxy proxy = state("svc").proxy();
        Stanzas.online(proxy, "svc.example.org", "impl@example.org/a");
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r1");

        set(ProxySystemProperties.PROXIES, "other");

        assertFalse(host.registered().containsKey("svc"));
        assertTrue(state("other").running());
        assertEquals("r1", single(host.errorsTo("user@example.org/x")).getID());
    }

    @Test
    void deletingTheTargetStopsTheProxyWithTheReasonKept() throws Exception {
        configure("svc", "impl@example.org");
        configure("other", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc,other");
        load();

        delete(ProxySystemProperties.name("svc", "target"));

        assertFalse(state("svc").running());
        assertEquals(StopReason.INVALID, state("svc").reason().key());
        assertEquals(List.of("target"), state("svc").reason().invalidFields());
        assertFalse(host.registered().containsKey("svc"));
        assertTrue(state("other").running());
    }

    @Test
    void invalidSettingsAtLoadLeaveTheOtherProxiesRunning() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.name("bad", "target"), "impl@example.org/resource");
        systemProperties.put(ProxySystemProperties.PROXIES, "bad,svc");

        load();

        assertTrue(state("svc").running());
        assertFalse(state("bad").running());
        assertEquals(StopReason.INVALID, state("bad").reason().key());
        assertEquals(List.of("target"), state("bad").reason().invalidFields());
        assertTrue(state("bad").reason().text().contains("bare JID"), "the core's problem, for the log: "
                + state("bad").reason().text());
    }

    @Test
    void aSubdomainTakenByOpenfireIsRefusedWithAClearReason() throws Exception {
        host.taken.add("proxy");
        configure("proxy", "impl@example.org");
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "proxy,svc");

        load();

        assertFalse(state("proxy").running());
        assertEquals("clientproxy.error.subdomain.taken", state("proxy").reason().key());
        assertEquals(List.of("proxy.example.org"), state("proxy").reason().args());
        assertFalse(host.registered().containsKey("proxy"));
        assertTrue(state("svc").running());
    }

    @Test
    void anAddressIsTakenByAnotherServiceUnlessARunningProxyOfThePluginHoldsIt() throws Exception {
        host.taken.add("proxy");
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();

        assertTrue(plugin.isTakenByAnotherService("proxy"));
        assertTrue(host.isTaken("svc"));
        assertFalse(plugin.isTakenByAnotherService("svc"), "held by our own proxy");
        assertFalse(plugin.isTakenByAnotherService("free"));
    }

    @Test
    void theRatesOfARunningProxyAreInOpenfireStatisticsUntilItOrThePluginGoesAway() throws Exception {
        configure("svc", "impl@example.org");
        configure("other", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc,other");
        load();
        for (String key : List.of("clientproxy_svc_forwarded", "clientproxy_svc_errors", "clientproxy_svc_timeouts",
                "clientproxy_other_forwarded", "clientproxy_other_errors", "clientproxy_other_timeouts")) {
            verify(statistics).addStatistic(org.mockito.ArgumentMatchers.eq(key), any());
        }

        set(ProxySystemProperties.PROXIES, "other");
        verify(statistics).removeStatistic("clientproxy_svc_forwarded");
        verify(statistics, never()).removeStatistic("clientproxy_other_forwarded");

        plugin.destroyPlugin();
        verify(statistics).removeStatistic("clientproxy_other_forwarded");
        verify(statistics).removeStatistic("clientproxy_other_errors");
        verify(statistics).removeStatistic("clientproxy_other_timeouts");
    }

    @Test
    void otherPropertiesDoNotReloadTheConfiguration() throws Exception {
        load();
        int reads = configurationReads.get();

        set("xmpp.domain", "elsewhere.org");
        listener.xmlPropertySet(ProxySystemProperties.PROXIES, Map.of());
        plugin.awaitQueuedWork();
        assertEquals(reads, configurationReads.get());

        set(ProxySystemProperties.PROXIES, "");
        assertEquals(reads + 1, configurationReads.get());
    }

    @Test
    void overdueRequestsAreAnsweredByTheSweep() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.name("svc", "timeoutMillis"), "100");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();
        ClientProxy proxy = state("svc").proxy();
        Stanzas.online(proxy, "svc.example.org", "impl@example.org/a");

        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "slow");

        Waits.until(PATIENCE, () -> "the timeout error", () -> !host.errorsTo("user@example.org/x").isEmpty());
        IQ timeout = single(host.errorsTo("user@example.org/x"));
        assertEquals("slow", timeout.getID());
        assertEquals(PacketError.Condition.remote_server_timeout, timeout.getError().getCondition());
    }

    /** A member that cannot be reached but is not yet declared gone holds the cluster's writes up. */
    @Test
    void theSweepAlsoForwardsWhatWaitsForTheClusterTooLong() throws Exception {
        CountDownLatch clusterBack = new CountDownLatch(1);
        host.clusterRole = ClusterRole.SENIOR;
        host.cluster = new ConcurrentHashMap<>() {
            @Override
            public Object put(String key, Object value) {
                awaitUninterruptibly(clusterBack);
                return super.put(key, value);
            }

            @Override
            public void putAll(Map<? extends String, ?> entries) {
                awaitUninterruptibly(clusterBack);
                super.putAll(entries);
            }
        };
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();
        ClientProxy proxy = state("svc").proxy();
        Stanzas.online(proxy, "svc.example.org", "impl@example.org/a");

        try (LogCapture log = LogCapture.start()) {
            Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r1");

            Waits.until(PATIENCE, () -> "the request to go out without its journal write", () -> host.requestsTo("impl@example.org/a").stream()
                    .anyMatch(request -> request.getID().equals("r1")));
            // Logged by the sweep once it has sent the request: a moment after the test sees it.
            Waits.until(PATIENCE, () -> "the sweep's WARN line", () -> log.text().contains("The cluster has not taken the outstanding requests"
                    + " of client proxy svc"));
        } finally {
            clusterBack.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the writer is being shut down: still hold the write up until the test lets it go
            }
        }
    }

    @Test
    void reloadingAfterUnloadAndLoadingAgainStartsFresh() throws Exception {
        configure("svc", "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        load();
        ClientProxy first = state("svc").proxy();
        List<Thread> oldWorkers = workerThreads();
        plugin.destroyPlugin();
        dispatcher.clearInvocations();
        for (Thread worker : oldWorkers) {
            worker.join(PATIENCE.toMillis());
        }

        load();

        assertNotSame(first, state("svc").proxy());
        assertEquals(List.of("register svc", "unregister svc", "register svc"), List.copyOf(host.events));
        assertEquals(1, workerThreads().size(), "one worker thread, the new one");
    }

    @Test
    void theListenerIsRegisteredBeforeTheFirstRead() throws Exception {
        dispatcher.when(() -> PropertyEventDispatcher.addListener(any())).then(invocation -> {
            assertEquals(0, configurationReads.get(), "configuration read before listening for changes");
            return null;
        });
        load();
        dispatcher.verify(() -> PropertyEventDispatcher.removeListener(any()), never());
        assertEquals(1, configurationReads.get());
    }

    private static List<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(ProxyWorker.THREAD_NAME) && thread.isAlive())
                .toList();
    }

    private static IQ single(List<IQ> stanzas) {
        assertEquals(1, stanzas.size(), () -> "expected exactly one answer, got " + stanzas);
        return stanzas.get(0);
    }

    @Test
    void onlyTheSeniorClusterMemberRunsTheProxies() throws Exception {
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        systemProperties.put(ProxySystemProperties.name("svc", "target"), "impl@example.org");
        load();
        ArgumentCaptor<ClusterEventListener> captor = ArgumentCaptor.forClass(ClusterEventListener.class);
        cluster.verify(() -> ClusterManager.addListener(captor.capture()));
        ClusterEventListener clusterListener = captor.getValue();
        assertTrue(plugin.proxies().get(0).running());

        host.clusterRole = ClusterRole.STANDBY;
        clusterListener.joinedCluster();
        plugin.awaitQueuedWork();

        ConfiguredProxy standing = plugin.proxies().get(0);
        assertFalse(standing.running());
        assertEquals("clientproxy.reason.standby", standing.reason().key());
        assertFalse(host.registered().containsKey("svc"));

        host.clusterRole = ClusterRole.SENIOR;
        clusterListener.markedAsSeniorClusterMember();
        plugin.awaitQueuedWork();

        assertTrue(plugin.proxies().get(0).running());
        plugin.destroyPlugin();
        cluster.verify(() -> ClusterManager.removeListener(clusterListener));
    }

    @Test
    void aMemberThatHasNotJoinedStartsNothingUntilItKnowsItsRole() throws Exception {
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        configure("svc", "impl@example.org");
        host.clusterRole = ClusterRole.JOINING;
        load();
        ArgumentCaptor<ClusterEventListener> captor = ArgumentCaptor.forClass(ClusterEventListener.class);
        cluster.verify(() -> ClusterManager.addListener(captor.capture()));

        assertEquals("clientproxy.reason.joining", state("svc").reason().key());
        assertEquals(List.of(), List.copyOf(host.events));

        host.clusterRole = ClusterRole.STANDBY;
        captor.getValue().joinedCluster();
        plugin.awaitQueuedWork();
        assertEquals("clientproxy.reason.standby", state("svc").reason().key());
        assertEquals(List.of(), List.copyOf(host.events), "never registered, not even for a moment");
        assertEquals(List.of(), plugin.runners("svc"));
    }

    @Test
    void aProxyWhoseAddressIsFreedLaterStartsWithoutAnyEvent() throws Exception {
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        configure("svc", "impl@example.org");
        host.taken.add("svc");
        load();
        assertEquals("clientproxy.error.subdomain.taken", state("svc").reason().key());

        // As when the member that held it has left the cluster and Openfire has dropped its route.
        host.taken.remove("svc");
        Waits.until(PATIENCE, () -> "a retry to start the proxy", () -> state("svc").running());
        assertEquals(List.of("this member"), plugin.runners("svc"));
    }
}
