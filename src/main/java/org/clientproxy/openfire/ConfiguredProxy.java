package org.clientproxy.openfire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;

/**
 * One configured proxy as the admin page shows it: what is configured, and whether it runs.
 *
 * @param subdomain the subdomain from {@link ProxySystemProperties#PROXIES}
 * @param values    the raw configured values by key (only the keys that are set)
 * @param settings  the parsed settings, {@code null} when the values are invalid
 * @param proxy     the registered component, {@code null} when the proxy does not run
 * @param reason    why the proxy does not run (a message for the admin pages, English text for
 *                  the log), {@code null} when it runs
 */
public record ConfiguredProxy(String subdomain, Map<String, String> values, ProxySettings settings,
                         ClientProxy proxy, StopReason reason) {

    public ConfiguredProxy {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if ((proxy == null) == (reason == null)) {
            throw new IllegalArgumentException("A proxy either runs or has a reason not to");
        }
    }

    static ConfiguredProxy running(String subdomain, Map<String, String> values, ClientProxy proxy) {
        return new ConfiguredProxy(subdomain, values, proxy.settings(), proxy, null);
    }

    static ConfiguredProxy stopped(String subdomain, Map<String, String> values, ProxySettings settings, StopReason reason) {
        return new ConfiguredProxy(subdomain, values, settings, null, reason);
    }

    public boolean running() {
        return proxy != null;
    }
}
