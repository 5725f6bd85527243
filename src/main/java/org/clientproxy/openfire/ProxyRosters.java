package org.clientproxy.openfire;

import java.util.Collection;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.RosterHost;

/**
 * What the {@link ProxyRegistry} asks of the roster work ({@link RosterGrants} in Openfire) as
 * proxies start, change and go; both methods run on the plugin's worker thread.
 */
interface ProxyRosters extends RosterHost {

    /** Writes no roster: every target gets a subscription request. */
    ProxyRosters NONE = new None();

    /** Writes no roster and has nothing to take back. */
    final class None extends RosterHost.None implements ProxyRosters {
        @Override
        public void attach(String subdomain, ClientProxy proxy, boolean operatorAsked) {
        }

        @Override
        public void reconcile(Collection<ConfiguredProxy> states) {
        }
    }

    /**
     * The proxy runs (it started, or its settings changed): gives it its target's presence, and
     * takes back what it wrote for a previous target. {@code operatorAsked} (a saved change, a
     * re-send) writes the item again even when the account had revoked it.
     */
    void attach(String subdomain, ClientProxy proxy, boolean operatorAsked);

    /** Takes back what proxies no longer configured, or configured for another target, wrote. */
    void reconcile(Collection<ConfiguredProxy> states);
}
