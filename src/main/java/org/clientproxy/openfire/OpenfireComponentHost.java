package org.clientproxy.openfire;

import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.JID;

/**
 * Openfire's internal component manager as a {@link ComponentHost}. It looks the manager up at
 * each call, so it never keeps a manager from an earlier server start.
 */
final class OpenfireComponentHost implements ComponentHost {

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

    /** The senior member runs the proxies; a member that is not clustered runs its own. */
    @Override
    public boolean isClusterStandby() {
        return ClusterManager.isClusteringStarted() && !ClusterManager.isSeniorClusterMember();
    }

    @Override
    public void register(String subdomain, Component component) throws ComponentException {
        manager().addComponent(subdomain, component);
    }

    @Override
    public void unregister(String subdomain, Component component) {
        manager().removeComponent(subdomain, component);
    }

    private static InternalComponentManager manager() {
        InternalComponentManager manager = InternalComponentManager.getInstance();
        if (manager == null) {
            throw new IllegalStateException("Openfire's internal component manager is not running");
        }
        return manager;
    }
}
