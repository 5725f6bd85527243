package org.clientproxy.core;

import java.time.Instant;

import org.xmpp.packet.JID;

/**
 * A host that keeps the rosters of some targets (the accounts of its own server) and shares their
 * presence with the proxy by writing a roster item with subscription {@code from} on the server
 * side, so that the implementing client has nothing to approve. The proxy sends such a target no
 * subscription request and learns its state from the host ({@link ClientProxy#rosterGranted} and
 * the like); every other target is asked with a subscription request (RFC 6121 3.1).
 *
 * <p>{@link #renew} and {@link #revoked} may be called on the server's threads: they must only
 * queue their work and return.
 */
public interface RosterHost {

    /** A host that writes no roster: every target gets a subscription request. */
    RosterHost NONE = new None();

    /** Writes no roster; a host that adds duties of its own extends it. */
    class None implements RosterHost {
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
    }

    /** Whether the host writes this target's roster item for the proxy (an account of its own server). */
    boolean writesRosterOf(JID target);

    /** The operator asked for the target's presence again: write the roster item again, even if the account revoked it. */
    void renew(ClientProxy proxy);

    /** The target's account removed the item or cancelled the subscription at {@code at}; remember it. */
    void revoked(ClientProxy proxy, JID target, Instant at);
}
