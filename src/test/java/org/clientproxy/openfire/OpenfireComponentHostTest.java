package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.RequestJournal;
import org.clientproxy.testing.Waits;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.openfire.cluster.NodeID;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.MockedStatic;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.JID;

/** The host's calls to Openfire's internal component manager, a static singleton. */
class OpenfireComponentHostTest {
    private final InternalComponentManager manager = mock(InternalComponentManager.class);
    private final Component component = mock(Component.class);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final OpenfireComponentHost host = new OpenfireComponentHost(clock::get);
    private MockedStatic<InternalComponentManager> singleton;

    @BeforeEach
    void mockSingleton() {
        singleton = mockStatic(InternalComponentManager.class);
        singleton.when(InternalComponentManager::getInstance).thenReturn(manager);
        when(manager.getServerName()).thenReturn("example.org");
    }

    @AfterEach
    void closeSingleton() {
        singleton.close();
    }

    @Test
    void theDomainIsTheServers() {
        assertEquals("example.org", host.domain());
    }

    @Test
    void anAddressWithARouteIsTaken() {
        when(manager.hasComponent(new JID("proxy.example.org"))).thenReturn(true);

        assertTrue(host.isTaken("proxy"));
        assertFalse(host.isTaken("svc"));
    }

    @Test
    void registeringInitializesTheComponentThenAddsItAtItsSubdomain() throws Exception {
        host.register("svc", component);
        // Openfire routes the address before it initializes: the component must be ready first.
        InOrder order = inOrder(component, manager);
        order.verify(component).initialize(new JID("svc.example.org"), manager);
        order.verify(manager).addComponent("svc", component);
    }

    @Test
    void aRefusedRegistrationReachesTheCaller() throws Exception {
        ComponentException refusal = new ComponentException("taken");
        doThrow(refusal).when(manager).addComponent("svc", component);

        assertSame(refusal, assertThrows(ComponentException.class, () -> host.register("svc", component)));
    }

    @Test
    void unregisteringRemovesOnlyThisComponent() {
        host.unregister("svc", component);
        verify(manager).removeComponent("svc", component);
    }

    @Test
    void withoutAComponentManagerNothingIsRegistered() {
        singleton.when(InternalComponentManager::getInstance).thenReturn(null);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> host.register("svc", component));
        assertTrue(failure.getMessage().contains("component manager"), failure.getMessage());
    }

    @Test
    void theRoleFollowsTheClusterAndAMemberThatHasNotJoinedRunsNothing() {
        try (MockedStatic<ClusterManager> cluster = mockStatic(ClusterManager.class)) {
            assertEquals(ClusterRole.ALONE, host.clusterRole(), "clustering off");

            cluster.when(ClusterManager::isClusteringEnabled).thenReturn(true);
            assertEquals(ClusterRole.JOINING, host.clusterRole(), "clustering on, not joined yet");
            assertFalse(host.clusterRole().runsProxies());

            cluster.when(ClusterManager::isClusteringStarted).thenReturn(true);
            assertEquals(ClusterRole.STANDBY, host.clusterRole(), "joined, not senior");

            cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
            assertEquals(ClusterRole.SENIOR, host.clusterRole(), "joined, senior");
            assertTrue(host.clusterRole().runsProxies());
        }
    }

    /** A two-member cluster, this member {@code self} and {@code peer}, with Openfire's route caches. */
    private final class Cluster implements AutoCloseable {
        final NodeID self = NodeID.getInstance("self-node".getBytes(StandardCharsets.UTF_8));
        final NodeID peer = NodeID.getInstance("peer-node".getBytes(StandardCharsets.UTF_8));
        final NodeID gone = NodeID.getInstance("gone-node".getBytes(StandardCharsets.UTF_8));
        final Map<String, HashSet<NodeID>> routes = new HashMap<>();
        final Map<JID, HashSet<NodeID>> components = new HashMap<>();
        final MockedStatic<ClusterManager> cluster = mockStatic(ClusterManager.class);
        final Map<String, Object> journal = new HashMap<>();
        /** The journal cache's limits as set, and its creation, in order. */
        final List<String> journalSetup = new java.util.concurrent.CopyOnWriteArrayList<>();
        final RoutingTable routing = mock(RoutingTable.class);
        private final MockedStatic<XMPPServer> server = mockStatic(XMPPServer.class);
        final MockedStatic<LocalMember> local = mockStatic(LocalMember.class);
        private final MockedStatic<CacheFactory> caches = mockStatic(CacheFactory.class);

        @SuppressWarnings("unchecked")
        Cluster() {
            local.when(LocalMember::nodeID).thenReturn(self);
            local.when(LocalMember::hostName).thenReturn("host-a");
            cluster.when(ClusterManager::isClusteringEnabled).thenReturn(true);
            cluster.when(ClusterManager::isClusteringStarted).thenReturn(true);
            List<ClusterNodeInfo> members = List.of(member(self, "host-a"), member(peer, "host-b"));
            cluster.when(ClusterManager::getNodesInfo).thenReturn(members);
            Cache<String, HashSet<NodeID>> routeCache = cache(routes);
            Cache<JID, HashSet<NodeID>> componentCache = cache(components);
            caches.when(() -> CacheFactory.createCache(ComponentRoutes.ROUTES_CACHE)).thenReturn(routeCache);
            caches.when(() -> CacheFactory.createCache(ComponentRoutes.COMPONENTS_CACHE)).thenReturn(componentCache);
            caches.when(() -> CacheFactory.getLock(any(), any())).thenAnswer(call -> new ReentrantLock());
            Cache<String, Object> journalCache = mock(Cache.class);
            when(journalCache.entrySet()).thenAnswer(call -> journal.entrySet());
            when(journalCache.put(any(), any())).thenAnswer(call -> journal.put(call.getArgument(0), call.getArgument(1)));
            when(journalCache.remove(any())).thenAnswer(call -> journal.remove(call.getArgument(0)));
            caches.when(() -> CacheFactory.setMaxSizeProperty(any(), any(Long.class))).thenAnswer(call -> {
                journalSetup.add("size of " + call.getArgument(0) + ": " + call.getArgument(1));
                return null;
            });
            caches.when(() -> CacheFactory.setMaxLifetimeProperty(any(), any(Long.class))).thenAnswer(call -> {
                journalSetup.add("lifetime of " + call.getArgument(0) + ": " + call.getArgument(1));
                return null;
            });
            caches.when(() -> CacheFactory.createCache(OpenfireComponentHost.JOURNAL_CACHE)).thenAnswer(call -> {
                journalSetup.add("created");
                return journalCache;
            });
            XMPPServer openfire = mock(XMPPServer.class);
            server.when(XMPPServer::getInstance).thenReturn(openfire);
            when(openfire.getRoutingTable()).thenReturn(routing);
        }

        private static ClusterNodeInfo member(NodeID id, String hostName) {
            ClusterNodeInfo member = mock(ClusterNodeInfo.class);
            when(member.getNodeID()).thenReturn(id);
            when(member.getHostName()).thenReturn(hostName);
            return member;
        }

        /** A cache mock over a map, for the calls the host makes. */
        @SuppressWarnings("unchecked")
        private static <K> Cache<K, HashSet<NodeID>> cache(Map<K, HashSet<NodeID>> entries) {
            Cache<K, HashSet<NodeID>> cache = mock(Cache.class);
            when(cache.get(any())).thenAnswer(call -> entries.get(call.getArgument(0)));
            when(cache.put(any(), any())).thenAnswer(call -> entries.put(call.getArgument(0), call.getArgument(1)));
            when(cache.remove(any())).thenAnswer(call -> entries.remove(call.getArgument(0)));
            return cache;
        }

        void hold(String address, NodeID... holders) {
            routes.put(address, new HashSet<>(List.of(holders)));
            components.put(new JID(address), new HashSet<>(List.of(holders)));
        }

        @Override
        public void close() {
            server.close();
            caches.close();
            local.close();
            cluster.close();
        }
    }

    @Test
    void aRouteOfAMemberThatIsGoneIsClearedFromBothCaches() {
        try (Cluster cluster = new Cluster()) {
            cluster.hold("svc.example.org", cluster.gone);

            assertEquals(List.of(), host.runners("svc"), "a member that is gone runs nothing");
            assertFalse(host.clearStaleRegistration("svc"), "Openfire may be dropping it right now");
            clock.addAndGet(ComponentRoutes.GRACE_NANOS - 1);
            assertFalse(host.clearStaleRegistration("svc"));
            assertEquals(Set.of(cluster.gone), cluster.routes.get("svc.example.org"));
            clock.addAndGet(1);
            assertTrue(host.clearStaleRegistration("svc"));
            assertEquals(Map.of(), cluster.routes);
            assertEquals(Map.of(), cluster.components);
            assertFalse(host.clearStaleRegistration("svc"), "nothing left to clear");
        }
    }

    @Test
    void eachAddressKeepsItsOwnGraceSecond() {
        try (Cluster cluster = new Cluster()) {
            cluster.hold("svc.example.org", cluster.gone);
            cluster.hold("other.example.org", NodeID.getInstance("gone-too".getBytes(StandardCharsets.UTF_8)));

            assertFalse(host.clearStaleRegistration("svc"));
            assertFalse(host.clearStaleRegistration("other"));
            clock.addAndGet(ComponentRoutes.GRACE_NANOS);
            assertTrue(host.clearStaleRegistration("svc"));
            assertTrue(host.clearStaleRegistration("other"));
            assertEquals(Map.of(), cluster.routes);
        }
    }

    @Test
    void onlyTheSeniorSharesItsProxiesOutstandingRequests() throws Exception {
        try (Cluster cluster = new Cluster()) {
            ClientProxy standing = mock(ClientProxy.class);
            host.attachJournal("svc", standing);
            verify(standing, never()).setJournal(any());

            cluster.cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
            ClientProxy running = mock(ClientProxy.class);
            host.attachJournal("svc", running);
            ArgumentCaptor<RequestJournal> journal = ArgumentCaptor.forClass(RequestJournal.class);
            verify(running).setJournal(journal.capture());

            CompletableFuture<List<JournaledRequest>> keptWhenSent = new CompletableFuture<>();
            journal.getValue().forwarded("alice@example.org/a", "slow", new JID("svc.example.org"),
                    new JID("impl@example.org/x"), Duration.ofSeconds(30), new Forward(() -> keptWhenSent.complete(
                            cluster.journal.entrySet().stream().flatMap(entry -> JournaledRequest.decode("svc\n",
                                    entry.getKey(), entry.getValue()).stream()).toList())));
            assertEquals(List.of("alice@example.org/a slow"), keptWhenSent.get(10, TimeUnit.SECONDS).stream()
                    .map(request -> request.requester() + " " + request.id()).toList(),
                    "written, on the journal's thread, before it is sent");
            host.detachJournal("svc");
        }
    }

    @Test
    void theJournalsSizeAndLifetimeAreThePluginsSetBeforeTheCacheIsCreated() {
        try (Cluster cluster = new Cluster()) {
            cluster.cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
            host.attachJournal("svc", mock(ClientProxy.class));
            host.detachJournal("svc");
            assertEquals(List.of("size of Client Proxy Outstanding Requests: -1",
                    "lifetime of Client Proxy Outstanding Requests: 7200000", "created"), cluster.journalSetup,
                    "no limit on its size; kept two hours after its last write, longer than any timeout");
        }
    }

    @Test
    void aRequestOfAClientOfThisMemberIsSentAtOnceWithoutTheCluster() throws Exception {
        try (Cluster cluster = new Cluster()) {
            cluster.cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
            when(cluster.routing.isLocalRoute(new JID("bob@example.org/b"))).thenReturn(true);
            ClientProxy running = mock(ClientProxy.class);
            host.attachJournal("svc", running);
            ArgumentCaptor<RequestJournal> journal = ArgumentCaptor.forClass(RequestJournal.class);
            verify(running).setJournal(journal.capture());

            Map<String, String> sentOn = new java.util.concurrent.ConcurrentHashMap<>();
            List<String> requesters = List.of("bob@example.org/b", "bob@example.org/elsewhere", "bob@other.org/b");
            for (String requester : requesters) {
                journal.getValue().forwarded(requester, "r", new JID("svc.example.org"), new JID("impl@example.org/x"),
                        Duration.ofSeconds(30), new Forward(() -> sentOn.put(requester, Thread.currentThread().getName())));
            }
            assertEquals(Thread.currentThread().getName(), sentOn.get("bob@example.org/b"),
                    "the client of this member: at once, on the caller's thread");
            Waits.until(Duration.ofSeconds(30), () -> "all three sent: " + sentOn, () -> sentOn.size() == requesters.size());
            assertEquals(Map.of("bob@example.org/b", Thread.currentThread().getName(),
                    "bob@example.org/elsewhere", "clientproxy-journal-svc", "bob@other.org/b", "clientproxy-journal-svc"),
                    sentOn, "the others once written, by the journal's thread");
            assertEquals(2, cluster.journal.values().stream().mapToInt(value -> ((String[]) value).length / 5).sum());
            host.detachJournal("svc");
        }
    }

    /** A request handed to the journal: outstanding, and sending runs {@code onSend}. */
    private record Forward(Runnable onSend) implements RequestJournal.Forward {
        @Override
        public boolean outstanding() {
            return true;
        }

        @Override
        public void send() {
            onSend.run();
        }
    }

    @Test
    void aRouteOfThisMemberWithoutALocalComponentIsStaleOneWithItIsNot() {
        try (Cluster cluster = new Cluster()) {
            cluster.hold("svc.example.org", cluster.self, cluster.gone);
            cluster.local.when(() -> LocalMember.hostsComponent(new JID("svc.example.org"))).thenReturn(true);

            assertFalse(host.clearStaleRegistration("svc"));
            clock.addAndGet(ComponentRoutes.GRACE_NANOS);
            assertTrue(host.clearStaleRegistration("svc"));
            assertEquals(Map.of("svc.example.org", Set.of(cluster.self)), cluster.routes, "this member's own stays");
            assertEquals(List.of("host-a (self-node)"), host.runners("svc"));

            cluster.local.when(() -> LocalMember.hostsComponent(new JID("svc.example.org"))).thenReturn(false);
            assertTrue(host.clearStaleRegistration("svc"), "this member's own is known at once");
            assertEquals(Map.of(), cluster.routes);
        }
    }

    @Test
    void aRouteOfALiveMemberIsNeverCleared() {
        try (Cluster cluster = new Cluster()) {
            cluster.hold("svc.example.org", cluster.peer);

            assertFalse(host.clearStaleRegistration("svc"));
            assertEquals(Map.of("svc.example.org", Set.of(cluster.peer)), cluster.routes);
            assertEquals(List.of("host-b (peer-node)"), host.runners("svc"));
            assertEquals(List.of(), host.runners("other"));
        }
    }

}
