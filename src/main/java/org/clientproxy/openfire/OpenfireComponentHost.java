package org.clientproxy.openfire;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.JID;

/**
 * Openfire's internal component manager as a {@link ComponentHost}. It looks the manager up at
 * each call, so it never keeps a manager from an earlier server start.
 */
final class OpenfireComponentHost implements ComponentHost {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireComponentHost.class);
    /** The proxies' outstanding requests, shared by the members: see {@link ClusteredRequestJournal}. */
    static final String JOURNAL_CACHE = "Client Proxy Outstanding Requests";
    /** How long the journal keeps an entry after its last write: the longest timeout a request may have, and an hour. */
    static final Duration JOURNAL_LIFETIME = Duration.ofMillis(ProxySettings.MAX_TIMEOUT_MILLIS).plusHours(1);

    /** The journal of each proxy running here while this member is the senior (only the worker thread uses it). */
    private final Map<String, Attached> journals = new HashMap<>();
    /** Openfire's routes to the proxies' addresses, in a cluster: who runs a proxy, and stale routes. */
    private final ComponentRoutes routes;
    private final Supplier<InternalComponentManager> managers;

    OpenfireComponentHost() {
        this(InternalComponentManager::getInstance, System::nanoTime);
    }

    /**
     * @param managers Openfire's internal component manager ({@link InternalComponentManager#getInstance()}), asked at each call
     * @param clock    {@link System#nanoTime()}, or a test's
     */
    OpenfireComponentHost(Supplier<InternalComponentManager> managers, LongSupplier clock) {
        this.managers = managers;
        this.routes = new ComponentRoutes(clock);
    }

    @Override
    public String domain() {
        return manager().getServerName();
    }

    /**
     * Asks the routing table, not the component registry: Openfire's own services (the
     * file-transfer proxy holds {@code proxy}) have a route without being registered components,
     * and {@code addComponent} would quietly share a subdomain with an existing component.
     */
    @Override
    public boolean isTaken(String subdomain) {
        InternalComponentManager manager = manager();
        return manager.hasComponent(new JID(null, subdomain + "." + manager.getServerName(), null));
    }

    /**
     * A member that has clustering on but has not joined (Openfire loads plugins seconds before
     * it joins) is {@link ClusterRole#JOINING}: it cannot know yet whether another member runs
     * the proxies.
     */
    @Override
    public ClusterRole clusterRole() {
        if (!ClusterManager.isClusteringEnabled()) {
            return ClusterRole.ALONE;
        }
        if (!ClusterManager.isClusteringStarted()) {
            return ClusterRole.JOINING;
        }
        return ClusterManager.isSeniorClusterMember() ? ClusterRole.SENIOR : ClusterRole.STANDBY;
    }

    @Override
    public List<String> runners(String subdomain) {
        return routes.runners(address(subdomain));
    }

    @Override
    public boolean clearStaleRegistration(String subdomain) {
        return routes.clearStale(address(subdomain));
    }

    /**
     * Only the senior of a started cluster keeps a journal: a single server pays nothing. Each
     * journal writes on a thread of its own, so that a slow cluster delays no other work, and
     * takes over what the previous senior left there before the proxy's address routes to it.
     */
    @Override
    public void attachJournal(String subdomain, ClientProxy proxy) {
        if (clusterRole() != ClusterRole.SENIOR) {
            return;
        }
        ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "clientproxy-journal-" + subdomain);
            thread.setDaemon(true);
            return thread;
        });
        RoutingTable routes = XMPPServer.getInstance().getRoutingTable();
        String domain = domain();
        ClusteredRequestJournal journal = new ClusteredRequestJournal(subdomain, journalCache(), System::currentTimeMillis,
                writer, requester -> isLocalClient(requester, domain, routes));
        proxy.setJournal(journal);
        journals.put(subdomain, new Attached(journal, writer));
        int adopted = onWriter(writer, () -> journal.adoptInto(proxy));
        if (adopted > 0) {
            LOG.info("Client proxy {} took over {} outstanding requests of the member that ran it before", subdomain, adopted);
        }
    }

    /**
     * The journal's cache, its size and lifetime set by the plugin before Openfire creates it
     * (the Hazelcast plugin turns them into the map's configuration, once per cluster): never an
     * outstanding request dropped because of the operator's cache settings or Openfire's default
     * (256 KiB, 6 hours). No size limit; entries live {@link #JOURNAL_LIFETIME} after their last
     * write, longer than any request may wait, so that what a failover left behind goes away.
     */
    static Cache<String, Object> journalCache() {
        CacheFactory.setMaxSizeProperty(JOURNAL_CACHE, -1);
        CacheFactory.setMaxLifetimeProperty(JOURNAL_CACHE, JOURNAL_LIFETIME.toMillis());
        return CacheFactory.createCache(JOURNAL_CACHE);
    }

    /**
     * Whether a requester is a client connected to this member: its session ends with this
     * member, so nobody would be left to take the answers the journal keeps for a failover.
     */
    static boolean isLocalClient(String requester, String domain, RoutingTable routes) {
        JID jid = new JID(requester, true); // canonical already
        return jid.getNode() != null && jid.getResource() != null && domain.equals(jid.getDomain())
                && routes.isLocalRoute(jid);
    }

    private static <T> T onWriter(ExecutorService writer, Callable<T> task) {
        try {
            return writer.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while taking over outstanding requests", e);
        }
    }

    /** The writes already queued (the removals of the requests the stop answered) still run. */
    @Override
    public void detachJournal(String subdomain) {
        Attached attached = journals.remove(subdomain);
        if (attached != null) {
            attached.writer().shutdown();
        }
    }

    /** Waits at most twice {@link ClusteredRequestJournal#WRITE_PATIENCE}: a sick cluster must not hold the unload up. */
    @Override
    public void drainJournal(String subdomain) {
        Attached attached = journals.remove(subdomain);
        if (attached == null) {
            return;
        }
        attached.writer().shutdown();
        try {
            if (!attached.writer().awaitTermination(2 * ClusteredRequestJournal.WRITE_PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS)) {
                attached.journal().sendWhatWaitsTooLong();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attached.journal().sendWhatWaitsTooLong();
        }
    }

    @Override
    public void sweepJournals() {
        for (Map.Entry<String, Attached> journal : journals.entrySet()) {
            try {
                journal.getValue().journal().sendWhatWaitsTooLong();
            } catch (RuntimeException e) {
                LOG.warn("Could not forward the requests of client proxy {} that wait for the cluster", journal.getKey(), e);
            }
        }
    }

    /**
     * Initializes the component before Openfire does: {@code addComponent} routes the address to
     * it before it calls {@code initialize}, so a stanza can reach it in between (seen at a failover).
     */
    @Override
    public void register(String subdomain, Component component) throws ComponentException {
        InternalComponentManager manager = manager();
        component.initialize(new JID(null, address(subdomain), null), manager);
        manager.addComponent(subdomain, component);
    }

    /**
     * Openfire 5.1.1 shuts the component down only when it was the last at its subdomain (another
     * may share it: {@code addComponent} shares quietly) and throws a NullPointerException for a
     * subdomain that has none: either way the component ends here, answering what it holds.
     */
    @Override
    public void unregister(String subdomain, Component component) {
        try {
            manager().removeComponent(subdomain, component);
        } finally {
            component.shutdown();
        }
    }

    /** Openfire shuts a removed component down only when it was the last at its subdomain, which it is not here. */
    @Override
    public void handOverAddress(String subdomain, Component component) {
        manager().removeComponent(subdomain, component);
    }

    private record Attached(ClusteredRequestJournal journal, ExecutorService writer) {
    }

    private String address(String subdomain) {
        return subdomain + "." + manager().getServerName();
    }

    private InternalComponentManager manager() {
        InternalComponentManager manager = managers.get();
        if (manager == null) {
            throw new IllegalStateException("Openfire's internal component manager is not running");
        }
        return manager;
    }
}
