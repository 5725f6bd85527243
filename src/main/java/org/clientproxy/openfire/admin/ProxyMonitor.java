package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * What one proxy is doing, for the monitor page: whether it runs (and why not), its
 * subscription, the implementing account's online resources, its counters and latency.
 * Built by {@link ProxyMonitorBuilder}.
 */
public final class ProxyMonitor {
    private final String subdomain;
    private final String address;
    private final String target;
    private final boolean running;
    private final List<Notice> reason;
    private final String subscriptionKey;
    private final List<ResourceRow> resources;
    private final List<CounterRow> counters;
    private final int outstanding;
    private final long latencyCount;
    private final Double latencyP50Millis;
    private final Double latencyP99Millis;
    private final long latencyWindowSeconds;

    ProxyMonitor(String subdomain, String address, String target, boolean running, List<Notice> reason,
                 String subscriptionKey, List<ResourceRow> resources, List<CounterRow> counters, int outstanding,
                 long latencyCount, Double latencyP50Millis, Double latencyP99Millis, long latencyWindowSeconds) {
        this.subdomain = subdomain;
        this.address = address;
        this.target = target;
        this.running = running;
        this.reason = List.copyOf(reason);
        this.subscriptionKey = subscriptionKey;
        this.resources = List.copyOf(resources);
        this.counters = List.copyOf(counters);
        this.outstanding = outstanding;
        this.latencyCount = latencyCount;
        this.latencyP50Millis = latencyP50Millis;
        this.latencyP99Millis = latencyP99Millis;
        this.latencyWindowSeconds = latencyWindowSeconds;
    }

    public String getSubdomain() {
        return subdomain;
    }

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

    /** The implementing account's online resources, oldest first; empty when not running. */
    public List<ResourceRow> getResources() {
        return resources;
    }

    /** The counters since the proxy started or was last reset; empty when not running. */
    public List<CounterRow> getCounters() {
        return counters;
    }

    /** Requests forwarded and not answered yet. */
    public int getOutstanding() {
        return outstanding;
    }

    /** Replies measured in the latency window. */
    public long getLatencyCount() {
        return latencyCount;
    }

    /**
     * Median round trip in milliseconds: the upper bound of the histogram bucket it falls in;
     * {@code null} when nothing was measured.
     */
    public Double getLatencyP50Millis() {
        return latencyP50Millis;
    }

    /** 99th percentile round trip in milliseconds (bucket upper bound), or {@code null}. */
    public Double getLatencyP99Millis() {
        return latencyP99Millis;
    }

    /** How far back the latency window reaches, in seconds. */
    public long getLatencyWindowSeconds() {
        return latencyWindowSeconds;
    }
}
