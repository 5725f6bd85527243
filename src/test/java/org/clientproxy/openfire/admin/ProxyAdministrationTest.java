package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.openfire.ProxyState;
import org.clientproxy.openfire.admin.ProxyAdministration.Outcome;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

class ProxyAdministrationTest {
    private final FakeBackend backend = new FakeBackend();
    private final MemoryPropertyStore store = new MemoryPropertyStore();
    private final RecordingAudit audit = new RecordingAudit();
    private final TestProxies proxies = new TestProxies();
    private final ProxyAdministration administration = new ProxyAdministration(backend, new ProxyConfiguration(store),
            audit, Duration.ofMillis(200));

    private static ProxySettings settings(String subdomain, String target) throws Exception {
        Map<String, String> values = Map.of("target", target, "strategy", "round-robin");
        return ProxySettings.parse(subdomain, values::get);
    }

    private void configured(String subdomain) {
        store.values.put("plugin.clientproxy.proxies", subdomain);
        store.values.put("plugin.clientproxy.proxy." + subdomain + ".target", "impl@example.org");
    }

    @Test
    void addingAProxySavesItLogsItAndWaitsUntilItIsApplied() throws Exception {
        Outcome outcome = administration.save(null, settings("svc", "impl@example.org"));

        assertEquals(Outcome.DONE, outcome);
        assertEquals("svc", store.values.get("plugin.clientproxy.proxies"));
        assertEquals(1, backend.applied);
        assertEquals(List.of("Added client proxy svc.example.org | target=impl@example.org, strategy=round-robin,"
                + " timeoutMillis=30000, unresponsiveMillis=5000, maxPerRequester=100, maxOutstanding=10000, enabled=true"), audit.events);
    }

    @Test
    void changingAndMovingAProxyAreLoggedAsSuch() throws Exception {
        configured("svc");
        administration.save("svc", settings("svc", "impl2@example.org"));
        administration.save("svc", settings("moved", "impl2@example.org"));

        assertTrue(audit.events.get(0).startsWith("Changed client proxy svc.example.org | target=impl2@example.org"),
                audit.events.get(0));
        assertTrue(audit.events.get(1).startsWith("Changed client proxy svc.example.org to moved.example.org"
                + " | subdomain=moved, target=impl2@example.org"), audit.events.get(1));
    }

    @Test
    void aChangeNotAppliedInTimeIsReportedAsPending() throws Exception {
        backend.apply = CompletableFuture::new;

        long start = System.nanoTime();
        Outcome outcome = administration.save(null, settings("svc", "impl@example.org"));

        assertEquals(Outcome.PENDING, outcome);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "waited about the patience only");
        assertEquals("svc", store.values.get("plugin.clientproxy.proxies"), "saved all the same");
    }

    @Test
    void aFailedApplyIsReportedAsPending() throws Exception {
        backend.apply = () -> CompletableFuture.failedFuture(new IllegalStateException("The plugin is not loaded"));

        assertEquals(Outcome.PENDING, administration.save(null, settings("svc", "impl@example.org")));
    }

    @Test
    void removingAProxyDeletesItAndLogsIt() {
        configured("svc");

        assertEquals(Outcome.DONE, administration.remove("svc"));

        assertTrue(store.values.isEmpty(), store.values.toString());
        assertEquals(List.of("Removed client proxy svc.example.org | subdomain=svc"), audit.events);
        assertEquals(1, backend.applied);
    }

    @Test
    void removingAnUnknownProxyChangesNothing() {
        configured("svc");

        assertEquals(Outcome.UNKNOWN, administration.remove("other"));

        assertEquals(List.of(), store.changes);
        assertEquals(List.of(), audit.events);
    }

    @Test
    void resubscribingSendsTheSubscriptionRequestAndProbeAgain() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        TestProxies.subscribed(svc);
        backend.states.add(svc);
        proxies.sent.clear();

        assertEquals(Outcome.DONE, administration.resubscribe("svc"));

        JID target = new JID("impl@example.org");
        assertEquals(List.of(target), proxies.presences(Presence.Type.subscribe).stream().map(Presence::getTo).toList());
        assertEquals(List.of(target), proxies.presences(Presence.Type.probe).stream().map(Presence::getTo).toList());
        assertEquals(List.of("Re-sent the subscription request of client proxy svc.example.org | target=impl@example.org"),
                audit.events);
    }

    @Test
    void whileTheSubscriptionIsPendingOnlyTheRequestIsSentAgain() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        backend.states.add(svc);
        proxies.sent.clear();

        assertEquals(Outcome.DONE, administration.resubscribe("svc"));

        assertEquals(1, proxies.presences(Presence.Type.subscribe).size());
        assertEquals(0, proxies.presences(Presence.Type.probe).size(), "a probe would only bounce as not-authorized");
    }

    @Test
    void resettingSetsTheCountersBackToZero() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        backend.states.add(svc);
        TestProxies.request(svc, "user@example.org/x", "r1");
        assertEquals(1, svc.proxy().status().counters().noResource());

        assertEquals(Outcome.DONE, administration.resetCounters("svc"));

        assertEquals(0, svc.proxy().status().counters().noResource());
        assertEquals(List.of("Reset the counters of client proxy svc.example.org | subdomain=svc"), audit.events);
    }

    @Test
    void actionsOnAStoppedOrUnknownProxyDoNothing() {
        backend.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        assertEquals(Outcome.NOT_RUNNING, administration.resubscribe("off"));
        assertEquals(Outcome.NOT_RUNNING, administration.resetCounters("off"));
        assertEquals(Outcome.UNKNOWN, administration.resubscribe("nope"));
        assertEquals(Outcome.UNKNOWN, administration.resetCounters("nope"));
        assertEquals(List.of(), audit.events);
    }
}
