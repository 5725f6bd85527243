package org.clientproxy.openfire;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.event.GroupEventDispatcher;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.event.UserEventDispatcher;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Openfire plugin: runs one {@link org.clientproxy.core.ClientProxy} component per proxy
 * configured in the system properties ({@link ProxySystemProperties}) and applies every change to those
 * properties at once, without a restart. It tells the proxies when a requester's session ends
 * ({@link RequesterSessions}) and keeps the groups their rules name ({@link GroupUsersCache}).
 * Everything it starts (components, its one thread, its property, cluster, session and group
 * listeners) is gone after {@link #destroyPlugin()}.
 */
public final class ClientProxyPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProxyPlugin.class);
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(10);
    /** How long loading waits for the proxies to start; a slow start (a sick cluster) goes on in the background. */
    private static final Duration FIRST_RELOAD_PATIENCE = Duration.ofSeconds(10);
    /**
     * How often the groups the rules name are read again, besides on Openfire's group events:
     * in a cluster those are raised only on the member where the group was changed.
     */
    private static final Duration GROUP_RELOAD_INTERVAL = Duration.ofMinutes(1);

    /** The loaded plugin, for the admin page ({@code PluginManager.getPlugin} is gone in Openfire 5). */
    private static volatile ClientProxyPlugin instance;

    private final ProxySystemProperties properties;
    private final ComponentHost host;
    private final ProxyStatistics statistics;
    /** Openfire, for the targets' rosters; {@code null} where no roster is written (tests of other things). */
    private final Supplier<XMPPServer> server;
    private final RosterRecords.Store rosterRecords;
    private volatile ProxyRegistry registry;
    private volatile RosterGrants rosters;
    private volatile ProxyWorker worker;
    /** How to stop each listener the plugin registered with Openfire, in the order they were added. */
    private final Queue<Runnable> listening = new ConcurrentLinkedQueue<>();

    /** Called by Openfire. */
    public ClientProxyPlugin() {
        this(new ProxySystemProperties(JiveGlobals::getProperty), new OpenfireComponentHost(),
                new ProxyStatistics(new PluginText(JiveGlobals::getLocale, ClientProxyPlugin.class.getClassLoader())),
                XMPPServer::getInstance, RosterRecords.SYSTEM_PROPERTIES);
    }

    ClientProxyPlugin(ProxySystemProperties properties, ComponentHost host) {
        this(properties, host, new ProxyStatistics(new PluginText(() -> Locale.ENGLISH,
                ClientProxyPlugin.class.getClassLoader())));
    }

    ClientProxyPlugin(ProxySystemProperties properties, ComponentHost host, ProxyStatistics statistics) {
        this(properties, host, statistics, null, null);
    }

    ClientProxyPlugin(ProxySystemProperties properties, ComponentHost host, ProxyStatistics statistics,
                      Supplier<XMPPServer> server, RosterRecords.Store rosterRecords) {
        this.properties = properties;
        this.host = host;
        this.statistics = statistics;
        this.server = server;
        this.rosterRecords = rosterRecords;
    }

    /** The plugin while it is loaded, or {@code null}. */
    public static ClientProxyPlugin instance() {
        return instance;
    }

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        RosterGrants rosters = server == null ? null : new RosterGrants(server, new RosterRecords(rosterRecords),
                this::onWorker, this::proxies, Clock.systemUTC());
        GroupUsersCache groups = new GroupUsersCache(this::onWorker);
        ProxyRegistry registry = new ProxyRegistry(host, rosters == null ? ProxyRosters.NONE : rosters, groups);
        ProxyWorker worker = new ProxyWorker(registry, properties::read, statistics::sync);
        this.rosters = rosters;
        this.registry = registry;
        this.worker = worker;
        // Listen first, then read: a change made in between is then read by a later reload.
        ConfigurationListener configuration = new ConfigurationListener(worker::reload);
        PropertyEventDispatcher.addListener(configuration);
        listening.add(() -> PropertyEventDispatcher.removeListener(configuration));
        ClusterRoleListener clusterRole = new ClusterRoleListener(worker::reload);
        ClusterRoleListener.register(clusterRole);
        listening.add(() -> ClusterManager.removeListener(clusterRole));
        if (rosters != null) {
            UserEventDispatcher.addListener(rosters);
            listening.add(() -> UserEventDispatcher.removeListener(rosters));
        }
        GroupEventDispatcher.addListener(groups);
        listening.add(() -> GroupEventDispatcher.removeListener(groups));
        RequesterSessions sessions = new RequesterSessions(registry::running);
        SessionEventDispatcher.addListener(sessions);
        listening.add(() -> SessionEventDispatcher.removeListener(sessions));
        worker.every(GROUP_RELOAD_INTERVAL, groups::reloadAll);
        CompletableFuture<Void> firstReload = worker.reload();
        instance = this;
        // Once loaded, the admin pages show the configured proxies, not an empty list (seen after an upgrade).
        awaitFirstReload(firstReload);
        LOG.info("Client Proxy plugin loaded");
    }

    private static void awaitFirstReload(CompletableFuture<Void> reload) {
        try {
            reload.get(FIRST_RELOAD_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("The proxies are still being started after {}; they start in the background", FIRST_RELOAD_PATIENCE);
        } catch (ExecutionException e) {
            LOG.warn("Could not start the proxies", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroyPlugin() {
        if (instance == this) {
            instance = null;
        }
        for (Runnable stopListening; (stopListening = listening.poll()) != null; ) {
            stopListening.run();
        }
        ProxyWorker worker = this.worker;
        if (worker != null) {
            worker.shutdown(SHUTDOWN_PATIENCE);
        }
        // After the worker has ended, so that no reload registers them again.
        statistics.removeAll();
        this.rosters = null;
        this.worker = null;
        LOG.info("Client Proxy plugin unloaded");
    }

    /** Every configured proxy with its state, in configuration order. */
    public List<ConfiguredProxy> proxies() {
        ProxyRegistry registry = this.registry;
        return registry == null ? List.of() : registry.states();
    }

    /**
     * The members of the cluster that run the proxy at {@code <subdomain>.<domain>}, as the
     * server's routing sees them, the same on every member: normally one, the senior; none while
     * a failover is under way; two would be a fault. Each is named by host name and, in a cluster,
     * node ID. Not clustered: this server's host name while the proxy runs.
     */
    public List<String> runners(String subdomain) {
        try {
            return host.runners(subdomain);
        } catch (RuntimeException e) {
            LOG.warn("Could not tell which member runs client proxy {}", subdomain, e);
            return List.of();
        }
    }

    /** The XMPP domain the proxies' addresses end with. */
    public String domain() {
        return host.domain();
    }

    /**
     * Whether {@code <subdomain>.<domain>} is held by a component or service of the server other
     * than a running proxy of this plugin (Openfire's file-transfer proxy holds {@code proxy}).
     */
    public boolean isTakenByAnotherService(String subdomain) {
        boolean ours = proxies().stream().anyMatch(state -> state.running() && state.subdomain().equals(subdomain));
        return !ours && host.isTaken(subdomain);
    }

    /**
     * Applies the configuration now rather than when the property events arrive; the admin page
     * waits on this after saving so that the page it shows next is up to date.
     */
    public CompletableFuture<Void> applyConfiguration() {
        ProxyWorker worker = this.worker;
        return worker == null
                ? CompletableFuture.failedFuture(new IllegalStateException("The plugin is not loaded"))
                : worker.reload();
    }

    /**
     * The operator's "re-send" for one proxy: for a target that is an account of this server,
     * writes the roster item that gives the proxy its presence again (also after the account
     * revoked it); for any other target, sends the subscription request and a probe again.
     *
     * @return completes with whether the proxy runs, once that is done
     */
    public CompletableFuture<Boolean> renewPresence(String subdomain) {
        ProxyWorker worker = this.worker;
        RosterGrants rosters = this.rosters;
        if (worker == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("The plugin is not loaded"));
        }
        return worker.submit(() -> {
            ConfiguredProxy state = proxies().stream()
                    .filter(candidate -> candidate.running() && candidate.subdomain().equals(subdomain))
                    .findFirst().orElse(null);
            if (state == null) {
                return false;
            }
            ClientProxy proxy = state.proxy();
            if (rosters != null && rosters.writesRosterOf(proxy.settings().target())) {
                rosters.attach(subdomain, proxy, true);
            } else {
                proxy.resubscribe();
            }
            return true;
        });
    }

    /** Runs a task on the plugin's thread (group loads), while the plugin is loaded. */
    private void onWorker(Runnable task) {
        ProxyWorker worker = this.worker;
        if (worker != null) {
            worker.execute(task);
        }
    }

    /** For tests: waits until the work queued so far (reloads, sweeps) has run. */
    void awaitQueuedWork() throws Exception {
        worker.awaitQueuedWork();
    }
}
