package org.clientproxy.core;

import org.dom4j.Attribute;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * A forwarded request waiting for its reply. Immutable: a retry replaces it with a new one, so
 * that whoever removes or replaces it in {@link OutstandingRequests} first owns its answer.
 */
sealed class PendingRequest {
    /** dom4j's DocumentFactory.getInstance() is a static synchronized method: a global lock; ask it once. */
    private static final DocumentFactory DOCUMENTS = DocumentFactory.getInstance();

    /**
     * The requester's full JID in canonical form, as the translated address carries it and the
     * reply names it: the key it is filed under, and where the answer goes (see {@link #requesterAddress()}).
     */
    final String requester;
    final String id;
    /** The address the request was sent to: where the answer comes from; usually the service's own, shared. */
    final JID serviceAddress;
    /**
     * For a {@code get} that may still be re-sent: a detached copy of the request without its
     * {@code to}, {@code from}, {@code type} and {@code id} (see {@link #forRetry}); {@code null}
     * for a {@code set} and once re-sent. Not the whole forwarded copy: with its document, its
     * addresses and their strings that would hold about twice the memory, for the rare retry.
     */
    final Element retry;
    final OnlineResources.Resource resource;
    final long startNanos;
    final long deadlineNanos;

    PendingRequest(String requester, String id, JID serviceAddress, Element retry,
                   OnlineResources.Resource resource, long startNanos, long deadlineNanos) {
        this.requester = requester;
        this.id = id;
        this.serviceAddress = serviceAddress;
        this.retry = retry;
        this.resource = resource;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * What a retry of {@code request} needs besides its addresses, type and id, which the pending
     * request knows: a detached copy of the stanza's other attributes and all its content.
     */
    static Element forRetry(IQ request) {
        Element stanza = request.getElement();
        Element kept = DOCUMENTS.createElement(stanza.getQName());
        for (int i = 0, count = stanza.attributeCount(); i < count; i++) {
            Attribute attribute = stanza.attribute(i);
            boolean known = attribute.getNamespaceURI().isEmpty() && switch (attribute.getName()) {
                case "to", "from", "type", "id" -> true;
                default -> false;
            };
            if (!known) {
                kept.addAttribute(attribute.getQName(), attribute.getValue());
            }
        }
        kept.appendContent(stanza);
        return kept;
    }

    /**
     * The requester's JID, made when the answer goes out rather than kept: a JID and its three part
     * strings per request would cost more memory than the rest of a pending request. The string is
     * a canonical full JID (the resource of the translated address), so it reads back as that JID.
     */
    JID requesterAddress() {
        return new JID(requester, true);
    }

    /** Whether this request may be re-sent to another resource when its resource goes away. */
    boolean canRetry() {
        return retry != null;
    }

    /** The request once more, as it was forwarded, but from {@code from} to {@code to}. */
    IQ retryCopy(JID from, JID to) {
        Element stanza = retry.createCopy();
        DOCUMENTS.createDocument().add(stanza);
        IQ copy = new IQ(stanza);
        copy.setType(IQ.Type.get);
        copy.setID(id);
        copy.setFrom(from);
        copy.setTo(to);
        return copy;
    }

    /**
     * The same request, now held by {@code next}, to which it is re-sent at {@code nowNanos}; it
     * keeps its deadline and is not re-sent again.
     */
    PendingRequest retriedOn(OnlineResources.Resource next, long nowNanos) {
        return new Resent(this, next, null, nowNanos);
    }

    /**
     * Like {@link #retriedOn}, but the resource it leaves, slow or frozen for a while and still
     * online, may answer first: the first reply is relayed, the other dropped.
     */
    PendingRequest retriedBeside(OnlineResources.Resource next, long nowNanos) {
        return new Resent(this, next, resource, nowNanos);
    }

    /** When this request was sent to {@link #resource}. */
    long sentNanos() {
        return startNanos;
    }

    /** The resource that may answer when the reply comes from {@code from}, or {@code null} if none may. */
    OnlineResources.Resource answerableBy(String from) {
        if (resource.addressString.equals(from)) {
            return resource;
        }
        return this instanceof Resent resent && resent.previous != null && resent.previous.addressString.equals(from)
                ? resent.previous : null;
    }

    /**
     * A request re-sent to another resource. A subclass, so that the many requests never re-sent
     * do not carry these fields.
     */
    static final class Resent extends PendingRequest {
        /** The resource it was sent to before, when that one may still answer; otherwise {@code null}. */
        final OnlineResources.Resource previous;
        final long resentNanos;

        private Resent(PendingRequest original, OnlineResources.Resource next, OnlineResources.Resource previous,
                       long resentNanos) {
            super(original.requester, original.id, original.serviceAddress, null, next,
                    original.startNanos, original.deadlineNanos);
            this.previous = previous;
            this.resentNanos = resentNanos;
        }

        @Override
        long sentNanos() {
            return resentNanos;
        }
    }
}
