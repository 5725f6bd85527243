package org.clientproxy.openfire.admin;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxyStatus;
import org.clientproxy.openfire.ProxyState;

/** Builds a {@link ProxyMonitor} per proxy from the plugin's proxies and their status. */
public final class ProxyMonitorBuilder {
    private ProxyMonitorBuilder() {
    }

    public static List<ProxyMonitor> build(String domain, List<ProxyState> states) {
        return states.stream().map(state -> monitor(domain, state)).toList();
    }

    private static ProxyMonitor monitor(String domain, ProxyState state) {
        String address = state.subdomain() + "." + domain;
        String target = state.values().getOrDefault(ProxySettings.TARGET, "");
        if (!state.running()) {
            return new ProxyMonitor(state.subdomain(), address, target, false, StopReasonLines.of(state), null,
                    List.of(), List.of(), 0, 0, null, null, 0);
        }
        ProxyStatus status = state.proxy().status();
        List<ResourceRow> resources = status.resources().stream()
                .map(resource -> new ResourceRow(resource.address().toString(), Date.from(resource.onlineSince()),
                        resource.outstanding()))
                .toList();
        ProxyStatus.Latency latency = status.latency();
        return new ProxyMonitor(state.subdomain(), address, target, true, List.of(),
                status.subscription().name().toLowerCase(Locale.ROOT), resources, counters(status.counters()),
                status.outstanding(), latency.count(), millis(latency.p50()), millis(latency.p99()),
                latency.window().toSeconds());
    }

    /** Every counter, in the order the page lists them. */
    static List<CounterRow> counters(ProxyStatus.Counters counters) {
        return List.of(
                new CounterRow("forwarded", counters.forwarded()),
                new CounterRow("results-relayed", counters.resultsRelayed()),
                new CounterRow("errors-relayed", counters.errorsRelayed()),
                new CounterRow("timeouts", counters.timeouts()),
                new CounterRow("no-resource", counters.noResource()),
                new CounterRow("resource-lost", counters.resourceLost()),
                new CounterRow("retried", counters.retried()),
                new CounterRow("rejected-by-caps", counters.rejectedByCaps()),
                new CounterRow("dropped-replies", counters.droppedReplies()));
    }

    private static Double millis(Duration duration) {
        return duration == null ? null : duration.toNanos() / 1_000_000.0;
    }
}
