package org.clientproxy.core;

import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * A forwarded request waiting for its reply. Immutable: a retry replaces it with a new one, so
 * that whoever removes or replaces it in {@link OutstandingRequests} first owns its answer.
 */
final class PendingRequest {
    final String requester;
    final String id;
    /** The requester's full JID: where the answer goes. */
    final JID requesterAddress;
    /** The address the request was sent to: where the answer comes from. */
    final JID serviceAddress;
    /** The copy sent to the implementing client, kept for a {@code get} only, to re-send it once. */
    final IQ forwarded;
    final OnlineResources.Resource resource;
    final long startNanos;
    final long deadlineNanos;
    final boolean retried;

    PendingRequest(String requester, String id, JID requesterAddress, JID serviceAddress, IQ forwarded,
                   OnlineResources.Resource resource, long startNanos, long deadlineNanos, boolean retried) {
        this.requester = requester;
        this.id = id;
        this.requesterAddress = requesterAddress;
        this.serviceAddress = serviceAddress;
        this.forwarded = forwarded;
        this.resource = resource;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.retried = retried;
    }

    /** Whether this request may be re-sent to another resource when its resource goes away. */
    boolean canRetry() {
        return forwarded != null && !retried;
    }

    /** The same request, now held by {@code next}; it keeps its deadline. */
    PendingRequest retriedOn(OnlineResources.Resource next) {
        return new PendingRequest(requester, id, requesterAddress, serviceAddress, forwarded, next,
                startNanos, deadlineNanos, true);
    }
}
