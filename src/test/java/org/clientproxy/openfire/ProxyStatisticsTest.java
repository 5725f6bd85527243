package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.jivesoftware.openfire.stats.Statistic;
import org.jivesoftware.openfire.stats.StatisticsManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;

/** The per-proxy rates in Openfire's statistics: registered while a proxy runs, gone when it stops. */
class ProxyStatisticsTest {
    private final FakeComponentHost host = new FakeComponentHost();
    private final StatisticsManager manager = mock(StatisticsManager.class);
    private final ProxyStatistics statistics = new ProxyStatistics(PluginTextTest.english());
    private MockedStatic<StatisticsManager> singleton;

    @BeforeEach
    void mockTheStatisticsManager() {
        singleton = mockStatic(StatisticsManager.class);
        singleton.when(StatisticsManager::getInstance).thenReturn(manager);
    }

    @AfterEach
    void closeMock() {
        singleton.close();
    }

    private ConfiguredProxy running(String subdomain) throws Exception {
        Map<String, String> values = Map.of("target", "impl@example.org");
        ClientProxy proxy = new ClientProxy(ProxySettings.parse(subdomain, values::get));
        host.register(subdomain, proxy);
        return ConfiguredProxy.running(subdomain, values, proxy);
    }

    private static ConfiguredProxy stopped(String subdomain) {
        return ConfiguredProxy.stopped(subdomain, Map.of(), null,
                StopReason.of("clientproxy.reason.disabled", "disabled in its settings"));
    }

    private List<String> added() {
        ArgumentCaptor<String> keys = ArgumentCaptor.forClass(String.class);
        verify(manager, org.mockito.Mockito.atLeast(0)).addStatistic(keys.capture(), any());
        return keys.getAllValues();
    }

    private List<String> removed() {
        ArgumentCaptor<String> keys = ArgumentCaptor.forClass(String.class);
        verify(manager, org.mockito.Mockito.atLeast(0)).removeStatistic(keys.capture());
        return keys.getAllValues();
    }

    private Statistic registeredStatistic(String key) {
        ArgumentCaptor<String> keys = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<Statistic> values = ArgumentCaptor.forClass(Statistic.class);
        verify(manager, org.mockito.Mockito.atLeast(1)).addStatistic(keys.capture(), values.capture());
        List<Statistic> matching = new ArrayList<>();
        for (int i = 0; i < keys.getAllValues().size(); i++) {
            if (keys.getAllValues().get(i).equals(key)) {
                matching.add(values.getAllValues().get(i));
            }
        }
        assertEquals(1, matching.size(), "registrations of " + key);
        return matching.get(0);
    }

    @Test
    void eachRunningProxyGetsThreeRates() throws Exception {
        statistics.sync(List.of(running("svc"), stopped("off"), running("other")));

        assertEquals(List.of("clientproxy_svc_forwarded", "clientproxy_svc_errors", "clientproxy_svc_timeouts",
                "clientproxy_other_forwarded", "clientproxy_other_errors", "clientproxy_other_timeouts"), added());
        Statistic forwarded = registeredStatistic("clientproxy_svc_forwarded");
        assertEquals(Statistic.Type.rate, forwarded.getStatType());
        assertTrue(forwarded.isPartialSample(), "each cluster node counts its own requests");
    }

    @Test
    void anUnchangedProxyIsNotRegisteredTwice() throws Exception {
        List<ConfiguredProxy> states = List.of(running("svc"));
        statistics.sync(states);
        statistics.sync(states);

        assertEquals(3, added().size());
        verify(manager, never()).removeStatistic(anyString());
    }

    @Test
    void aRemovedOrStoppedProxyLosesItsRates() throws Exception {
        ConfiguredProxy svc = running("svc");
        ConfiguredProxy other = running("other");
        statistics.sync(List.of(svc, other));

        statistics.sync(List.of(svc, stopped("other")));
        assertEquals(List.of("clientproxy_other_forwarded", "clientproxy_other_errors", "clientproxy_other_timeouts"),
                removed());

        statistics.sync(List.of());
        assertEquals(6, removed().size());
        assertTrue(removed().containsAll(List.of("clientproxy_svc_forwarded", "clientproxy_svc_errors",
                "clientproxy_svc_timeouts")));
    }

    @Test
    void aRestartedProxyIsRegisteredAgainWithItsNewCounters() throws Exception {
        statistics.sync(List.of(running("svc")));
        host.unregister("svc", host.registered().get("svc"));

        statistics.sync(List.of(running("svc")));

        assertEquals(3, removed().size());
        assertEquals(6, added().size());
    }

    @Test
    void removeAllRemovesEveryRegisteredRate() throws Exception {
        statistics.sync(List.of(running("svc"), running("other")));

        statistics.removeAll();

        assertEquals(6, removed().size());
        statistics.removeAll();
        assertEquals(6, removed().size(), "nothing left to remove");
    }

    @Test
    void aSampleIsWhatHappenedSinceThePreviousSample() throws Exception {
        ConfiguredProxy svc = running("svc");
        ClientProxy proxy = svc.proxy();
        Stanzas.online(proxy, "svc.example.org", "impl@example.org/a");
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "before");
        statistics.sync(List.of(svc));
        Statistic forwarded = registeredStatistic("clientproxy_svc_forwarded");

        assertEquals(0.0, forwarded.sample(), "requests before registration are not a rate");
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r1");
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r2");
        assertEquals(2.0, forwarded.sample());
        assertEquals(0.0, forwarded.sample());

        proxy.resetCounters();
        Stanzas.request(proxy, "svc.example.org", "user@example.org/x", "r3");
        assertEquals(1.0, forwarded.sample(), "after a reset the new total is new");
    }

    @Test
    void theNamesComeFromTheBundleAndNameTheProxy() throws Exception {
        statistics.sync(List.of(running("svc")));

        Statistic timeouts = registeredStatistic("clientproxy_svc_timeouts");
        assertEquals("Client Proxy svc: timeouts", timeouts.getName());
        assertTrue(timeouts.getDescription().contains("svc"), timeouts.getDescription());
        assertEquals("Timeouts per minute", timeouts.getUnits());
    }
}
