package org.clientproxy.openfire;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.AccessRule;
import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.JID;

/**
 * Brings the running proxies in line with the configuration: starts the new ones, reconfigures
 * the changed ones, stops the removed, disabled or now invalid ones, and keeps for each the
 * reason when it does not run.
 *
 * <p>Only one thread changes it (the plugin's {@link ProxyWorker}), so no lock is held while
 * Openfire registers, starts or shuts down a component. Any thread may read {@link #states()}:
 * each change publishes a new immutable snapshot.
 */
final class ProxyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyRegistry.class);

    private static final String TAKEN = "clientproxy.error.subdomain.taken";
    private static final String REFUSED = "clientproxy.reason.refused";
    /** Reasons an operator chose or a cluster needs (not problems): logged at INFO, the others at WARN. */
    private static final Set<String> EXPECTED_REASONS = Set.of("clientproxy.reason.disabled",
            "clientproxy.reason.joining", "clientproxy.reason.standby");

    /** How long a proxy that hands over waits for the stanzas it is processing. */
    private static final Duration HANDOVER_PATIENCE = Duration.ofSeconds(1);

    private final ComponentHost host;
    private final ProxyRosters rosters;
    private final GroupUsersCache groups;
    private final ProxyHandover handover;
    private volatile Map<String, ConfiguredProxy> states = Map.of();

    /** For proxies whose rules name no group: every group is empty. */
    ProxyRegistry(ComponentHost host) {
        this(host, ProxyRosters.NONE, new GroupUsersCache(group -> Set.of(), Runnable::run));
    }

    /** Nothing handed over from an instance before, and nowhere to leave anything for the next. */
    ProxyRegistry(ComponentHost host, ProxyRosters rosters, GroupUsersCache groups) {
        this(host, rosters, groups, new ProxyHandover(new Hashtable<>()));
    }

    /**
     * @param rosters  writes the rosters of the targets that are accounts of this server
     * @param groups   the users of the groups the rules name; loaded on this registry's thread
     * @param handover what the plugin instance before this one left, and where this one leaves its proxies
     */
    ProxyRegistry(ComponentHost host, ProxyRosters rosters, GroupUsersCache groups, ProxyHandover handover) {
        this.host = host;
        this.rosters = rosters;
        this.groups = groups;
        this.handover = handover;
    }

    /** Every configured proxy, in configuration order. */
    List<ConfiguredProxy> states() {
        return List.copyOf(states.values());
    }

    /** The running proxies, in configuration order. */
    List<ClientProxy> running() {
        return states.values().stream().filter(ConfiguredProxy::running).map(ConfiguredProxy::proxy).toList();
    }

    /**
     * Applies a configuration (subdomain to raw values, as {@link ProxySystemProperties#read()} gives it).
     * One proxy's failure never keeps the others from being applied.
     */
    void apply(Map<String, Map<String, String>> configuration) {
        // Before any proxy starts with a rule naming a group, so that it knows the group's users at once.
        groups.watch(namedGroups(configuration));
        ClusterRole role = host.clusterRole();
        Map<String, ConfiguredProxy> previous = states;
        for (ConfiguredProxy old : previous.values()) {
            if (!configuration.containsKey(old.subdomain()) && old.running()) {
                LOG.info("Client proxy {} was removed from the configuration", old.subdomain());
                stop(old);
            }
        }
        Map<String, ConfiguredProxy> next = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> configured : configuration.entrySet()) {
            String subdomain = configured.getKey();
            Map<String, String> values = configured.getValue();
            ConfiguredProxy old = previous.get(subdomain);
            ConfiguredProxy state;
            try {
                state = apply(subdomain, values, old, role);
            } catch (RuntimeException e) {
                LOG.error("Could not apply the settings of client proxy {}", subdomain, e);
                state = notRunning(subdomain, values, null, old, StopReason.of("clientproxy.reason.internal-error",
                        "internal error: " + describe(e), describe(e)));
            }
            next.put(subdomain, state);
        }
        states = Collections.unmodifiableMap(next);
        // What the instance before left for proxies that do not run here is answered now.
        for (String released : handover.releaseUnclaimed()) {
            LOG.info("Client proxy {} does not run in this instance of the plugin: what the instance before it"
                    + " left outstanding was answered", released);
        }
        // Only the member that runs the proxies writes rosters.
        try {
            if (role.runsProxies()) {
                rosters.reconcile(next.values());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not take back what removed client proxies wrote in rosters", e);
        }
    }

    /** The groups the valid {@code allow} rules of a configuration name. */
    private static Set<String> namedGroups(Map<String, Map<String, String>> configuration) {
        Set<String> named = new LinkedHashSet<>();
        for (Map<String, String> values : configuration.values()) {
            String allow = values.get(ProxySettings.ALLOW);
            if (allow != null && !allow.isBlank()) {
                try {
                    named.addAll(AccessRule.parse(allow).groups());
                } catch (AccessRule.InvalidRuleException e) {
                    // That proxy does not run; apply() says why.
                }
            }
        }
        return named;
    }

    /**
     * Whether applying the configuration again may change something although it has not changed:
     * a proxy that should run could not register (its address held by a registration that may
     * turn out stale, or refused). Role changes are not polled: the cluster's events bring them,
     * after Openfire has updated its routes.
     */
    boolean needsRetry() {
        for (ConfiguredProxy state : states.values()) {
            if (!state.running() && isRetryable(state.reason())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryable(StopReason reason) {
        return reason.key().equals(TAKEN) || reason.key().equals(REFUSED);
    }

    /** Calls {@link ClientProxy#expireOverdue()} on every running proxy. */
    void expireOverdue() {
        for (ConfiguredProxy state : states.values()) {
            if (state.running()) {
                try {
                    state.proxy().expireOverdue();
                } catch (RuntimeException e) {
                    LOG.warn("Client proxy {} failed to expire its overdue requests", state.subdomain(), e);
                }
            }
        }
    }

    /** Forwards the requests that waited too long for the cluster to take their journal write. */
    void sweepJournals() {
        host.sweepJournals();
    }

    /**
     * The plugin is being replaced (a new version, a reload): each running proxy leaves its
     * address held, its outstanding requests and its online resources for the next instance
     * ({@link ProxyHandover}); a proxy whose address cannot be held is stopped.
     */
    void handOverAll() {
        Map<String, ConfiguredProxy> previous = states;
        states = Map.of();
        for (ConfiguredProxy state : previous.values()) {
            if (state.running()) {
                handOver(state);
            }
        }
    }

    private void handOver(ConfiguredProxy state) {
        String subdomain = state.subdomain();
        ClientProxy proxy = state.proxy();
        AddressHolder holder = new AddressHolder(subdomain, proxy.settings().maxOutstanding(), AddressHolder.PATIENCE,
                host::unregister);
        try {
            host.register(subdomain, holder);
        } catch (ComponentException | RuntimeException e) {
            LOG.warn("Could not hold the address of client proxy {} for the next instance of the plugin; stopping it",
                    subdomain, e);
            stop(state);
            return;
        }
        try {
            // The holder stays: the address keeps routing, to it; the proxy is not shut down (which answers everything).
            host.handOverAddress(subdomain, proxy);
        } catch (RuntimeException e) {
            LOG.warn("Could not unregister client proxy {} for the next instance of the plugin; stopping it", subdomain, e);
            holder.release();
            stop(state);
            return;
        }
        try {
            if (!proxy.handOver(holder::processPacket, HANDOVER_PATIENCE)) {
                LOG.warn("Client proxy {} was still processing stanzas {} after it handed over", subdomain,
                        HANDOVER_PATIENCE);
            }
            host.drainJournal(subdomain);
            long now = System.currentTimeMillis();
            List<RequestRecord> requests = proxy.takeOutstanding().stream()
                    .map(request -> new RequestRecord(request.requester(), request.id(), request.service(),
                            request.resource(), now + request.remaining().toMillis()))
                    .toList();
            Map<JID, Instant> online = new LinkedHashMap<>();
            proxy.status().resources().forEach(resource -> online.put(resource.address(), resource.onlineSince()));
            handover.leave(subdomain, holder, requests, online);
            LOG.info("Client proxy {} left {} outstanding requests to the next instance of the plugin; its address is"
                    + " held for it for at most {} s", subdomain, requests.size(), AddressHolder.PATIENCE.toSeconds());
        } catch (RuntimeException e) {
            LOG.warn("Client proxy {} could not hand over to the next instance of the plugin; answering everything now",
                    subdomain, e);
            proxy.shutdown();
            host.detachJournal(subdomain);
            holder.release();
        }
    }

    /** Unregisters every running proxy; each answers its outstanding requests as it shuts down. */
    void stopAll() {
        Map<String, ConfiguredProxy> previous = states;
        states = Map.of();
        for (ConfiguredProxy state : previous.values()) {
            if (state.running()) {
                stop(state);
            }
        }
    }

    private ConfiguredProxy apply(String subdomain, Map<String, String> values, ConfiguredProxy old, ClusterRole role) {
        ProxySettings settings;
        try {
            settings = ProxySettings.parse(subdomain, values::get);
        } catch (InvalidSettingsException e) {
            return notRunning(subdomain, values, null, old, StopReason.invalid(e));
        }
        if (!settings.enabled()) {
            return notRunning(subdomain, values, settings, old,
                    StopReason.of("clientproxy.reason.disabled", "disabled in its settings"));
        }
        if (role == ClusterRole.JOINING) {
            return notRunning(subdomain, values, settings, old, StopReason.of("clientproxy.reason.joining",
                    "waiting to join the cluster: clustering is on, and until this member knows its role another"
                            + " member may run the proxies"));
        }
        if (!role.runsProxies()) {
            return notRunning(subdomain, values, settings, old, StopReason.of("clientproxy.reason.standby",
                    "standing by: the senior member of the cluster runs the proxies"));
        }
        String address = subdomain + "." + host.domain();
        if (settings.target().getDomain().equals(address)) {
            return notRunning(subdomain, values, settings, old, StopReason.of("clientproxy.error.target.own-address",
                    "the target " + settings.target() + " is on the proxy's own address, which would forward"
                            + " requests to itself", address));
        }
        if (old != null && old.running()) {
            ClientProxy proxy = old.proxy();
            if (!settings.equals(proxy.settings())) {
                proxy.reconfigure(settings);
                LOG.info("Client proxy {} reconfigured: {}", subdomain, settings.toProperties());
                rosters.attach(subdomain, proxy, true);
            }
            return ConfiguredProxy.running(subdomain, values, proxy);
        }
        return start(subdomain, values, settings, old, address);
    }

    private ConfiguredProxy start(String subdomain, Map<String, String> values, ProxySettings settings,
                             ConfiguredProxy old, String address) {
        // Left by the instance of the plugin before this one, whose holder keeps the address meanwhile.
        ProxyHandover.Parcel handed = handover.claim(subdomain).orElse(null);
        if (handed == null && host.isTaken(subdomain)
                && !(host.clearStaleRegistration(subdomain) && !host.isTaken(subdomain))) {
            return notRunning(subdomain, values, settings, old, StopReason.of(TAKEN,
                    "the address " + address + " is already used by another component or service of this server;"
                            + " choose another subdomain",
                    address));
        }
        try {
            return register(subdomain, values, settings, old, address, handed);
        } catch (RuntimeException e) {
            if (handed != null) {
                handed.release(); // answered now rather than left in the holder
            }
            throw e;
        }
    }

    /** @param handed what the instance of the plugin before this one left for the proxy, or {@code null} */
    private ConfiguredProxy register(String subdomain, Map<String, String> values, ProxySettings settings,
                                     ConfiguredProxy old, String address, ProxyHandover.Parcel handed) {
        ClientProxy proxy = new ClientProxy(settings, ProxyClock.SYSTEM, rosters, groups);
        int adopted = handed == null ? 0 : handed.adoptInto(proxy, subdomain, System.currentTimeMillis());
        // Before registering: a late reply to a request it takes over may come as soon as the address routes to it.
        host.attachJournal(subdomain, proxy);
        try {
            host.register(subdomain, proxy);
        } catch (ComponentException | RuntimeException e) {
            LOG.debug("Registering client proxy {} failed", address, e);
            host.detachJournal(subdomain); // what it took over stays in the cluster for the next start
            if (handed != null) {
                handed.release();
            }
            return notRunning(subdomain, values, settings, old, StopReason.of(REFUSED,
                    "Openfire refused to register " + address + ": " + describe(e), address, describe(e)));
        }
        LOG.info("Client proxy {} started at {}, forwarding to {}", subdomain, address, settings.target());
        rosters.attach(subdomain, proxy, false);
        if (handed != null) {
            // Registered beside the holder: the holder hands over what it queued, then leaves the address.
            handed.takeOver(proxy::processPacket);
            LOG.info("Client proxy {} took over {} outstanding requests and its address from the instance of the"
                    + " plugin before it", subdomain, adopted);
        }
        return ConfiguredProxy.running(subdomain, values, proxy);
    }

    /** The proxy does not run (any more); the reason is logged when it first appears or changes. */
    private ConfiguredProxy notRunning(String subdomain, Map<String, String> values, ProxySettings settings,
                                  ConfiguredProxy old, StopReason reason) {
        if (old != null && old.running()) {
            stop(old);
        }
        if (old == null || !reason.equals(old.reason())) {
            if (EXPECTED_REASONS.contains(reason.key())) {
                LOG.info("Client proxy {} does not run: {}", subdomain, reason.text());
            } else {
                LOG.warn("Client proxy {} does not run: {}", subdomain, reason.text());
            }
        }
        return ConfiguredProxy.stopped(subdomain, values, settings, reason);
    }

    private void stop(ConfiguredProxy state) {
        try {
            host.unregister(state.subdomain(), state.proxy());
        } catch (RuntimeException e) {
            // Unregistering is what shuts a component down; outstanding requests must be answered anyway.
            LOG.warn("Unregistering client proxy {} failed; shutting it down directly", state.subdomain(), e);
            state.proxy().shutdown();
        }
        host.detachJournal(state.subdomain());
        LOG.info("Client proxy {} stopped", state.subdomain());
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
