package org.clientproxy.openfire;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.openfire.cluster.NodeID;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * Openfire's routes to the proxies' addresses as the cluster shares them: which members run a
 * proxy (the same answer on every member), and clearing a route that outlived its member. Used
 * only on the plugin's worker thread.
 */
final class ComponentRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentRoutes.class);
    /**
     * Openfire's routes to components: address to the members that host a component there
     * ({@code RoutingTableImpl.COMPONENT_CACHE_NAME}), clustered when clustering runs.
     */
    static final String ROUTES_CACHE = "Routing Components Cache";
    /** The component manager's own record of the same: address (a JID) to members ({@code InternalComponentManager.COMPONENT_CACHE_NAME}). */
    static final String COMPONENTS_CACHE = "Components";
    /**
     * How long a holder must have been seen gone before its route is cleared. Openfire drops a
     * departed member's routes while it handles the member's departure; touching them during that
     * (seen: a ConcurrentModificationException in RoutingTableImpl.leftCluster, which then skipped
     * the rest of its cleanup) is what this wait avoids. Clearing is for what Openfire left behind.
     */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** By address: when each absent holder was first seen absent (only the worker thread uses it). */
    private final Map<String, Map<NodeID, Long>> absentSince = new HashMap<>();
    private final LongSupplier clock;

    /** @param clock {@link System#nanoTime()}, or a test's */
    ComponentRoutes(LongSupplier clock) {
        this.clock = clock;
    }

    /** The live members that hold a route to {@code address}, named by host (and node ID in a cluster), sorted. */
    List<String> runners(String address) {
        Set<NodeID> holders = routes().get(address);
        if (holders == null) {
            return List.of();
        }
        Map<NodeID, String> live = liveMembers();
        List<String> runners = new ArrayList<>();
        for (NodeID holder : holders) {
            String name = live.get(holder);
            if (name != null) {
                runners.add(name);
            }
        }
        runners.sort(null);
        return runners;
    }

    /**
     * Openfire drops a member's routes when it leaves the cluster, but a route can outlive its
     * member (issue 11: after a failover the new senior found its proxy's address taken, for good).
     * A holder is stale when it has not been a live member for {@link #GRACE_NANOS} (so it is seen
     * on two checks), or when it is this member and no component of this member is there.
     */
    boolean clearStale(String address) {
        NodeID self = LocalMember.nodeID();
        Set<NodeID> live = liveMembers().keySet();
        boolean localInstance = LocalMember.hostsComponent(new JID(address));
        long now = clock.getAsLong();
        Map<NodeID, Long> since = absentSince.computeIfAbsent(address, a -> new HashMap<>());
        since.keySet().retainAll(absentHolders(address, live));
        Predicate<NodeID> stale = holder -> holder.equals(self) ? !localInstance
                : !live.contains(holder) && now - since.computeIfAbsent(holder, h -> now) >= GRACE_NANOS;
        Set<NodeID> cleared = dropHolders(routes(), address, stale);
        dropHolders(CacheFactory.<Cache<JID, HashSet<NodeID>>>createCache(COMPONENTS_CACHE), new JID(address), stale);
        if (cleared.isEmpty()) {
            return false;
        }
        LOG.warn("Cleared the stale registration of {} left by {} (members that are gone, or this member without"
                + " a component there)", address, cleared.stream().map(ComponentRoutes::text).sorted().toList());
        return true;
    }

    /** The holders of the address that are not live members (this member is always live). */
    private Set<NodeID> absentHolders(String address, Set<NodeID> live) {
        Set<NodeID> holders = routes().get(address);
        Set<NodeID> absent = new HashSet<>();
        if (holders != null) {
            for (NodeID holder : holders) {
                if (!live.contains(holder)) {
                    absent.add(holder);
                }
            }
        }
        return absent;
    }

    private static Cache<String, HashSet<NodeID>> routes() {
        return CacheFactory.createCache(ROUTES_CACHE);
    }

    /** Removes the matching holders of the key, as Openfire does: under the cache's lock for that key. */
    private static <K> Set<NodeID> dropHolders(Cache<K, HashSet<NodeID>> cache, K key, Predicate<NodeID> drop) {
        Lock lock = lockOf(cache, key);
        lock.lock();
        try {
            HashSet<NodeID> holders = cache.get(key);
            if (holders == null) {
                return Set.of();
            }
            Set<NodeID> dropped = new HashSet<>();
            HashSet<NodeID> kept = new HashSet<>();
            for (NodeID holder : holders) {
                (drop.test(holder) ? dropped : kept).add(holder);
            }
            if (dropped.isEmpty()) {
                return dropped;
            }
            if (kept.isEmpty()) {
                cache.remove(key);
            } else {
                cache.put(key, kept);
            }
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The cluster-wide lock of a cache entry: {@code Cache.getLock(key)} on Openfire 5, which the
     * 4.2.0 API this is compiled against lacks ({@code CacheFactory.getLock(key, cache)} there).
     */
    private static Lock lockOf(Cache<?, ?> cache, Object key) {
        try {
            // Declared as getLock(K) with K extends Serializable: look it up by name, not erasure.
            for (Method method : Cache.class.getMethods()) {
                if (method.getName().equals("getLock") && method.getParameterCount() == 1) {
                    return (Lock) method.invoke(cache, key);
                }
            }
            for (Method method : CacheFactory.class.getMethods()) {
                if (method.getName().equals("getLock") && method.getParameterCount() == 2) {
                    return (Lock) method.invoke(null, key, cache);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not get the lock of a cache entry", e);
        }
        throw new IllegalStateException("This Openfire offers no lock of a cache entry");
    }

    /** Every live member by node ID, named by host name and, in a cluster, node ID. */
    private static Map<NodeID, String> liveMembers() {
        Map<NodeID, String> members = new HashMap<>();
        if (ClusterManager.isClusteringStarted()) {
            for (ClusterNodeInfo member : ClusterManager.getNodesInfo()) {
                members.put(member.getNodeID(), member.getHostName() + " (" + text(member.getNodeID()) + ")");
            }
        }
        members.putIfAbsent(LocalMember.nodeID(), LocalMember.hostName());
        return members;
    }

    /** Openfire 5's node IDs are UTF-8 text (a UUID); {@code NodeID.toString} differs between versions. */
    private static String text(NodeID id) {
        return new String(id.toByteArray(), StandardCharsets.UTF_8);
    }
}
