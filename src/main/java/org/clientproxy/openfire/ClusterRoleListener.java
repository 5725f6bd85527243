package org.clientproxy.openfire;

import org.jivesoftware.openfire.cluster.ClusterEventListener;
import org.jivesoftware.openfire.cluster.ClusterManager;

/**
 * Re-applies the configuration at every cluster event (this server joins or leaves a cluster or
 * becomes its senior member, another member joins or leaves), so that exactly one member runs
 * the proxies (see {@link ClusterRole}).
 * Called on Openfire's cluster threads: it only queues the reload.
 */
final class ClusterRoleListener implements ClusterEventListener {
    private final Runnable reload;

    /**
     * After Openfire's own listeners (RoutingTableImpl listens at 10, SessionManager at 15,
     * PresenceUpdateHandler at 20): when this one hears that a member left, Openfire has already
     * dropped that member's routes, so a reload sees the proxies' addresses as they now are.
     */
    static final int SEQUENCE = 100;

    ClusterRoleListener(Runnable reload) {
        this.reload = reload;
    }

    /**
     * Adds the listener at {@link #SEQUENCE}. {@code addListener(listener, sequence)} came with
     * Openfire 4.x after the 4.2.0 API this is compiled against; without it, the plain one.
     */
    static void register(ClusterEventListener listener) {
        try {
            ClusterManager.class.getMethod("addListener", ClusterEventListener.class, int.class)
                    .invoke(null, listener, SEQUENCE);
        } catch (NoSuchMethodException e) {
            ClusterManager.addListener(listener);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not listen to the cluster's events", e);
        }
    }

    @Override
    public void joinedCluster() {
        reload.run();
    }

    @Override
    public void leftCluster() {
        reload.run();
    }

    @Override
    public void markedAsSeniorClusterMember() {
        reload.run();
    }

    /** Another member joined: only a check, in case this member's role changed with it. */
    @Override
    public void joinedCluster(byte[] nodeID) {
        reload.run();
    }

    /**
     * Another member left. If it was the senior, markedAsSeniorClusterMember follows on one
     * member; the reload here lets every member re-check whether the proxies' addresses are free.
     */
    @Override
    public void leftCluster(byte[] nodeID) {
        reload.run();
    }
}
