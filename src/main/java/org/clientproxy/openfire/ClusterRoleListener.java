package org.clientproxy.openfire;

import org.jivesoftware.openfire.cluster.ClusterEventListener;

/**
 * Re-applies the configuration when this server joins or leaves a cluster or becomes its senior
 * member, so that exactly one member runs the proxies (see {@link ComponentHost#isClusterStandby()}).
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

    @Override
    public void joinedCluster(byte[] nodeID) {
        // Another member joined: this member's role is unchanged.
    }

    @Override
    public void leftCluster(byte[] nodeID) {
        // Another member left: if it was the senior, markedAsSeniorClusterMember follows here.
    }
}
