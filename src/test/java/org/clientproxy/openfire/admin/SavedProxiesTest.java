package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SavedProxiesTest {
    private final AdminFixture openfire = new AdminFixture();
    private final SavedProxies saved = new SavedProxies(openfire.webManager, AdminFixture.DOMAIN);

    @AfterEach
    void close() {
        openfire.close();
    }

    private static ProxySettings settings(String subdomain, String target) throws InvalidSettingsException {
        return ProxySettings.parse(subdomain, Map.of("target", target)::get);
    }

    @Test
    void readsTheSavedProxiesInOrder() {
        openfire.saved("b", "impl@example.org");
        openfire.saved("a", "other@example.org");

        assertEquals(List.of("b", "a"), List.copyOf(saved.read().keySet()));
        assertEquals(Map.of("target", "other@example.org"), saved.read().get("a"));
    }

    @Test
    void aNewProxyIsWrittenBeforeItIsListedSoNoReloadSeesItHalfSavedAndIsAudited() throws Exception {
        openfire.saved("a", "impl@example.org");

        saved.save(null, settings("svc", "impl@example.org"));

        assertEquals(List.of("set plugin.clientproxy.proxy.svc.target=impl@example.org",
                "set plugin.clientproxy.proxy.svc.strategy=random",
                "set plugin.clientproxy.proxy.svc.timeoutMillis=30000",
                "set plugin.clientproxy.proxy.svc.unresponsiveMillis=5000",
                "set plugin.clientproxy.proxy.svc.maxPerRequester=100",
                "set plugin.clientproxy.proxy.svc.maxOutstanding=10000",
                "set plugin.clientproxy.proxy.svc.enabled=true",
                "set plugin.clientproxy.proxy.svc.allow=everyone",
                "set plugin.clientproxy.proxies=a,svc"), openfire.writes);
        assertEquals(List.of("Added client proxy svc.example.org | target=impl@example.org, strategy=random, "
                + "timeoutMillis=30000, unresponsiveMillis=5000, maxPerRequester=100, maxOutstanding=10000, enabled=true, allow=everyone"), openfire.audit);
    }

    @Test
    void aChangedProxyKeepsItsPlaceAndTheAuditShowsEachOldAndNewValue() throws Exception {
        openfire.saved("svc", "impl@example.org");
        openfire.saved("b", "impl@example.org");

        saved.save("svc", settings("svc", "other@example.org"));

        assertEquals("svc,b", openfire.properties.get("plugin.clientproxy.proxies"));
        assertFalse(openfire.writes.stream().anyMatch(write -> write.contains("proxies=")), "the list is left alone");
        assertEquals(List.of("Changed client proxy svc.example.org | target: impl@example.org \u2192 other@example.org\n"
                + "strategy: (default) \u2192 random\ntimeoutMillis: (default) \u2192 30000\n"
                + "unresponsiveMillis: (default) \u2192 5000\n"
                + "maxPerRequester: (default) \u2192 100\nmaxOutstanding: (default) \u2192 10000\nenabled: (default) \u2192 true\n"
                + "allow: (default) \u2192 everyone"),
                openfire.audit);
    }

    @Test
    void aNewSubdomainReplacesTheOldProxyInItsPlace() throws Exception {
        openfire.saved("a", "impl@example.org");
        openfire.saved("old", "impl@example.org");
        openfire.saved("z", "impl@example.org");
        saved.save("old", settings("old", "impl@example.org"));
        openfire.writes.clear();
        openfire.audit.clear();

        saved.save("old", settings("new", "impl@example.org"));

        assertEquals("a,new,z", openfire.properties.get("plugin.clientproxy.proxies"));
        int listed = openfire.writes.indexOf("set plugin.clientproxy.proxies=a,new,z");
        assertTrue(listed > openfire.writes.indexOf("set plugin.clientproxy.proxy.new.target=impl@example.org"));
        assertTrue(listed < openfire.writes.indexOf("delete plugin.clientproxy.proxy.old.target"));
        assertFalse(openfire.properties.keySet().stream().anyMatch(name -> name.contains(".old.")));
        assertEquals(List.of("Changed client proxy new.example.org | subdomain: old \u2192 new"), openfire.audit);
    }

    @Test
    void aRemovedProxyIsUnlistedBeforeItsSettingsAreDeletedAndTheAuditSaysWhatItPointedTo() {
        openfire.saved("a", "impl@example.org");
        openfire.saved("svc", "impl@example.org");

        assertTrue(saved.remove("svc"));

        assertEquals(List.of("set plugin.clientproxy.proxies=a", "delete plugin.clientproxy.proxy.svc.target"),
                openfire.writes);
        assertEquals(List.of("Removed client proxy svc.example.org | target=impl@example.org"), openfire.audit);
    }

    @Test
    void removingTheLastProxyDeletesTheListAndAnUnknownOneChangesNothing() {
        assertFalse(saved.remove("nope"));
        assertEquals(List.of(), openfire.writes);

        openfire.saved("svc", "impl@example.org");
        assertTrue(saved.remove("svc"));
        assertEquals("delete plugin.clientproxy.proxies", openfire.writes.get(0));
    }
}
