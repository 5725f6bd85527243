package org.clientproxy.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("serverHost", "xmpp.example.org");
        values.put("domain", "example.org");
        values.put("secret", "s3cret");
        values.put("subdomain", "svc");
        values.put("target", "impl@example.org");
        return values;
    }

    @Test
    void minimalConfigurationTakesTheDefaults() throws Exception {
        ExternalConfig config = ExternalConfig.parse(minimal()::get);

        assertEquals("xmpp.example.org", config.serverHost());
        assertEquals(5347, config.componentPort());
        assertEquals("svc.example.org", config.componentDomain());
        assertEquals(Duration.ofSeconds(10), config.pingInterval());
        assertEquals(Duration.ofSeconds(60), config.reconnectMax());
        assertEquals(ProxySettings.DEFAULT_STRATEGY, config.proxy().strategy());
        assertEquals(Duration.ofMillis(ProxySettings.DEFAULT_TIMEOUT_MILLIS), config.proxy().timeout());
    }

    @Test
    void proxyKeysAreTheSameAsThePlugins() throws Exception {
        Map<String, String> values = minimal();
        values.put("strategy", "least-outstanding");
        values.put("timeoutMillis", "2500");
        values.put("maxPerRequester", "7");
        values.put("maxOutstanding", "70");
        values.put("componentPort", "15347");

        ExternalConfig config = ExternalConfig.parse(values::get);

        assertEquals(Strategy.LEAST_OUTSTANDING, config.proxy().strategy());
        assertEquals(Duration.ofMillis(2500), config.proxy().timeout());
        assertEquals(7, config.proxy().maxPerRequester());
        assertEquals(70, config.proxy().maxOutstanding());
        assertEquals(15347, config.componentPort());
    }

    @Test
    void allowTakesDomainsAndBareJidsButNoGroups() throws Exception {
        Map<String, String> values = minimal();
        values.put("allow", "local, bob@example.net");
        assertEquals("local, bob@example.net", ExternalConfig.parse(values::get).proxy().allow().toString());

        values.put("allow", "local, group:ops");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ExternalConfig.parse(values::get));
        assertEquals(Set.of("allow"), e.problems().keySet());
        assertTrue(e.getMessage().contains("group:ops"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> values = minimal();
        values.remove("secret");
        values.put("componentPort", "70000");
        values.put("subdomain", "-bad-");
        values.put("target", "not a jid@");
        values.put("pingIntervalMillis", "soon");

        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ExternalConfig.parse(values::get));

        assertEquals(Set.of("secret", "componentPort", "subdomain", "target", "pingIntervalMillis"),
                e.problems().keySet());
    }

    @Test
    void theSecretNeverShowsInToString() throws Exception {
        ExternalConfig config = ExternalConfig.parse(minimal()::get);

        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertTrue(config.toString().contains("svc"), config.toString());
    }

    @Test
    void loadsAPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("proxy.properties");
        Files.writeString(file, """
                # comment
                serverHost = 127.0.0.1
                componentPort = 5348
                domain = example.org
                secret = s3cret
                subdomain = svc
                target = impl@example.org
                """, StandardCharsets.UTF_8);

        ExternalConfig config = ExternalConfig.load(file);

        assertEquals("127.0.0.1", config.serverHost());
        assertEquals(5348, config.componentPort());
        assertEquals("impl@example.org", config.proxy().target().toString());
    }
}
