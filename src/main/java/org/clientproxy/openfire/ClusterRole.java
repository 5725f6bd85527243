package org.clientproxy.openfire;

/**
 * This server's place in its cluster, as far as the proxies go: exactly one member runs them, so
 * that a reply of the implementing client always reaches the instance that forwarded the request
 * (Openfire routes a component's stanzas to the instance on the local member first).
 */
enum ClusterRole {
    /** Clustering is off: this server runs its proxies. */
    ALONE(true),
    /**
     * Clustering is on but this member has not joined the cluster (yet). Openfire loads plugins
     * seconds before the member joins, and another member may already run the proxies: it runs
     * none until it knows its role.
     */
    JOINING(false),
    /** The senior member of the cluster: it runs the proxies. */
    SENIOR(true),
    /** Another member, the senior, runs the proxies. */
    STANDBY(false);

    private final boolean runsProxies;

    ClusterRole(boolean runsProxies) {
        this.runsProxies = runsProxies;
    }

    /** Whether a member in this role runs the proxies. */
    boolean runsProxies() {
        return runsProxies;
    }
}
