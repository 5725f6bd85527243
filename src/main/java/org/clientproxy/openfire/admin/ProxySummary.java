package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * What both the proxies table and the monitor show of a proxy: its addresses, whether it runs
 * (and why not) and its subscription. Values are plain text; the pages escape them.
 */
public abstract class ProxySummary {
    private final String subdomain;
    private final String address;
    private final String target;
    private final boolean running;
    private final List<Notice> reason;
    private final String subscriptionKey;
    private final int outstanding;

    ProxySummary(String subdomain, String address, String target, boolean running, List<Notice> reason,
                 String subscriptionKey, int outstanding) {
        this.subdomain = subdomain;
        this.address = address;
        this.target = target;
        this.running = running;
        this.reason = List.copyOf(reason);
        this.subscriptionKey = subscriptionKey;
        this.outstanding = outstanding;
    }

    public String getSubdomain() {
        return subdomain;
    }

    /** The service address, {@code <subdomain>.<domain>}. */
    public String getAddress() {
        return address;
    }

    /** The configured target as typed, or empty. */
    public String getTarget() {
        return target;
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

    /** Requests forwarded and not answered yet. */
    public int getOutstanding() {
        return outstanding;
    }
}
