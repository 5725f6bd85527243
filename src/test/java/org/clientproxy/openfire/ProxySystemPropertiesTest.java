package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.clientproxy.core.ProxySettings;
import org.junit.jupiter.api.Test;

class ProxySystemPropertiesTest {
    private final Map<String, String> systemProperties = new HashMap<>();
    private final ProxySystemProperties properties = new ProxySystemProperties(systemProperties::get);

    @Test
    void namesFollowTheDocumentedScheme() {
        assertEquals("plugin.clientproxy.proxies", ProxySystemProperties.PROXIES);
        assertEquals("plugin.clientproxy.proxy.svc.target", ProxySystemProperties.name("svc", "target"));
        assertTrue(ProxySystemProperties.isProxyProperty("plugin.clientproxy.proxy.svc.enabled"));
        assertTrue(ProxySystemProperties.isProxyProperty(ProxySystemProperties.PROXIES));
        assertFalse(ProxySystemProperties.isProxyProperty("plugin.other.proxies"));
        assertFalse(ProxySystemProperties.isProxyProperty(RosterRecords.name("svc")), "what a proxy wrote is not configuration");
        assertFalse(ProxySystemProperties.isProxyProperty(null));
    }

    @Test
    void nothingConfiguredMeansNoProxies() {
        assertTrue(properties.read().isEmpty());
    }

    @Test
    void theListIsTrimmedWithoutBlanksOrRepeatsAndKeepsItsOrder() {
        systemProperties.put(ProxySystemProperties.PROXIES, " zeta , alpha,, zeta ,beta ");

        assertEquals(List.of("zeta", "alpha", "beta"), List.copyOf(properties.read().keySet()));
    }

    @Test
    void eachProxyHasOnlyTheKeysThatAreSet() {
        systemProperties.put(ProxySystemProperties.PROXIES, "svc");
        systemProperties.put("plugin.clientproxy.proxy.svc.target", "impl@example.org");
        systemProperties.put("plugin.clientproxy.proxy.svc.timeoutMillis", "5000");
        systemProperties.put("plugin.clientproxy.proxy.other.target", "not@listed.org");
        systemProperties.put("plugin.clientproxy.proxy.svc.unknownKey", "ignored");

        assertEquals(Map.of("svc", Map.of("target", "impl@example.org", "timeoutMillis", "5000")), properties.read());
    }

    @Test
    void theKeysAreThoseTheSettingsWrite() throws Exception {
        ProxySettings settings = ProxySettings.parse("svc", key -> switch (key) {
            case "target" -> "impl@example.org";
            case "allow" -> "local";
            default -> null;
        });
        assertEquals(List.copyOf(settings.toProperties().keySet()), ProxySettings.KEYS);
    }
}
