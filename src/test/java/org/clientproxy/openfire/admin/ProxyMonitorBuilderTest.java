package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;
import java.util.Map;

import org.clientproxy.openfire.ProxyState;
import org.clientproxy.openfire.StopReason;
import org.junit.jupiter.api.Test;

class ProxyMonitorBuilderTest {
    private final TestProxies proxies = new TestProxies();

    private static long counter(ProxyMonitor monitor, String key) {
        return monitor.getCounters().stream().filter(row -> row.getKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no counter " + key)).getValue();
    }

    private static List<String> lines(List<Notice> notices) {
        return notices.stream().map(Notice::toString).toList();
    }

    @Test
    void aRunningProxyShowsItsResourcesCountersAndLatency() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        TestProxies.subscribed(svc);
        Date before = new Date();
        TestProxies.online(svc, "impl@example.org/a");
        TestProxies.online(svc, "impl@example.org/b");
        TestProxies.request(svc, "user@example.org/x", "r1");
        TestProxies.answer(svc, proxies.lastForwarded());
        TestProxies.request(svc, "user@example.org/x", "r2");

        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(svc)).get(0);

        assertEquals("svc.example.org", monitor.getAddress());
        assertEquals("impl@example.org", monitor.getTarget());
        assertTrue(monitor.isRunning());
        assertEquals("running", monitor.getStateKey());
        assertEquals(List.of(), monitor.getReason());
        assertEquals("granted", monitor.getSubscriptionKey());
        assertEquals(List.of("impl@example.org/a", "impl@example.org/b"),
                monitor.getResources().stream().map(ResourceRow::getAddress).toList());
        assertEquals(1, monitor.getResources().stream().mapToInt(ResourceRow::getOutstanding).sum(),
                "the unanswered request is outstanding on one resource");
        assertFalse(monitor.getResources().get(0).getOnlineSince().before(new Date(before.getTime() - 1000)));
        assertEquals(1, monitor.getOutstanding());
        assertEquals(2, counter(monitor, "forwarded"));
        assertEquals(1, counter(monitor, "results-relayed"));
        assertEquals(0, counter(monitor, "timeouts"));
        assertEquals(1, monitor.getLatencyCount());
        assertNotNull(monitor.getLatencyP50Millis());
        assertTrue(monitor.getLatencyP99Millis() >= monitor.getLatencyP50Millis());
        assertTrue(monitor.getLatencyWindowSeconds() > 0);
    }

    @Test
    void everyCounterIsListedInTheOrderOfThePage() {
        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(proxies.running("svc", "impl@example.org")))
                .get(0);

        assertEquals(List.of("forwarded", "results-relayed", "errors-relayed", "timeouts", "no-resource",
                        "resource-lost", "retried", "rejected-by-caps", "dropped-replies"),
                monitor.getCounters().stream().map(CounterRow::getKey).toList());
        assertNull(monitor.getLatencyP50Millis(), "nothing measured yet");
    }

    @Test
    void noResourceOnlineIsCounted() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        TestProxies.request(svc, "user@example.org/x", "r1");

        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(svc)).get(0);

        assertEquals(List.of(), monitor.getResources());
        assertEquals(1, counter(monitor, "no-resource"));
        assertEquals("pending", monitor.getSubscriptionKey());
    }

    @Test
    void aStoppedProxyShowsOnlyWhyItDoesNotRun() {
        ProxyState off = TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED);

        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(off)).get(0);

        assertFalse(monitor.isRunning());
        assertEquals("stopped", monitor.getStateKey());
        assertEquals(List.of("clientproxy.reason.disabled"), lines(monitor.getReason()));
        assertNull(monitor.getSubscriptionKey());
        assertEquals(List.of(), monitor.getResources());
        assertEquals(List.of(), monitor.getCounters());
    }

    @Test
    void theReasonKeepsItsArgumentsForThePage() {
        ProxyState taken = TestProxies.stopped("svc", Map.of("target", "impl@example.org"),
                StopReason.of("clientproxy.error.subdomain.taken", "the address svc.example.org is taken", "svc.example.org"));

        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(taken)).get(0);

        assertEquals(List.of("clientproxy.error.subdomain.taken[svc.example.org]"), lines(monitor.getReason()));
        assertEquals(AdminMessage.of("clientproxy.error.subdomain.taken", "svc.example.org"),
                monitor.getReason().get(0).getMessage());
    }

    @Test
    void aMissingTargetIsNamedAsRequired() {
        ProxyMonitor monitor = ProxyMonitorBuilder.build("example.org", List.of(TestProxies.invalid("svc", Map.of())))
                .get(0);

        assertEquals(List.of("clientproxy.reason.invalid", "target: clientproxy.error.target.required"),
                lines(monitor.getReason()));
        assertEquals("clientproxy.field.target", monitor.getReason().get(1).getFieldKey());
    }
}
