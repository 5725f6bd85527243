package org.clientproxy.core;

/**
 * How the proxy gets the implementing client's presence, and where that stands. A target whose
 * roster the host writes ({@link RosterHost}) goes through the {@code ROSTER_*}, account states;
 * any other target through the subscription request's.
 */
public enum SubscriptionState {
    /** Nothing asked yet (the proxy has not started, or its host has not written the roster yet). */
    NONE,
    /** A subscription request was sent; the implementing client has not approved it yet. */
    PENDING,
    /** The implementing client shares its presence with the proxy. */
    GRANTED,
    /** The implementing client refused or cancelled the subscription: no resource is known. */
    REVOKED,
    /** The host keeps the target's roster, but the target's account does not exist (yet). */
    AWAITING_ACCOUNT,
    /** The host wrote the roster item that shares the target's presence with the proxy. */
    ROSTER_WRITTEN,
    /** The target's roster already shared its presence with the proxy (an item made earlier or by hand). */
    ROSTER_FOUND,
    /**
     * The target's account removed the roster item or cancelled the subscription; the host writes
     * it again only when the operator asks. No resource is known.
     */
    REVOKED_BY_ACCOUNT;

    /** Whether this is a state of a target whose roster the host writes. */
    public boolean viaRoster() {
        return this == AWAITING_ACCOUNT || this == ROSTER_WRITTEN || this == ROSTER_FOUND || this == REVOKED_BY_ACCOUNT;
    }
}
