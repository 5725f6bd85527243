package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.openfire.ProxySystemProperties;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.WebManager;

/**
 * The proxies as saved in Openfire's system properties ({@link ProxySystemProperties}), changed by the
 * admin pages, each change written to the admin audit log with the values before and after.
 * Every write fires the property event the plugin reloads on, so the writes come in an order in
 * which no reload in between sees a proxy half-saved: a new proxy's settings before its entry in
 * the list, a removed proxy's entry before its settings.
 */
final class SavedProxies {
    private final WebManager webManager;
    private final String domain;

    SavedProxies(WebManager webManager, String domain) {
        this.webManager = webManager;
        this.domain = domain;
    }

    /** Every saved proxy's raw values, by subdomain, in list order. */
    Map<String, Map<String, String>> read() {
        return new ProxySystemProperties(JiveGlobals::getProperty).read();
    }

    Set<String> subdomains() {
        return read().keySet();
    }

    /**
     * Saves checked settings: a new proxy when {@code original} is {@code null}, else the proxy at
     * {@code original}, which moves to the new subdomain if that differs (keeping its place in
     * the list; the old subdomain's settings are deleted). A new proxy goes to the end.
     */
    void save(String original, ProxySettings settings) {
        Map<String, String> before = original == null ? null : read().get(original);
        String subdomain = settings.subdomain();
        settings.toProperties().forEach((key, value) -> JiveGlobals.setProperty(ProxySystemProperties.name(subdomain, key), value));
        List<String> list = new ArrayList<>(subdomains());
        if (original != null && !original.equals(subdomain)) {
            int position = list.indexOf(original);
            if (position >= 0) {
                list.set(position, subdomain);
            } else {
                list.add(subdomain);
            }
            writeList(list);
            deleteSettings(original);
        } else if (!list.contains(subdomain)) {
            list.add(subdomain);
            writeList(list);
        }

        if (before == null) {
            webManager.logEvent("Added client proxy " + address(subdomain), values(settings.toProperties()));
        } else {
            webManager.logEvent("Changed client proxy " + address(subdomain), changes(original, before, settings));
        }
    }

    /** Removes a proxy from the list, then deletes its settings; false when there is no such proxy. */
    boolean remove(String subdomain) {
        Map<String, String> before = read().get(subdomain);
        if (before == null) {
            return false;
        }
        List<String> list = new ArrayList<>(subdomains());
        list.remove(subdomain);
        writeList(list);
        deleteSettings(subdomain);
        webManager.logEvent("Removed client proxy " + address(subdomain), values(before));
        return true;
    }

    /** {@code key: old → new} for every value that changed, one per line, as Openfire's own entries. */
    private String changes(String original, Map<String, String> before, ProxySettings settings) {
        List<String> lines = new ArrayList<>();
        if (!original.equals(settings.subdomain())) {
            lines.add("subdomain: " + original + " \u2192 " + settings.subdomain());
        }
        settings.toProperties().forEach((key, value) -> {
            String old = before.get(key);
            if (!Objects.equals(old, value)) {
                lines.add(key + ": " + (old == null ? "(default)" : old) + " \u2192 " + value);
            }
        });
        return lines.isEmpty() ? "no value changed" : String.join("\n", lines);
    }

    private static String values(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private String address(String subdomain) {
        return subdomain + "." + domain;
    }

    private static void writeList(List<String> subdomains) {
        if (subdomains.isEmpty()) {
            JiveGlobals.deleteProperty(ProxySystemProperties.PROXIES);
        } else {
            JiveGlobals.setProperty(ProxySystemProperties.PROXIES, String.join(",", subdomains));
        }
    }

    private static void deleteSettings(String subdomain) {
        for (String key : ProxySettings.KEYS) {
            if (JiveGlobals.getProperty(ProxySystemProperties.name(subdomain, key)) != null) {
                JiveGlobals.deleteProperty(ProxySystemProperties.name(subdomain, key));
            }
        }
    }
}
