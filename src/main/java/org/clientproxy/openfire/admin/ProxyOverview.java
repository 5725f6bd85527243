package org.clientproxy.openfire.admin;

import java.util.List;

/** The model of the proxies page: every configured proxy. Built by {@link ProxyOverviewBuilder}. */
public final class ProxyOverview {
    private final String domain;
    private final List<ProxyRow> proxies;

    ProxyOverview(String domain, List<ProxyRow> proxies) {
        this.domain = domain;
        this.proxies = List.copyOf(proxies);
    }

    /** The XMPP domain the service addresses end with. */
    public String getDomain() {
        return domain;
    }

    /** Every configured proxy, in configuration order. */
    public List<ProxyRow> getProxies() {
        return proxies;
    }
}
