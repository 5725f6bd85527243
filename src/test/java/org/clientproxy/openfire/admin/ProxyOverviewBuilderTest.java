package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ProxyState;
import org.junit.jupiter.api.Test;

class ProxyOverviewBuilderTest {

    @Test
    void withoutTheLoadedPluginThePageSaysSo() {
        assertNull(ClientProxyPlugin.instance());
        ProxyOverview overview = ProxyOverviewBuilder.forLoadedPlugin();
        assertFalse(overview.isPluginLoaded());
        assertTrue(overview.getProxies().isEmpty());
    }

    @Test
    void aRunningProxyShowsItsAddressSubscriptionAndLoad() throws Exception {
        Map<String, String> values = Map.of("target", "impl@example.org");
        ClientProxy proxy = new ClientProxy(ProxySettings.parse("svc", values::get));

        ProxyOverview overview = ProxyOverviewBuilder.build("example.org",
                List.of(new ProxyState("svc", values, proxy.settings(), proxy, null)));

        assertTrue(overview.isPluginLoaded());
        ProxyRow row = overview.getProxies().get(0);
        assertEquals("svc", row.getSubdomain());
        assertEquals("svc.example.org", row.getAddress());
        assertEquals("impl@example.org", row.getTarget());
        assertTrue(row.isRunning());
        assertEquals("running", row.getStateKey());
        assertNull(row.getReason());
        assertEquals("none", row.getSubscriptionKey());
        assertEquals(0, row.getOnlineResources());
        assertEquals(0, row.getOutstanding());
    }

    @Test
    void aStoppedProxyShowsWhatWasTypedAndWhy() {
        Map<String, String> values = Map.of("target", "<b>not a jid</b>");

        ProxyRow row = ProxyOverviewBuilder.build("example.org",
                List.of(new ProxyState("svc", values, null, null, "invalid settings: target"))).getProxies().get(0);

        assertFalse(row.isRunning());
        assertEquals("stopped", row.getStateKey());
        assertEquals("<b>not a jid</b>", row.getTarget(), "raw text; the page escapes it");
        assertEquals("invalid settings: target", row.getReason());
        assertNull(row.getSubscriptionKey());
    }

    @Test
    void rowsKeepTheConfigurationOrder() {
        List<ProxyState> states = List.of(
                new ProxyState("zeta", Map.of(), null, null, "x"),
                new ProxyState("alpha", Map.of(), null, null, "y"));

        assertEquals(List.of("zeta", "alpha"), ProxyOverviewBuilder.build("example.org", states).getProxies().stream()
                .map(ProxyRow::getSubdomain).toList());
    }
}
