package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * What the Client Proxy admin page shows, ready to render: the JSP reads these getters and
 * nothing else. Built by {@link ProxyOverviewBuilder}.
 */
public final class ProxyOverview {
    private final boolean pluginLoaded;
    private final List<ProxyRow> proxies;

    ProxyOverview(boolean pluginLoaded, List<ProxyRow> proxies) {
        this.pluginLoaded = pluginLoaded;
        this.proxies = List.copyOf(proxies);
    }

    /** False while the plugin is not loaded (the page is then served by a stale class loader). */
    public boolean isPluginLoaded() {
        return pluginLoaded;
    }

    /** Every configured proxy, in configuration order. */
    public List<ProxyRow> getProxies() {
        return proxies;
    }
}
