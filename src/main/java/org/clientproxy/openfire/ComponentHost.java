package org.clientproxy.openfire;

import java.util.List;

import org.clientproxy.core.ClientProxy;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;

/**
 * Where proxies are registered as components. In Openfire this is its internal component
 * manager ({@link OpenfireComponentHost}); the seam keeps the registry testable off the server.
 */
interface ComponentHost {

    /** The XMPP domain the components' addresses end with. */
    String domain();

    /** This server's place in its cluster: whether it may run the proxies now. */
    ClusterRole clusterRole();

    /**
     * The live members that have a component registered at {@code <subdomain>.<domain>}, as the
     * server's routing sees them (the same on every member): each as its host name and, in a
     * cluster, its node ID. Empty when none has.
     */
    List<String> runners(String subdomain);

    /**
     * Clears a registration of {@code <subdomain>.<domain>} that no live component backs: a route
     * left behind by a member that is gone, or by this member without a local instance.
     *
     * @return whether there was such a registration (the address may then be free)
     */
    boolean clearStaleRegistration(String subdomain);

    /** Whether something (a component, or a service such as the file-transfer proxy) already answers at {@code <subdomain>.<domain>}. */
    boolean isTaken(String subdomain);

    /** Registers the component at {@code <subdomain>.<domain>}; the host initializes and starts it. */
    void register(String subdomain, Component component) throws ComponentException;

    /** Unregisters this component (only this one) from the subdomain; the host shuts it down. */
    void unregister(String subdomain, Component component);

    /**
     * Unregisters this component from the subdomain without shutting it down: another component
     * registered there takes the address's stanzas (a proxy handing its work to the plugin's next
     * instance must not answer everything as a shutdown does).
     */
    void handOverAddress(String subdomain, Component component);

    /**
     * A proxy is about to be registered here: in a cluster, it takes over the requests another
     * member's instance left outstanding, and journals its own with the members from now on.
     */
    default void attachJournal(String subdomain, ClientProxy proxy) {
    }

    /**
     * The proxy stopped here (its outstanding requests answered), or never registered: the writes
     * already queued still run, then its journal's thread ends.
     */
    default void detachJournal(String subdomain) {
    }

    /**
     * Like {@link #detachJournal}, for a proxy that hands its requests over to the next instance
     * of the plugin: waits (briefly) until the writes already queued have run, and sends what
     * still waits for the cluster, so that every request the proxy holds has gone out.
     */
    default void drainJournal(String subdomain) {
        detachJournal(subdomain);
    }

    /**
     * Forwards the requests whose journal write the cluster has not taken in time (see
     * {@link ClusteredRequestJournal#sendWhatWaitsTooLong()}); on the plugin's worker, every sweep.
     */
    default void sweepJournals() {
    }
}
