package org.clientproxy.openfire.admin;

import java.util.List;

/** The model of the monitor page: every proxy's state and numbers, and how often the page reloads. */
public final class MonitorModel {
    private final List<ProxyMonitor> proxies;
    private final int refreshSeconds;

    MonitorModel(List<ProxyMonitor> proxies, int refreshSeconds) {
        this.proxies = List.copyOf(proxies);
        this.refreshSeconds = refreshSeconds;
    }

    public List<ProxyMonitor> getProxies() {
        return proxies;
    }

    /** Seconds between automatic reloads of the page; 0 for none. */
    public int getRefreshSeconds() {
        return refreshSeconds;
    }

    /** The reload intervals offered, in seconds (0: off). */
    public List<Integer> getRefreshChoices() {
        return MonitorPage.REFRESH_CHOICES;
    }
}
