package org.clientproxy.openfire.admin;

import java.util.List;

/**
 * What one proxy is doing, for the monitor page: whether it runs (and why not), its
 * subscription, the implementing account's online resources, its counters and latency.
 * Built by {@link ProxyMonitorBuilder}.
 */
public final class ProxyMonitor extends ProxySummary {
    private final List<ResourceRow> resources;
    private final List<CounterRow> counters;
    private final long latencyCount;
    private final Double latencyP50Millis;
    private final Double latencyP99Millis;
    private final long latencyWindowSeconds;

    ProxyMonitor(String subdomain, String address, String target, boolean running, List<Notice> reason,
                 String subscriptionKey, List<ResourceRow> resources, List<CounterRow> counters, int outstanding,
                 long latencyCount, Double latencyP50Millis, Double latencyP99Millis, long latencyWindowSeconds) {
        super(subdomain, address, target, running, reason, subscriptionKey, outstanding);
        this.resources = List.copyOf(resources);
        this.counters = List.copyOf(counters);
        this.latencyCount = latencyCount;
        this.latencyP50Millis = latencyP50Millis;
        this.latencyP99Millis = latencyP99Millis;
        this.latencyWindowSeconds = latencyWindowSeconds;
    }

    /** The implementing account's online resources, oldest first; empty when not running. */
    public List<ResourceRow> getResources() {
        return resources;
    }

    /** The counters since the proxy started or was last reset; empty when not running. */
    public List<CounterRow> getCounters() {
        return counters;
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
