package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import java.io.File;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.testing.LogCapture;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.stats.StatisticsManager;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * The plugin unloaded and loaded again as Openfire 5.1.1 does it (one pass of its plugin monitor:
 * {@code destroyPlugin} of the old instance, the class loader closed, then the new instance's
 * {@code initializePlugin}), for an upgrade (the jar still in {@code plugins/}), a removal (the
 * admin console deletes the jar first) and a server shutdown. Stanzas reach the proxy's address
 * through the host's routing, as Openfire's would, also between the two instances.
 */
class PluginUpgradeTest {
    private static final String SVC = "svc.example.org";
    private static final String USER = "user@example.org/x";
    private static final String IMPL = "impl@example.org/a";

    private final FakeOpenfire openfire = new FakeOpenfire();
    private final FakeComponentHost host = new FakeComponentHost();
    private final Map<String, String> systemProperties = new ConcurrentHashMap<>();
    /** The JVM's system properties, shared by the two instances like Openfire's JVM shares its own. */
    private final Hashtable<Object, Object> jvm = new Hashtable<>();
    private final PluginManager pluginManager = mock(PluginManager.class);
    private final StatisticsManager statistics = mock(StatisticsManager.class);
    private final List<ClientProxyPlugin> loaded = new ArrayList<>();
    private MockedStatic<PropertyEventDispatcher> dispatcher;
    private MockedStatic<ClusterManager> cluster;

    @BeforeEach
    void setUp() {
        dispatcher = mockStatic(PropertyEventDispatcher.class);
        cluster = mockStatic(ClusterManager.class);
        openfire.accounts.add("impl");
        openfire.online("impl", "a", true);
        systemProperties.put(ProxySystemProperties.name("svc", "target"), "impl@example.org");
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        installed(true);
    }

    @AfterEach
    void tearDown() {
        try {
            installed(false);
            for (ClientProxyPlugin plugin : loaded) {
                if (ClientProxyPlugin.instance() == plugin) {
                    plugin.destroyPlugin();
                }
            }
            new ProxyHandover(jvm).releaseUnclaimed();
        } finally {
            dispatcher.close();
            cluster.close();
        }
    }

    private void installed(boolean installed) {
        when(pluginManager.isInstalled("clientproxy")).thenReturn(installed);
    }

    private ClientProxyPlugin load() throws Exception {
        ClientProxyPlugin plugin = new ClientProxyPlugin(new ProxySystemProperties(systemProperties::get), host,
                new ProxyStatistics(PluginTextTest.english(), () -> statistics),
                () -> openfire.server, () -> openfire.provider, openfire.store(), jvm);
        plugin.initializePlugin(pluginManager, new File("plugins", "clientproxy"));
        loaded.add(plugin);
        plugin.awaitQueuedWork();
        return plugin;
    }

    private static ClientProxy proxy(ClientProxyPlugin plugin) {
        return plugin.proxies().get(0).proxy();
    }

    private void route(Packet packet) {
        host.route("svc", packet);
    }

    private static IQ request(String id) {
        IQ request = new IQ(IQ.Type.get, id);
        request.setFrom(new JID(USER));
        request.setTo(new JID(SVC));
        request.setChildElement("query", "urn:example:service");
        return request;
    }

    private static IQ replyTo(IQ forwarded) {
        IQ reply = IQ.createResultIQ(forwarded);
        reply.setChildElement("answer", "urn:example:service");
        return reply;
    }

    /** What the implementing client received, by id. */
    private IQ forwarded(String id) {
        return host.requestsTo(IMPL).stream().filter(iq -> iq.getID().equals(id)).reduce((a, b) -> {
            throw new AssertionError("forwarded twice: " + id);
        }).orElseThrow(() -> new AssertionError("not forwarded: " + id));
    }

    /** Every answer the requester got, as "id type[/condition]", in order. */
    private List<String> answers() {
        return host.sent.stream().filter(packet -> packet instanceof IQ iq && USER.equals(String.valueOf(iq.getTo()))
                && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error))
                .map(packet -> packet.getID() + " " + ((IQ) packet).getType()
                        + (packet.getError() == null ? "" : "/" + packet.getError().getCondition().toXMPP()))
                .toList();
    }

    @Test
    void anUpgradeHandsRequestsInFlightAndThoseSentMeanwhileToTheNextInstance() throws Exception {
        ClientProxyPlugin old = load();
        ClientProxy oldProxy = proxy(old);
        route(request("inFlight"));
        IQ inFlight = forwarded("inFlight");
        openfire.takeWrites();

        old.destroyPlugin();

        assertEquals(List.of(), answers(), "nothing answered at the unload");
        List<?> atTheAddress = host.componentsAt("svc");
        assertEquals(1, atTheAddress.size());
        assertInstanceOf(AddressHolder.class, atTheAddress.get(0), "the address is held, not left to s2s");
        assertTrue(jvm.containsKey(ProxyHandover.KEY));
        route(request("meanwhile"));
        route(replyTo(inFlight)); // the implementing client answers between the two instances
        assertEquals(List.of(), answers());

        ClientProxyPlugin next = load();

        ClientProxy nextProxy = proxy(next);
        assertEquals(List.of(nextProxy), host.componentsAt("svc"), "the holder left the address");
        assertEquals(List.of("inFlight result"), answers(), "the late reply reached its requester");
        route(replyTo(forwarded("meanwhile")));
        assertEquals(List.of("inFlight result", "meanwhile result"), answers());
        assertEquals(0, nextProxy.status().outstanding());
        assertEquals(List.of(), openfire.takeWrites(), "no churn in the implementing client's roster");
        assertFalse(jvm.containsKey(ProxyHandover.KEY), "nothing left in the system properties");
        assertNoHolderThread();
        WeakReference<ClientProxy> gone = new WeakReference<>(oldProxy);
        oldProxy = null;
        loaded.remove(old);
        old = null;
        // Mocks remember every call: the component and statistics managers the old proxy, the static dispatchers the
        // old instance's listeners (and through them its worker and registry). Openfire forgets them at the unload.
        clearInvocations(statistics, host.openfire.manager);
        dispatcher.clearInvocations();
        cluster.clearInvocations();
        assertCollected(gone);
    }

    @Test
    void theNextInstanceTimesOutARequestItTookOverAtItsDeadline() throws Exception {
        systemProperties.put(ProxySystemProperties.name("svc", "timeoutMillis"), "300");
        ClientProxyPlugin old = load();
        route(request("neverAnswered"));
        forwarded("neverAnswered");
        old.destroyPlugin();

        load();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of("neverAnswered error/remote-server-timeout"), answers());
    }

    @Test
    void removingThePluginAnswersEverythingAtOnce() throws Exception {
        ClientProxyPlugin plugin = load();
        route(request("inFlight"));
        installed(false); // the admin console deletes the jar, then Openfire unloads the plugin

        plugin.destroyPlugin();

        assertAnsweredAtOnceAndNothingHeld();
        assertNoHolderThread();
    }

    @Test
    void aProxyWhoseAddressCannotBeHeldAnswersEverythingAtOnce() throws Exception {
        ClientProxyPlugin plugin = load();
        route(request("inFlight"));
        host.refused.add("svc");

        try (LogCapture log = LogCapture.start()) {
            plugin.destroyPlugin();
            assertTrue(log.text().contains("Could not hold the address of client proxy svc for the next instance of the"
                    + " plugin; stopping it"), log.text());
        }

        assertAnsweredAtOnceAndNothingHeld();
    }

    @Test
    void aServerShutdownAnswersEverythingAtOnce() throws Exception {
        ClientProxyPlugin plugin = load();
        route(request("inFlight"));
        XMPPServer server = mock(XMPPServer.class);
        when(server.isShuttingDown()).thenReturn(true);
        try (MockedStatic<XMPPServer> openfireStatic = mockStatic(XMPPServer.class)) {
            openfireStatic.when(XMPPServer::getInstance).thenReturn(server);
            plugin.destroyPlugin();
        }

        assertAnsweredAtOnceAndNothingHeld();
    }

    @Test
    void aProxyTheNextInstanceDoesNotRunHasEverythingAnsweredAtOnce() throws Exception {
        ClientProxyPlugin old = load();
        route(request("inFlight"));
        old.destroyPlugin();
        route(request("meanwhile"));
        systemProperties.put(ProxySystemProperties.name("svc", "enabled"), "false");

        ClientProxyPlugin next = load();

        assertEquals(List.of("inFlight error/service-unavailable", "meanwhile error/service-unavailable"),
                answers().stream().sorted().toList());
        assertTrue(host.componentsAt("svc").isEmpty(), "nothing holds the address");
        assertFalse(next.proxies().get(0).running());
        assertFalse(jvm.containsKey(ProxyHandover.KEY));
        assertNoHolderThread();
    }

    @Test
    void aResourceThatLeavesBetweenTheInstancesIsNotTakenForOnline() throws Exception {
        ClientProxyPlugin old = load();
        old.destroyPlugin();
        openfire.online("impl", "a", false); // the server's session list lags; the presence is on its way
        route(presence(IMPL, Presence.Type.unavailable));

        ClientProxyPlugin next = load();

        assertEquals(List.of(), proxy(next).status().resources(), "the departure queued meanwhile was not lost");
        assertSame(proxy(next), host.registered().get("svc"));
    }

    /** The request in flight got its error at the unload, and nothing waits for a next instance. */
    private void assertAnsweredAtOnceAndNothingHeld() {
        assertEquals(List.of("inFlight error/service-unavailable"), answers());
        assertTrue(host.componentsAt("svc").isEmpty(), "nothing holds the address");
        assertFalse(jvm.containsKey(ProxyHandover.KEY), "nothing left for a next instance");
    }

    private static Presence presence(String from, Presence.Type type) {
        Presence presence = new Presence(type);
        presence.setFrom(new JID(from));
        presence.setTo(new JID(SVC));
        return presence;
    }

    private static void assertNoHolderThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (AddressHolderTest.holderThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(AddressHolderTest.holderThreadAlive(), "the holder's thread ended");
    }

    private static void assertCollected(WeakReference<?> reference) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (reference.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(reference.get(), "something still refers to the old instance's proxy");
    }
}
