package org.clientproxy.openfire.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.core.Strategy;
import org.clientproxy.core.SubscriptionState;
import org.clientproxy.openfire.ConfiguredProxy;
import org.clientproxy.openfire.StopReason;

/**
 * One configured proxy as the proxies table and the monitor show it: its settings as configured,
 * whether it runs (and why not), its presence, online resources, counters and latency. Values
 * are plain text; the pages escape them. To show a new counter: one line in {@link #counters},
 * and its {@code clientproxy.counter.*} texts.
 */
public final class ProxyView {
    private final String subdomain;
    private final String address;
    private final Map<String, String> settings;
    private final boolean strategyKnown;
    private final boolean running;
    private final List<String> runners;
    private final List<Message> reason;
    private final boolean accountMissing;
    private final String presence;
    private final Date presenceSince;
    private final boolean viaRoster;
    private final List<Resource> resources;
    private final List<Counter> counters;
    private final int outstanding;
    private final Date countingSince;
    private final ProxySnapshot.Latency latency;
    private final List<ProxySnapshot.Minute> lastHour;
    private final String resourcesHidden;

    /**
     * @param localAccountExists whether an account of this server (by username) exists
     * @param runners            the servers (cluster members) that run the proxy, as the server's routing sees them
     */
    ProxyView(ConfiguredProxy state, String domain, Predicate<String> localAccountExists, List<String> runners) {
        this.runners = List.copyOf(runners);
        subdomain = state.subdomain();
        address = subdomain + "." + domain;
        settings = ProxyForm.of(subdomain, state.values()).getValues();
        strategyKnown = Strategy.fromConfigName(settings.get(ProxySettings.STRATEGY)) != null;
        running = state.running();
        reason = running ? List.of() : reasonLines(state);
        ProxySettings parsed = state.settings();
        accountMissing = parsed != null && parsed.target().getDomain().equals(domain)
                && !localAccountExists.test(parsed.target().getNode());
        if (running) {
            ProxySnapshot status = state.proxy().status();
            presence = status.subscription().name().toLowerCase(Locale.ROOT);
            presenceSince = status.subscriptionSince() == null ? null : Date.from(status.subscriptionSince());
            viaRoster = status.subscription().viaRoster();
            resources = status.resources().stream().map(Resource::new).toList();
            counters = counters(status.counters());
            outstanding = status.outstanding();
            countingSince = Date.from(state.proxy().countingSince());
            latency = status.latency();
            lastHour = status.lastHour();
            resourcesHidden = resourcesHidden(status.subscription());
        } else {
            presence = null;
            presenceSince = null;
            viaRoster = false;
            resources = List.of();
            counters = List.of();
            outstanding = 0;
            countingSince = null;
            latency = null;
            lastHour = List.of();
            resourcesHidden = null;
        }
    }

    /**
     * Why the proxy cannot see the target's resources, completing
     * {@code clientproxy.monitor.resources.hidden.<why>}: {@code roster} while the account has
     * revoked the roster item, {@code subscription} while a remote account has not approved (or
     * has revoked) the subscription; {@code null} when it sees them.
     */
    private static String resourcesHidden(SubscriptionState state) {
        return switch (state) {
            case REVOKED_BY_ACCOUNT -> "roster";
            case PENDING, REVOKED -> "subscription";
            default -> null;
        };
    }

    /** Every counter, in the order the monitor lists them; {@code clientproxy.counter.<key>} labels each. */
    static List<Counter> counters(ProxySnapshot.Counters counters) {
        return List.of(
                new Counter("forwarded", counters.forwarded()),
                new Counter("results-relayed", counters.resultsRelayed()),
                new Counter("errors-relayed", counters.errorsRelayed()),
                new Counter("timeouts", counters.timeouts()),
                new Counter("no-resource", counters.noResource()),
                new Counter("resource-lost", counters.resourceLost()),
                new Counter("retried", counters.retried()),
                new Counter("limit-reached", counters.rejectedByCaps()),
                new Counter("dropped-replies", counters.droppedReplies()),
                new Counter("marked-unresponsive", counters.markedUnresponsive()),
                new Counter("retried-unresponsive", counters.retriedUnresponsive()),
                new Counter("refused-by-access-rule", counters.refusedByAccessRule()),
                new Counter("requester-gone", counters.requesterGone()));
    }

    /** The reason's message; for invalid settings, then one line per wrong field, as the form says it. */
    private static List<Message> reasonLines(ConfiguredProxy state) {
        StopReason stop = state.reason();
        List<Message> lines = new ArrayList<>();
        lines.add(Message.of(stop.key(), stop.args().toArray()));
        for (String field : stop.invalidFields()) {
            lines.add(ProxyForm.valueError(field, state.values().get(field)));
        }
        return List.copyOf(lines);
    }

    public String getSubdomain() {
        return subdomain;
    }

    /** The service address, {@code <subdomain>.<domain>}. */
    public String getAddress() {
        return address;
    }

    /** The settings as configured (the default where a key is unset), by key of {@link ProxySettings}. */
    public Map<String, String> getSettings() {
        return settings;
    }

    /** Whether the configured strategy is one (then {@code clientproxy.strategy.<name>} labels it). */
    public boolean isStrategyKnown() {
        return strategyKnown;
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * The servers that run the proxy, by host name (and node ID in a cluster), the same on every
     * member of a cluster: normally one; none while it does not run anywhere.
     */
    public List<String> getRunners() {
        return runners;
    }

    /** Why the proxy does not run, in lines; empty when it runs. */
    public List<Message> getReason() {
        return reason;
    }

    /** Whether the target is an account of this server that does not exist (yet). */
    public boolean isAccountMissing() {
        return accountMissing;
    }

    /**
     * How the proxy gets the target's presence, completing {@code clientproxy.presence.<key>}:
     * the {@link org.clientproxy.core.SubscriptionState} in lower case; {@code null} when the proxy
     * does not run.
     */
    public String getPresence() {
        return presence;
    }

    /** Since when {@link #getPresence()} holds, or {@code null}. */
    public Date getPresenceSince() {
        return presenceSince == null ? null : new Date(presenceSince.getTime());
    }

    /** Whether the proxy gets the presence through a roster item it writes (an account of this server). */
    public boolean isViaRoster() {
        return viaRoster;
    }

    /**
     * Why the proxy cannot see whether any resource of the target is online ({@code roster} or
     * {@code subscription}), or {@code null} when it can: then an empty list means none is online.
     */
    public String getResourcesHidden() {
        return resourcesHidden;
    }

    /** The minutes of the last hour ({@link ProxySnapshot#lastHour()}); empty when the proxy does not run. */
    List<ProxySnapshot.Minute> lastHour() {
        return lastHour;
    }

    /** The target's online resources, oldest first; empty when the proxy does not run. */
    public List<Resource> getResources() {
        return resources;
    }

    /** The counters since the proxy started or they were last reset; empty when it does not run. */
    public List<Counter> getCounters() {
        return counters;
    }

    /** Since when the counters count (the proxy's start or their last reset), or {@code null} when it does not run. */
    public Date getCountingSince() {
        return countingSince == null ? null : new Date(countingSince.getTime());
    }

    /** Requests forwarded and not answered yet. */
    public int getOutstanding() {
        return outstanding;
    }

    /** Replies measured in the latency window. */
    public long getLatencyCount() {
        return latency == null ? 0 : latency.count();
    }

    /** Half of the replies came within this many milliseconds (a measured latency), or {@code null}. */
    public Double getLatencyP50Millis() {
        return latency == null ? null : millis(latency.p50());
    }

    /** 99 in 100 replies came within this many milliseconds (a measured latency), or {@code null}. */
    public Double getLatencyP99Millis() {
        return latency == null ? null : millis(latency.p99());
    }

    /** Whether the percentiles are estimated from a sample of the replies (a busy minute) rather than exact. */
    public boolean isLatencySampled() {
        return latency != null && latency.sampled();
    }

    /** How far back the latency window reaches, in seconds. */
    public long getLatencyWindowSeconds() {
        return latency == null ? 0 : latency.window().toSeconds();
    }

    private static Double millis(Duration duration) {
        return duration == null ? null : duration.toNanos() / 1_000_000.0;
    }

    /** One online resource of the target. */
    public static final class Resource {
        private final String address;
        private final Date onlineSince;
        private final int outstanding;
        private final Date unresponsiveSince;

        Resource(ProxySnapshot.Resource resource) {
            this.address = resource.address().toString();
            this.onlineSince = Date.from(resource.onlineSince());
            this.outstanding = resource.outstanding();
            this.unresponsiveSince = resource.unresponsiveSince() == null ? null : Date.from(resource.unresponsiveSince());
        }

        /** The resource's full JID. */
        public String getAddress() {
            return address;
        }

        /**
         * Since when it is online (a {@link Date}, for {@code <fmt:formatDate>}): for an account
         * of this server the login of its session; otherwise when the proxy learned of it.
         */
        public Date getOnlineSince() {
            return new Date(onlineSince.getTime());
        }

        /** Requests forwarded to this resource and not answered yet. */
        public int getOutstanding() {
            return outstanding;
        }

        /** Since when it answers nothing, not even a ping, or {@code null} while it is responsive. */
        public Date getUnresponsiveSince() {
            return unresponsiveSince == null ? null : new Date(unresponsiveSince.getTime());
        }
    }

    /** One counter: {@code clientproxy.counter.<key>} labels it, {@code ...<key>.help} explains it. */
    public static final class Counter {
        private final String key;
        private final long value;

        Counter(String key, long value) {
            this.key = key;
            this.value = value;
        }

        public String getKey() {
            return key;
        }

        public long getValue() {
            return value;
        }
    }
}
