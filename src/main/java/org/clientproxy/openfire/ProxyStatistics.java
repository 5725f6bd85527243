package org.clientproxy.openfire;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySnapshot;
import org.jivesoftware.openfire.stats.StatisticsManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the main rates of every running proxy with Openfire's {@link StatisticsManager}
 * (so that the Monitoring plugin can graph them), under keys like
 * {@code clientproxy_<subdomain>_forwarded}, and removes them when the proxy stops, is removed,
 * or the plugin is unloaded.
 *
 * <p>Called by the plugin's worker thread after each change to the proxies, and once more after
 * that thread has ended; synchronized all the same, as it is cheap.
 */
final class ProxyStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyStatistics.class);
    static final String KEY_PREFIX = "clientproxy_";

    /** The rates registered for each proxy. */
    enum Rate {
        /** Requests forwarded to the implementing client. */
        FORWARDED("forwarded", ProxySnapshot.Counters::forwarded),
        /** Error replies of the implementing client relayed to the requesters. */
        ERRORS("errors", ProxySnapshot.Counters::errorsRelayed),
        /** Requests answered with a timeout error because no reply came in time. */
        TIMEOUTS("timeouts", ProxySnapshot.Counters::timeouts);

        private final String id;
        private final ToLongFunction<ProxySnapshot.Counters> counter;

        Rate(String id, ToLongFunction<ProxySnapshot.Counters> counter) {
            this.id = id;
            this.counter = counter;
        }

        /** The part of the statistic's key and of its i18n keys ({@code clientproxy.stat.<id>.name}, ...). */
        String id() {
            return id;
        }
    }

    private final PluginText text;
    private final Supplier<StatisticsManager> manager;
    /** The proxy instance whose rates are registered, by subdomain. */
    private final Map<String, ClientProxy> registered = new HashMap<>();

    ProxyStatistics(PluginText text) {
        this(text, StatisticsManager::getInstance);
    }

    /** @param manager looked up at each change, so that an earlier server's manager is never kept */
    ProxyStatistics(PluginText text, Supplier<StatisticsManager> manager) {
        this.text = text;
        this.manager = manager;
    }

    /** The key of one rate of one proxy. */
    static String key(String subdomain, Rate rate) {
        return KEY_PREFIX + subdomain + "_" + rate.id();
    }

    /** Registers the rates of the running proxies and removes those of every other one. */
    synchronized void sync(List<ConfiguredProxy> states) {
        Map<String, ClientProxy> running = new LinkedHashMap<>();
        for (ConfiguredProxy state : states) {
            if (state.running()) {
                running.put(state.subdomain(), state.proxy());
            }
        }
        // A proxy that was stopped and started again is a new instance with new counters.
        registered.entrySet().removeIf(entry -> {
            if (running.get(entry.getKey()) == entry.getValue()) {
                return false;
            }
            unregister(entry.getKey());
            return true;
        });
        for (Map.Entry<String, ClientProxy> proxy : running.entrySet()) {
            if (!registered.containsKey(proxy.getKey())) {
                register(proxy.getKey(), proxy.getValue());
                registered.put(proxy.getKey(), proxy.getValue());
            }
        }
    }

    /** Removes every rate this plugin registered. */
    synchronized void removeAll() {
        for (String subdomain : registered.keySet()) {
            unregister(subdomain);
        }
        registered.clear();
    }

    private void register(String subdomain, ClientProxy proxy) {
        StatisticsManager manager = this.manager.get();
        for (Rate rate : Rate.values()) {
            String prefix = "clientproxy.stat." + rate.id();
            manager.addStatistic(key(subdomain, rate), new RateStatistic(
                    text.get(prefix + ".name", subdomain),
                    text.get(prefix + ".description", subdomain),
                    text.get(prefix + ".units"),
                    () -> rate.counter.applyAsLong(proxy.status().counters())));
        }
        LOG.debug("Registered the statistics of client proxy {}", subdomain);
    }

    private void unregister(String subdomain) {
        StatisticsManager manager = this.manager.get();
        for (Rate rate : Rate.values()) {
            try {
                manager.removeStatistic(key(subdomain, rate));
            } catch (RuntimeException e) {
                LOG.warn("Could not remove the statistic {}", key(subdomain, rate), e);
            }
        }
        LOG.debug("Removed the statistics of client proxy {}", subdomain);
    }
}
