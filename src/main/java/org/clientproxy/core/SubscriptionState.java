package org.clientproxy.core;

/** Where the proxy stands with its subscription to the implementing client's presence. */
public enum SubscriptionState {
    /** Nothing asked yet (the proxy has not started). */
    NONE,
    /** A subscription request was sent; the implementing client has not approved it yet. */
    PENDING,
    /** The implementing client shares its presence with the proxy. */
    GRANTED,
    /** The implementing client refused or cancelled the subscription: no resource is known. */
    REVOKED
}
