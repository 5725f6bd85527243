package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.clientproxy.core.ProxySettings;
import org.junit.jupiter.api.Test;

class ProxyPropertiesTest {
    private final Map<String, String> systemProperties = new HashMap<>();
    private final ProxyProperties properties = new ProxyProperties(systemProperties::get);

    @Test
    void namesFollowTheDocumentedScheme() {
        assertEquals("plugin.clientproxy.proxies", ProxyProperties.PROXIES);
        assertEquals("plugin.clientproxy.proxy.svc.target", ProxyProperties.name("svc", "target"));
        assertTrue(ProxyProperties.isProxyProperty("plugin.clientproxy.proxy.svc.enabled"));
        assertTrue(ProxyProperties.isProxyProperty(ProxyProperties.PROXIES));
        assertFalse(ProxyProperties.isProxyProperty("plugin.other.proxies"));
        assertFalse(ProxyProperties.isProxyProperty(RosterRecords.name("svc")), "what a proxy wrote is not configuration");
        assertFalse(ProxyProperties.isProxyProperty(null));
    }

    @Test
    void nothingConfiguredMeansNoProxies() {
        assertTrue(properties.read().isEmpty());
    }

    @Test
    void theListIsTrimmedWithoutBlanksOrRepeatsAndKeepsItsOrder() {
        systemProperties.put(ProxyProperties.PROXIES, " zeta , alpha,, zeta ,beta ");

        assertEquals(List.of("zeta", "alpha", "beta"), List.copyOf(properties.read().keySet()));
    }

    @Test
    void eachProxyHasOnlyTheKeysThatAreSet() {
        systemProperties.put(ProxyProperties.PROXIES, "svc");
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
