package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * One proxy as a row of the proxies table: its configuration and whether it runs. Values are
 * plain text; the page escapes them. The {@code ...Key} values complete i18n keys
 * ({@code clientproxy.state.<key>}, {@code clientproxy.strategy.<key>}, ...).
 */
public final class ProxyRow extends ProxySummary {
    private final String strategy;
    private final boolean strategyKnown;
    private final String timeoutMillis;
    private final String maxPerRequester;
    private final String maxOutstanding;
    private final boolean enabled;
    private final int onlineResources;
    private final AdminMessage warning;

    ProxyRow(String subdomain, String address, String target, String strategy, boolean strategyKnown,
             String timeoutMillis, String maxPerRequester, String maxOutstanding, boolean enabled,
             boolean running, List<Notice> reason, String subscriptionKey, int onlineResources, int outstanding,
             AdminMessage warning) {
        super(subdomain, address, target, running, reason, subscriptionKey, outstanding);
        this.strategy = strategy;
        this.strategyKnown = strategyKnown;
        this.timeoutMillis = timeoutMillis;
        this.maxPerRequester = maxPerRequester;
        this.maxOutstanding = maxOutstanding;
        this.enabled = enabled;
        this.onlineResources = onlineResources;
        this.warning = warning;
    }

    /** The strategy's configuration name, or the raw value when it is not a strategy. */
    public String getStrategy() {
        return strategy;
    }

    /** Whether {@link #getStrategy()} names a strategy (then {@code clientproxy.strategy.<name>} labels it). */
    public boolean isStrategyKnown() {
        return strategyKnown;
    }

    /** The timeout in milliseconds as configured (or the default), as text. */
    public String getTimeoutMillis() {
        return timeoutMillis;
    }

    public String getMaxPerRequester() {
        return maxPerRequester;
    }

    public String getMaxOutstanding() {
        return maxOutstanding;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getOnlineResources() {
        return onlineResources;
    }

    /** Something the operator should know about the configuration (an unknown local account), or {@code null}. */
    public AdminMessage getWarning() {
        return warning;
    }
}
