package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.RequestJournal;
import org.clientproxy.testing.LogCapture;
import org.clientproxy.testing.Waits;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.openfire.cluster.NodeID;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * The host over Openfire 5.1.1's internal component manager ({@link FakeInternalComponentManager})
 * and, in a cluster, over Openfire's route caches.
 */
class OpenfireComponentHostTest {
    static {
        OpenfireClasses.initializeWithoutHome(CacheFactory.class);
    }

    private final List<Packet> routed = new CopyOnWriteArrayList<>();
    private final FakeInternalComponentManager openfire = new FakeInternalComponentManager("example.org", routed::add);
    private final AtomicReference<InternalComponentManager> current = new AtomicReference<>(openfire.manager);
    private final RecordingComponent component = new RecordingComponent();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final OpenfireComponentHost host = new OpenfireComponentHost(current::get, clock::get);

    /** A component that notes what Openfire does to it, and whether its address routed at the time. */
    private final class RecordingComponent implements Component {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException failStart;

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public String getDescription() {
            return "notes what Openfire does to it";
        }

        @Override
        public void processPacket(Packet packet) {
            calls.add(packet instanceof IQ iq ? iq.getType() + " " + iq.getChildElement().getNamespaceURI() + " from "
                    + iq.getFrom() : packet.toXML());
        }

        @Override
        public void initialize(JID jid, ComponentManager manager) {
            calls.add("initialize " + jid + (openfire.hasComponent(jid) ? " routed" : " not routed yet"));
        }

        @Override
        public void start() {
            calls.add("start");
            if (failStart != null) {
                throw failStart;
            }
        }

        @Override
        public void shutdown() {
            calls.add("shutdown");
        }
    }

    @Test
    void theDomainAndTheManagerAreTheServersOfTheMomentAtEachCall() throws Exception {
        assertEquals("example.org", host.domain());

        // Openfire started again in the same JVM (after its setup): a new manager, maybe a new domain.
        FakeInternalComponentManager restarted = new FakeInternalComponentManager("example.net", routed::add);
        current.set(restarted.manager);
        host.register("svc", component);

        assertEquals("example.net", host.domain());
        assertEquals(List.of(component), restarted.components("svc"));
        assertEquals(Map.of(), openfire.registered());
    }

    @Test
    void theDefaultHostUsesOpenfiresSingleton() throws Exception {
        try (MockedStatic<InternalComponentManager> singleton = mockStatic(InternalComponentManager.class)) {
            singleton.when(InternalComponentManager::getInstance).thenReturn(openfire.manager);

            new OpenfireComponentHost().register("svc", component);

            assertEquals(List.of(component), openfire.components("svc"));
        }
    }

    @Test
    void anAddressWithARouteIsTakenWhetherAComponentOrAServiceOfOpenfireHoldsIt() throws Exception {
        openfire.routes.add("proxy.example.org"); // the file-transfer proxy: a route, no component

        assertTrue(host.isTaken("proxy"));
        assertFalse(host.isTaken("svc"));
        host.register("svc", component);
        assertTrue(host.isTaken("svc"));
        host.unregister("svc", component);
        assertFalse(host.isTaken("svc"));
    }

    @Test
    void registeringInitializesTheComponentBeforeOpenfireRoutesItsAddress() throws Exception {
        host.register("svc", component);

        // Openfire routes the address, then initializes and starts, then asks its questions.
        assertEquals(List.of("initialize svc.example.org not routed yet", "initialize svc.example.org routed", "start",
                "get http://jabber.org/protocol/disco#info from component.example.org",
                "get jabber:iq:version from component.example.org"), component.calls);
    }

    @Test
    void aComponentThatFailsToStartIsRefusedAndLeavesNoRoute() {
        IllegalStateException failure = new IllegalStateException("cannot start");
        component.failStart = failure;

        ComponentException refused = assertThrows(ComponentException.class, () -> host.register("svc", component));

        assertSame(failure, refused.getCause());
        assertFalse(host.isTaken("svc"));
        assertEquals(Map.of(), openfire.registered());
    }

    /** Openfire shares a subdomain quietly (an external component connecting with that name, say). */
    @Test
    void unregisteringRemovesOnlyThisComponentAndEndsIt() throws Exception {
        RecordingComponent other = new RecordingComponent();
        host.register("svc", component);
        openfire.manager.addComponent("svc", other);
        assertEquals(List.of("initialize svc.example.org routed", "start"), other.calls, "shared, without a word");

        host.unregister("svc", component);

        assertEquals(List.of(other), openfire.components("svc"), "the other stays");
        assertTrue(host.isTaken("svc"));
        assertTrue(component.calls.contains("shutdown"), "Openfire shuts down only the last one: the host ends it");
        assertFalse(other.calls.contains("shutdown"));
    }

    /** A proxy handing its work to the plugin's next instance, whose holder already shares the address. */
    @Test
    void handingOverTheAddressRemovesThisComponentWithoutEndingIt() throws Exception {
        RecordingComponent holder = new RecordingComponent();
        host.register("svc", component);
        host.register("svc", holder);

        host.handOverAddress("svc", component);

        assertEquals(List.of(holder), openfire.components("svc"), "the holder keeps the address");
        assertFalse(component.calls.contains("shutdown"), "a shutdown would answer everything the proxy holds");
    }

    @Test
    void unregisteringASubdomainOpenfireNoLongerHoldsEndsTheComponentAndSaysSo() throws Exception {
        host.register("svc", component);
        openfire.forgetAll();

        assertThrows(NullPointerException.class, () -> host.unregister("svc", component), "as Openfire 5.1.1 does");

        assertTrue(component.calls.contains("shutdown"));
    }

    @Test
    void withoutAComponentManagerNothingIsRegistered() {
        current.set(null);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> host.register("svc", component));
        assertTrue(failure.getMessage().contains("component manager"), failure.getMessage());
        assertEquals(List.of(), component.calls);
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

            CompletableFuture<List<String>> keptWhenSent = new CompletableFuture<>();
            forwardOne(seniorsJournal(cluster), "slow", () -> keptWhenSent.complete(cluster.journal.entrySet().stream()
                    .flatMap(entry -> RequestRecord.decode("svc\n", entry.getKey(), entry.getValue()).stream())
                    .map(request -> request.requester() + " " + request.id()).toList()));
            assertEquals(List.of("alice@example.org/a slow"), keptWhenSent.get(10, TimeUnit.SECONDS),
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
    void aProxyThatHandsOverHasEveryRequestRecordSentEvenWhenTheClusterHangs() throws Exception {
        try (Cluster cluster = new Cluster()) {
            RequestJournal journal = seniorsJournal(cluster);
            CountDownLatch clusterHangs = new CountDownLatch(1);
            Cache<String, Object> hanging = CacheFactory.createCache(OpenfireComponentHost.JOURNAL_CACHE);
            when(hanging.put(any(), any())).thenAnswer(call -> {
                clusterHangs.await(10, TimeUnit.SECONDS);
                return null;
            });
            AtomicInteger sent = new AtomicInteger();
            forwardOne(journal, "r1", sent::incrementAndGet);

            try (LogCapture log = LogCapture.start()) {
                host.drainJournal("svc"); // the proxy handed over: its requests go to the next instance
                assertTrue(log.text().contains("The cluster has not taken the outstanding requests of client proxy svc"
                        + " for 500 ms; forwarded 1 without waiting"), log.text());
            }

            assertEquals(1, sent.get(), "sent without the cluster, before the next instance takes it over");
            clusterHangs.countDown();
        }
    }

    @Test
    void aRequestOfAClientOfThisMemberIsSentAtOnceWithoutTheCluster() throws Exception {
        try (Cluster cluster = new Cluster()) {
            when(cluster.routing.isLocalRoute(new JID("bob@example.org/b"))).thenReturn(true);
            RequestJournal journal = seniorsJournal(cluster);

            Map<String, String> sentOn = new ConcurrentHashMap<>();
            List<String> requesters = List.of("bob@example.org/b", "bob@example.org/elsewhere", "bob@other.org/b");
            for (String requester : requesters) {
                forward(journal, requester, "r", () -> sentOn.put(requester, Thread.currentThread().getName()));
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

    /** The journal the host gives a proxy it registers while this member is the senior. */
    private RequestJournal seniorsJournal(Cluster cluster) {
        cluster.cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
        ClientProxy running = mock(ClientProxy.class);
        host.attachJournal("svc", running);
        ArgumentCaptor<RequestJournal> journal = ArgumentCaptor.forClass(RequestJournal.class);
        verify(running).setJournal(journal.capture());
        return journal.getValue();
    }

    /** A request of alice's that is outstanding until sent; {@code send} is what sending it does. */
    private static void forwardOne(RequestJournal journal, String id, Runnable send) {
        forward(journal, "alice@example.org/a", id, send);
    }

    private static void forward(RequestJournal journal, String requester, String id, Runnable send) {
        journal.forwarded(requester, id, new JID("svc.example.org"), new JID("impl@example.org/x"),
                Duration.ofSeconds(30), new RequestJournal.Forward() {
                    @Override
                    public boolean outstanding() {
                        return true;
                    }

                    @Override
                    public void send() {
                        send.run();
                    }
                });
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
