package org.clientproxy.openfire;

import java.time.Instant;
import java.util.Collection;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.RosterHost;
import org.xmpp.packet.JID;

/**
 * What the {@link ProxyRegistry} asks of the roster work ({@link RosterGrants} in Openfire) as
 * proxies start, change and go; both methods run on the plugin's worker thread.
 */
interface ProxyRosters extends RosterHost {

    /** Writes no roster: every target gets a subscription request. */
    ProxyRosters NONE = new ProxyRosters() {
        @Override
        public boolean writesRosterOf(JID target) {
            return false;
        }

        @Override
        public void renew(ClientProxy proxy) {
        }

        @Override
        public void revoked(ClientProxy proxy, JID target, Instant at) {
        }

        @Override
        public void attach(String subdomain, ClientProxy proxy, boolean operatorAsked) {
        }

        @Override
        public void reconcile(Collection<ProxyState> states) {
        }
    };

    /**
     * The proxy runs (it started, or its settings changed): gives it its target's presence, and
     * takes back what it wrote for a previous target. {@code operatorAsked} (a saved change, a
     * re-send) writes the item again even when the account had revoked it.
     */
    void attach(String subdomain, ClientProxy proxy, boolean operatorAsked);

    /** Takes back what proxies no longer configured, or configured for another target, wrote. */
    void reconcile(Collection<ProxyState> states);
}
