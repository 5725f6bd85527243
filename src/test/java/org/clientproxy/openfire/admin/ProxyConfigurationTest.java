package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.junit.jupiter.api.Test;

class ProxyConfigurationTest {
    private static final String LIST = "plugin.clientproxy.proxies";
    private final MemoryPropertyStore store = new MemoryPropertyStore();
    private final ProxyConfiguration configuration = new ProxyConfiguration(store);

    private static ProxySettings settings(String subdomain, String target) throws Exception {
        Map<String, String> values = Map.of("target", target);
        return ProxySettings.parse(subdomain, values::get);
    }

    private void existing(String subdomain, String target) {
        store.values.put("plugin.clientproxy.proxy." + subdomain + ".target", target);
        String list = store.values.get(LIST);
        store.values.put(LIST, list == null ? subdomain : list + "," + subdomain);
    }

    @Test
    void readsTheConfiguredProxiesInOrder() {
        existing("svc", "impl@example.org");
        existing("other", "impl2@example.org");

        assertEquals(List.of("svc", "other"), List.copyOf(configuration.subdomains()));
        assertEquals(Map.of("target", "impl2@example.org"), configuration.read().get("other"));
    }

    @Test
    void aNewProxyIsWrittenBeforeItIsListedSoNoReloadSeesItHalfSaved() throws Exception {
        existing("svc", "impl@example.org");

        configuration.save(null, settings("new", "bot@example.org"));

        assertEquals(List.of(
                "set plugin.clientproxy.proxy.new.target=bot@example.org",
                "set plugin.clientproxy.proxy.new.strategy=random",
                "set plugin.clientproxy.proxy.new.timeoutMillis=30000",
                "set plugin.clientproxy.proxy.new.unresponsiveMillis=5000",
                "set plugin.clientproxy.proxy.new.maxPerRequester=100",
                "set plugin.clientproxy.proxy.new.maxOutstanding=10000",
                "set plugin.clientproxy.proxy.new.enabled=true",
                "set " + LIST + "=svc,new"), store.changes);
    }

    @Test
    void savingAProxyInPlaceLeavesTheListAlone() throws Exception {
        existing("svc", "impl@example.org");

        configuration.save("svc", settings("svc", "impl2@example.org"));

        assertEquals("impl2@example.org", store.values.get("plugin.clientproxy.proxy.svc.target"));
        assertFalse(store.changes.stream().anyMatch(change -> change.contains(LIST)), store.changes.toString());
    }

    @Test
    void aNewSubdomainRemovesTheOldProxyAndAddsTheNewOneInItsPlace() throws Exception {
        existing("first", "a@example.org");
        existing("svc", "impl@example.org");
        existing("last", "b@example.org");
        store.values.put("plugin.clientproxy.proxy.svc.strategy", "round-robin");

        configuration.save("svc", settings("moved", "impl@example.org"));

        assertEquals(List.of("first", "moved", "last"), List.copyOf(configuration.subdomains()));
        assertFalse(store.values.keySet().stream().anyMatch(name -> name.contains(".svc.")), store.values.toString());
        int listed = store.changes.indexOf("set " + LIST + "=first,moved,last");
        assertTrue(listed > store.changes.indexOf("set plugin.clientproxy.proxy.moved.enabled=true"),
                "the new settings come first");
        assertTrue(listed < store.changes.indexOf("delete plugin.clientproxy.proxy.svc.target"),
                "the old settings go last");
        assertTrue(store.changes.contains("delete plugin.clientproxy.proxy.svc.strategy"));
    }

    @Test
    void aRemovedProxyIsUnlistedBeforeItsSettingsAreDeleted() {
        existing("svc", "impl@example.org");
        existing("other", "impl@example.org");

        configuration.remove("svc");

        assertEquals(List.of("set " + LIST + "=other", "delete plugin.clientproxy.proxy.svc.target"), store.changes);
        assertEquals(Set.of("other"), configuration.subdomains());
    }

    @Test
    void removingTheLastProxyDeletesTheList() {
        existing("svc", "impl@example.org");

        configuration.remove("svc");

        assertEquals(List.of("delete " + LIST, "delete plugin.clientproxy.proxy.svc.target"), store.changes);
        assertTrue(store.values.isEmpty());
    }
}
