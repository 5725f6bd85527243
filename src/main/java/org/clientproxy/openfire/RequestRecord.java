package org.clientproxy.openfire;

import java.time.Duration;

import org.clientproxy.core.ClientProxy;
import org.xmpp.packet.JID;

/**
 * An outstanding request as text, the way one instance of the plugin leaves it for the next to
 * {@link ClientProxy#adopt} at an upgrade ({@link ProxyHandover}; the cluster's journal keeps its
 * own entries, {@link JournaledRequest}). The key is the subdomain, the requester's full JID and
 * the request's id; the value the address the request was sent to, the resource that holds it
 * and its deadline in epoch milliseconds.
 *
 * @param requester the requester's full JID, canonical, as the translated address carries it
 * @param service   the address the request was sent to, where its answer must come from
 * @param resource  the target's resource it went to, the only one that may answer it
 */
record RequestRecord(String requester, String id, JID service, JID resource, long deadlineMillis) {
    /** Neither a JID nor an id from a parser of XML can contain it. */
    private static final char SEPARATOR = '\n';

    /** What the keys of the subdomain's requests start with. */
    static String prefix(String subdomain) {
        return subdomain + SEPARATOR;
    }

    /** @param prefix {@link #prefix(String)} of the proxy's subdomain */
    static String key(String prefix, String requester, String id) {
        return prefix + requester + SEPARATOR + id;
    }

    /** A key on one line, for the log. */
    static String printable(String key) {
        return key.replace(SEPARATOR, ' ');
    }

    static String value(JID service, JID resource, long deadlineMillis) {
        return service.toString() + SEPARATOR + resource + SEPARATOR + deadlineMillis;
    }

    /**
     * Reads an entry whose key starts with {@code prefix}.
     *
     * @throws IllegalArgumentException when it is not a requester, id, service, resource and deadline
     */
    static RequestRecord read(String prefix, String key, String value) {
        String[] request = key.startsWith(prefix) ? key.substring(prefix.length()).split(String.valueOf(SEPARATOR), 2)
                : new String[0];
        String[] rest = value.split(String.valueOf(SEPARATOR), 3);
        if (request.length != 2 || rest.length != 3) {
            throw new IllegalArgumentException("not a requester, id, service, resource and deadline");
        }
        return new RequestRecord(request[0], request[1], new JID(rest[0]), new JID(rest[1]), Long.parseLong(rest[2]));
    }

    /**
     * Hands the request to {@code proxy}: it relays the late reply from {@link #resource} only,
     * or answers with its timeout at the deadline.
     *
     * @return whether it took it (not when the requester already waits there on that id)
     */
    boolean adoptInto(ClientProxy proxy, long nowMillis) {
        return proxy.adopt(requester, id, service, resource, Duration.ofMillis(Math.max(0, deadlineMillis - nowMillis)));
    }

    /** This text's key in the entries of {@code subdomain}. */
    String key(String subdomain) {
        return key(prefix(subdomain), requester, id);
    }

    String value() {
        return value(service, resource, deadlineMillis);
    }
}
