package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * One proxy as a row of the proxies table: its configuration and whether it runs. Values are
 * plain text; the page escapes them. The {@code ...Key} values complete i18n keys
 * ({@code clientproxy.state.<key>}, {@code clientproxy.strategy.<key>}, ...).
 */
public final class ProxyRow {
    private final String subdomain;
    private final String address;
    private final String target;
    private final String strategy;
    private final boolean strategyKnown;
    private final String timeoutMillis;
    private final String maxPerRequester;
    private final String maxOutstanding;
    private final boolean enabled;
    private final boolean running;
    private final List<Notice> reason;
    private final String subscriptionKey;
    private final int onlineResources;
    private final int outstanding;
    private final AdminMessage warning;

    ProxyRow(String subdomain, String address, String target, String strategy, boolean strategyKnown,
             String timeoutMillis, String maxPerRequester, String maxOutstanding, boolean enabled,
             boolean running, List<Notice> reason, String subscriptionKey, int onlineResources, int outstanding,
             AdminMessage warning) {
        this.subdomain = subdomain;
        this.address = address;
        this.target = target;
        this.strategy = strategy;
        this.strategyKnown = strategyKnown;
        this.timeoutMillis = timeoutMillis;
        this.maxPerRequester = maxPerRequester;
        this.maxOutstanding = maxOutstanding;
        this.enabled = enabled;
        this.running = running;
        this.reason = List.copyOf(reason);
        this.subscriptionKey = subscriptionKey;
        this.onlineResources = onlineResources;
        this.outstanding = outstanding;
        this.warning = warning;
    }

    public String getSubdomain() {
        return subdomain;
    }

    /** The full service address, {@code <subdomain>.<domain>}. */
    public String getAddress() {
        return address;
    }

    /** The configured target as typed (it may be invalid), or empty. */
    public String getTarget() {
        return target;
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

    public boolean isRunning() {
        return running;
    }

    /** {@code running} or {@code stopped}. */
    public String getStateKey() {
        return running ? "running" : "stopped";
    }

    /**
     * Why the proxy does not run, in lines: the reason, then for invalid settings what is wrong
     * with each field. Empty when it runs.
     */
    public List<Notice> getReason() {
        return reason;
    }

    /** {@code none}, {@code pending}, {@code granted} or {@code revoked}; {@code null} when not running. */
    public String getSubscriptionKey() {
        return subscriptionKey;
    }

    public int getOnlineResources() {
        return onlineResources;
    }

    public int getOutstanding() {
        return outstanding;
    }

    /** Something the operator should know about the configuration (an unknown local account), or {@code null}. */
    public AdminMessage getWarning() {
        return warning;
    }
}
