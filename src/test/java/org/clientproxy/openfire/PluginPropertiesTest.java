package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

class PluginPropertiesTest {
    /** Records what is asked of Openfire's registry, which registers everything. */
    private final List<String> calls = new ArrayList<>();
    private final PluginProperties properties = new PluginProperties(new SystemPropertyRegistry() {
        @Override
        public boolean register(String key, String defaultValue) {
            calls.add(key + "=" + defaultValue);
            return true;
        }

        @Override
        public void removeAll() {
            calls.add("remove all");
        }
    });

    private static List<String> settingsOf(String subdomain) {
        String prefix = "plugin.clientproxy.proxy." + subdomain + ".";
        return List.of(prefix + "target=null", prefix + "strategy=random", prefix + "timeoutMillis=30000",
                prefix + "unresponsiveMillis=5000", prefix + "maxPerRequester=100", prefix + "maxOutstanding=10000",
                prefix + "enabled=true", prefix + "allow=everyone", "plugin.clientproxy.roster." + subdomain + "=null");
    }

    @Test
    void theListAndEachConfiguredProxysSettingsAreRegisteredWithTheirDefaults() {
        properties.sync(List.of("svc"));

        List<String> expected = new ArrayList<>(List.of("plugin.clientproxy.proxies=null"));
        expected.addAll(settingsOf("svc"));
        assertEquals(expected, calls);
    }

    @Test
    void aNewProxyAddsItsOwnOnly() {
        properties.sync(List.of("svc"));
        calls.clear();

        properties.sync(List.of("svc", "focus"));

        assertEquals(settingsOf("focus"), calls);
    }

    @Test
    void aProxyThatGoesTakesItsPropertiesAlong() {
        properties.sync(List.of("svc", "focus"));
        calls.clear();

        properties.sync(List.of("focus"));

        List<String> expected = new ArrayList<>(List.of("remove all", "plugin.clientproxy.proxies=null"));
        expected.addAll(settingsOf("focus"));
        assertEquals(expected, calls, "Openfire removes a plugin's properties all at once");
    }

    @Test
    void nothingChangedRegistersNothing() {
        properties.sync(List.of("svc"));
        calls.clear();

        properties.sync(List.of("svc"));

        assertEquals(List.of(), calls);
    }

    @Test
    void aPropertyOpenfireDidNotTakeIsTriedAgainNextTime() {
        List<String> tried = new ArrayList<>();
        PluginProperties flaky = new PluginProperties(new SystemPropertyRegistry() {
            @Override
            public boolean register(String key, String defaultValue) {
                tried.add(key);
                return tried.size() > 1;
            }

            @Override
            public void removeAll() {
            }
        });
        flaky.sync(List.of());
        flaky.sync(List.of());

        assertEquals(List.of("plugin.clientproxy.proxies", "plugin.clientproxy.proxies"), tried);
    }

    @Test
    void atUnloadEverythingIsRemoved() {
        properties.sync(List.of("svc"));
        calls.clear();

        properties.removeAll();

        assertEquals(List.of("remove all"), calls);
    }

    @Test
    void theBundleDescribesEveryPropertyForAnySubdomain() {
        try (MockedStatic<JiveGlobals> openfire = mockStatic(JiveGlobals.class)) {
            openfire.when(JiveGlobals::getLocale).thenReturn(Locale.ENGLISH);
            ResourceBundle bundle = ResourceBundle.getBundle("clientproxy_i18n", Locale.ENGLISH);

            List<String> undescribed = PluginProperties.properties(List.of("svc", "a-b")).keySet().stream()
                    .filter(key -> !describes(bundle, "system_property." + key)).toList();
            assertEquals(List.of(), undescribed);
            assertEquals(bundle.getString("system_property.plugin.clientproxy.proxy.SUBDOMAIN.target"),
                    bundle.getString("system_property.plugin.clientproxy.proxy.svc.target"));
            assertEquals(bundle.getString("system_property.plugin.clientproxy.roster.SUBDOMAIN"),
                    bundle.getString("system_property.plugin.clientproxy.roster.focus"));
            assertEquals("Client Proxy", bundle.getString("clientproxy.title"), "every other text as the file has it");
            assertEquals(false, describes(bundle, "system_property.plugin.clientproxy.proxy.svc.nosuchkey"));
        }
    }

    /** Whether the bundle has a text for {@code key}, asked as Openfire asks ({@code getString}). */
    private static boolean describes(ResourceBundle bundle, String key) {
        try {
            return !bundle.getString(key).isBlank();
        } catch (MissingResourceException e) {
            return false;
        }
    }

    @Test
    void thePluginsNameIsTheOneInPluginXml() throws Exception {
        String pluginXml = Files.readString(Path.of("plugin.xml"));
        assertEquals(true, pluginXml.contains("<name>" + PluginProperties.PLUGIN_NAME + "</name>"),
                "Openfire finds the bundle and removes the properties by this name");
    }
}
