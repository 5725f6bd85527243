package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.openfire.ProxyProperties;

/**
 * The proxies as they are saved in Openfire's system properties ({@link ProxyProperties}), read
 * and changed by the admin pages. Each write fires a property event that makes the plugin
 * reload; the writes come in an order in which no reload in between sees a proxy half-saved:
 * a new proxy's settings before its entry in the list, a removed proxy's entry before its
 * settings.
 */
public final class ProxyConfiguration {
    private final PropertyStore store;

    public ProxyConfiguration(PropertyStore store) {
        this.store = store;
    }

    /** Every configured proxy's raw values, by subdomain, in configuration order. */
    public Map<String, Map<String, String>> read() {
        return new ProxyProperties(store::get).read();
    }

    /** The subdomains of the configured proxies. */
    public Set<String> subdomains() {
        return read().keySet();
    }

    /**
     * Saves a proxy's settings: a new one when {@code original} is {@code null}; otherwise the
     * proxy at {@code original}, which moves to the new subdomain if that differs (the old
     * one's settings are deleted). A new proxy goes to the end of the list, a moved one keeps
     * its place.
     */
    public void save(String original, ProxySettings settings) {
        String subdomain = settings.subdomain();
        for (Map.Entry<String, String> value : settings.toProperties().entrySet()) {
            store.set(ProxyProperties.name(subdomain, value.getKey()), value.getValue());
        }
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
    }

    /** Removes a proxy from the list, then deletes its settings. */
    public void remove(String subdomain) {
        List<String> list = new ArrayList<>(subdomains());
        if (list.remove(subdomain)) {
            writeList(list);
        }
        deleteSettings(subdomain);
    }

    private void writeList(List<String> subdomains) {
        if (subdomains.isEmpty()) {
            store.delete(ProxyProperties.PROXIES);
        } else {
            store.set(ProxyProperties.PROXIES, String.join(",", subdomains));
        }
    }

    private void deleteSettings(String subdomain) {
        for (String key : ProxySettings.KEYS) {
            if (store.get(ProxyProperties.name(subdomain, key)) != null) {
                store.delete(ProxyProperties.name(subdomain, key));
            }
        }
    }
}
