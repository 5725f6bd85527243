package org.clientproxy.openfire;

import org.jivesoftware.openfire.cluster.ClusterEventListener;

/**
 * Re-applies the configuration at every cluster event (this server joins or leaves a cluster or
 * becomes its senior member, another member joins or leaves), so that exactly one member runs
 * the proxies (see {@link ClusterRole}).
 * Called on Openfire's cluster threads: it only queues the reload.
 */
final class ClusterRoleListener implements ClusterEventListener {
    private final Runnable reload;

    ClusterRoleListener(Runnable reload) {
        this.reload = reload;
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
