package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReflectiveSystemPropertiesTest {
    private final ReflectiveSystemProperties registry = new ReflectiveSystemProperties("Client Proxy",
            FakeSystemProperty.class.getName(), getClass().getClassLoader());

    @AfterEach
    void clear() {
        FakeSystemProperty.PROPERTIES.clear();
    }

    @Test
    void aPropertyIsRegisteredAsDynamicForThePluginWithItsDefault() {
        assertTrue(registry.register("plugin.clientproxy.proxy.svc.timeoutMillis", "30000"));

        FakeSystemProperty<?> property = FakeSystemProperty.PROPERTIES.get("plugin.clientproxy.proxy.svc.timeoutMillis");
        assertEquals("30000", property.defaultValue);
        assertTrue(property.dynamic, "a change applies at once");
        assertEquals("Client Proxy", property.plugin);
        assertTrue(registry.register("plugin.clientproxy.proxies", null));
        assertNull(FakeSystemProperty.PROPERTIES.get("plugin.clientproxy.proxies").defaultValue);
    }

    @Test
    void aPropertyRegisteredBeforeCountsAsRegistered() {
        registry.register("plugin.clientproxy.proxies", null);

        assertTrue(registry.register("plugin.clientproxy.proxies", null));
        assertEquals(1, FakeSystemProperty.PROPERTIES.size());
    }

    @Test
    void removingTakesThePluginsPropertiesOnly() {
        registry.register("plugin.clientproxy.proxies", null);
        new ReflectiveSystemProperties("Other", FakeSystemProperty.class.getName(), getClass().getClassLoader())
                .register("plugin.other.thing", "1");

        registry.removeAll();

        assertEquals(Set.of("plugin.other.thing"), FakeSystemProperty.PROPERTIES.keySet());
    }

    @Test
    void withoutOpenfiresClassNothingIsRegisteredAndNothingFails() {
        // The 4.2.0 API the tests run against has no org.jivesoftware.util.SystemProperty.
        ReflectiveSystemProperties absent = new ReflectiveSystemProperties("Client Proxy");

        assertFalse(absent.register("plugin.clientproxy.proxies", null));
        absent.removeAll();
    }
}
