package org.clientproxy.openfire;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;

/**
 * Describes the plugin's system properties to Openfire, so that its System Properties page lists
 * each with the plugin, a description, its default and that a change applies at once: the list
 * of proxies, each configured proxy's settings (registered as the proxy is configured, removed
 * when it goes) and each proxy's roster record. The descriptions are the bundle's
 * {@code system_property.<key>}; a proxy's keys share one text per setting (the bundle's root,
 * the class {@code clientproxy_i18n}, gives it for every subdomain).
 *
 * <p>Called on the plugin's worker thread after each change to the proxies, and at unload.
 */
final class PluginProperties {
    /** The plugin's {@code <name>} in plugin.xml: Openfire finds the plugin's bundle by it and removes its properties by it. */
    static final String PLUGIN_NAME = "Client Proxy";

    private final SystemPropertyRegistry registry;
    /** The keys registered, in the order they were. */
    private final Set<String> registered = new LinkedHashSet<>();

    PluginProperties(SystemPropertyRegistry registry) {
        this.registry = registry;
    }

    /** Registers the properties of these configured proxies and the list's, and removes those of any other. */
    synchronized void sync(Collection<String> subdomains) {
        Map<String, String> wanted = properties(subdomains);
        if (!wanted.keySet().containsAll(registered)) {
            // Openfire removes a plugin's properties all at once only: remove them, then register the rest again.
            registry.removeAll();
            registered.clear();
        }
        wanted.forEach((key, defaultValue) -> {
            if (!registered.contains(key) && registry.register(key, defaultValue)) {
                registered.add(key);
            }
        });
    }

    /** Removes every property the plugin registered (at unload). */
    synchronized void removeAll() {
        registry.removeAll();
        registered.clear();
    }

    /** Every property of the plugin while these proxies are configured, with its default ({@code null}: none). */
    static Map<String, String> properties(Collection<String> subdomains) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ProxySystemProperties.PROXIES, null);
        for (String subdomain : subdomains) {
            for (String key : ProxySettings.KEYS) {
                properties.put(ProxySystemProperties.name(subdomain, key), ProxySettings.DEFAULT_VALUES.get(key));
            }
            properties.put(RosterRecords.name(subdomain), null);
        }
        return properties;
    }
}
