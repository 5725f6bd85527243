package org.clientproxy.external;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.SettingValues;

/**
 * What the external component needs: where the XMPP server's component port is, how to
 * authenticate there, and the proxy's own settings (the same keys and checks as the plugin's,
 * through {@link ProxySettings#parse}).
 *
 * @param serverHost    host name or address of the XMPP server
 * @param componentPort the server's XEP-0114 component port
 * @param domain        the server's XMPP domain; the service address is {@code <subdomain>.<domain>}
 * @param secret        the shared secret the server has for that component
 * @param proxy         the proxy's settings (subdomain, target and options)
 * @param pingInterval  how often the server is pinged; a ping unanswered by the next one means
 *                      the connection is gone
 * @param reconnectMax  the longest wait between two reconnection attempts
 */
public record ExternalConfig(String serverHost, int componentPort, String domain, String secret,
                             ProxySettings proxy, Duration pingInterval, Duration reconnectMax) {

    public static final String SERVER_HOST = "serverHost";
    public static final String COMPONENT_PORT = "componentPort";
    public static final String DOMAIN = "domain";
    public static final String SECRET = "secret";
    public static final String SUBDOMAIN = "subdomain";
    public static final String PING_INTERVAL_MILLIS = "pingIntervalMillis";
    public static final String RECONNECT_MAX_MILLIS = "reconnectMaxMillis";

    public static final int DEFAULT_COMPONENT_PORT = 5347;
    public static final long DEFAULT_PING_INTERVAL_MILLIS = 10_000;
    public static final long DEFAULT_RECONNECT_MAX_MILLIS = 60_000;

    /** The address the proxy serves, e.g. {@code svc.example.org}. */
    public String componentDomain() {
        return proxy.subdomain() + "." + domain;
    }

    /** Like the record's own, but never shows the secret (configurations get logged). */
    @Override
    public String toString() {
        return "ExternalConfig[serverHost=" + serverHost + ", componentPort=" + componentPort + ", domain=" + domain
                + ", secret=***, proxy=" + proxy + ", pingInterval=" + pingInterval + ", reconnectMax=" + reconnectMax + "]";
    }

    /** Reads a properties file (UTF-8) and checks it like {@link #parse}. */
    public static ExternalConfig load(Path file) throws IOException, InvalidSettingsException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return parse(properties::getProperty);
    }

    /**
     * Checks every key and reports all problems at once, the proxy's among them.
     *
     * @param values the value of each key, {@code null} where unset
     */
    public static ExternalConfig parse(Function<String, String> values) throws InvalidSettingsException {
        SettingValues settings = new SettingValues(values);
        String serverHost = settings.required(SERVER_HOST, "the XMPP server's host name or address");
        String domain = settings.required(DOMAIN, "the server's XMPP domain, e.g. example.org");
        String secret = settings.required(SECRET, "the component's shared secret, as configured on the server");
        long port = settings.number(COMPONENT_PORT, DEFAULT_COMPONENT_PORT, 1, 65_535);
        long pingMillis = settings.number(PING_INTERVAL_MILLIS, DEFAULT_PING_INTERVAL_MILLIS, 100, 3_600_000);
        long reconnectMaxMillis = settings.number(RECONNECT_MAX_MILLIS, DEFAULT_RECONNECT_MAX_MILLIS, 100, 3_600_000);

        ProxySettings proxy = null;
        try {
            proxy = ProxySettings.parse(settings.text(SUBDOMAIN), values);
            if (!proxy.allow().groups().isEmpty()) {
                settings.problem(ProxySettings.ALLOW, "names groups, which only the Openfire plugin has (got 'group:"
                        + proxy.allow().groups().get(0) + "'); list domains and bare JIDs instead");
            }
        } catch (InvalidSettingsException e) {
            settings.problems(e);
        }
        settings.check();
        return new ExternalConfig(serverHost, (int) port, domain, secret, proxy,
                Duration.ofMillis(pingMillis), Duration.ofMillis(reconnectMaxMillis));
    }
}
