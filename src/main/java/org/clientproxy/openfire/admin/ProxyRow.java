package org.clientproxy.openfire.admin;

/**
 * One proxy as a row of the admin page. Values are plain text; the page escapes them.
 * The {@code ...Key} values complete i18n keys ({@code clientproxy.state.<key>}, ...).
 */
public final class ProxyRow {
    private final String subdomain;
    private final String address;
    private final String target;
    private final boolean running;
    private final String reason;
    private final String subscriptionKey;
    private final int onlineResources;
    private final int outstanding;

    ProxyRow(String subdomain, String address, String target, boolean running, String reason,
             String subscriptionKey, int onlineResources, int outstanding) {
        this.subdomain = subdomain;
        this.address = address;
        this.target = target;
        this.running = running;
        this.reason = reason;
        this.subscriptionKey = subscriptionKey;
        this.onlineResources = onlineResources;
        this.outstanding = outstanding;
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

    public boolean isRunning() {
        return running;
    }

    /** {@code running} or {@code stopped}. */
    public String getStateKey() {
        return running ? "running" : "stopped";
    }

    /** Why the proxy does not run, or {@code null} when it runs. */
    public String getReason() {
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
}
