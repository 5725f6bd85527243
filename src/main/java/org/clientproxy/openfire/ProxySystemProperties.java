package org.clientproxy.openfire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.clientproxy.core.ProxySettings;

/**
 * The Openfire system properties that configure the proxies:
 * {@code plugin.clientproxy.proxies} lists the subdomains (comma-separated), and
 * {@code plugin.clientproxy.proxy.<subdomain>.<key>} holds each key of
 * {@link ProxySettings#toProperties()}. The admin page and Openfire's System Properties page
 * edit the same values.
 */
public final class ProxySystemProperties {
    /** Every property of this plugin starts with this. */
    public static final String PREFIX = "plugin.clientproxy.";
    /** The comma-separated subdomains of the configured proxies. */
    public static final String PROXIES = PREFIX + "proxies";

    private static final String PROXY_PREFIX = PREFIX + "proxy.";

    private final Function<String, String> systemProperties;

    /** @param systemProperties the value of a system property by name, {@code null} when unset */
    public ProxySystemProperties(Function<String, String> systemProperties) {
        this.systemProperties = systemProperties;
    }

    /** The name of one setting of one proxy, e.g. {@code plugin.clientproxy.proxy.svc.target}. */
    public static String name(String subdomain, String key) {
        return PROXY_PREFIX + subdomain + "." + key;
    }

    /**
     * Whether a change to this property can change the proxies: the list and the proxies' settings,
     * not what the plugin keeps for itself under {@link #PREFIX} (what each proxy wrote in a roster).
     */
    public static boolean isProxyProperty(String name) {
        return name != null && (name.equals(PROXIES) || name.startsWith(PROXY_PREFIX));
    }

    /**
     * Every configured proxy in the order of {@link #PROXIES}, each with its raw values (only the
     * keys that are set; a blank entry or a repeated subdomain in the list is skipped).
     */
    public Map<String, Map<String, String>> read() {
        Map<String, Map<String, String>> proxies = new LinkedHashMap<>();
        for (String subdomain : subdomains()) {
            proxies.put(subdomain, values(subdomain));
        }
        return Collections.unmodifiableMap(proxies);
    }

    private Set<String> subdomains() {
        Set<String> subdomains = new LinkedHashSet<>();
        String list = systemProperties.apply(PROXIES);
        if (list != null) {
            for (String entry : list.split(",")) {
                String subdomain = entry.trim();
                if (!subdomain.isEmpty()) {
                    subdomains.add(subdomain);
                }
            }
        }
        return subdomains;
    }

    private Map<String, String> values(String subdomain) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : ProxySettings.KEYS) {
            String value = systemProperties.apply(name(subdomain, key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return Collections.unmodifiableMap(values);
    }
}
