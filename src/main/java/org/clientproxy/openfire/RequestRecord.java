package org.clientproxy.openfire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.clientproxy.core.ClientProxy;
import org.xmpp.packet.JID;

/**
 * An outstanding request as one instance of a proxy leaves it for the next to
 * {@link ClientProxy#adopt}: in the cluster's journal ({@link ClusteredRequestJournal}) for the
 * member that takes over after a failover, and in a plugin upgrade's hand-over
 * ({@link ProxyHandover}) for the next instance on this member.
 *
 * <p>Both keep requests as a {@code String[]} of five fields each ({@link #encode}): plain JDK
 * types, which every member, every plugin class loader and every version read. Version 1.1.1's
 * journal wrote one request per entry instead, the key {@code <subdomain>\n<requester>\n<id>} and
 * the text {@code <service>\n<resource>\n<deadline>}; {@link #decode} still reads those, so that
 * requests survive a failover to a member running this version.
 *
 * @param requester      the requester's full JID, canonical, as the translated address carries it
 * @param service        the address the request was sent to, where its answer must come from
 * @param resource       the target's resource it went to, the only one that may answer it
 * @param deadlineMillis when it times out, epoch milliseconds (the same on every member)
 */
record RequestRecord(String requester, String id, JID service, JID resource, long deadlineMillis) {
    private static final int FIELDS = 5;

    /** The fields of {@code requests}, five each. */
    static String[] encode(List<RequestRecord> requests) {
        String[] fields = new String[requests.size() * FIELDS];
        int i = 0;
        for (RequestRecord request : requests) {
            fields[i++] = request.requester;
            fields[i++] = request.id;
            fields[i++] = request.service.toString();
            fields[i++] = request.resource.toString();
            fields[i++] = Long.toString(request.deadlineMillis);
        }
        return fields;
    }

    /**
     * The requests of a stored value: {@link #encode}'s fields, or version 1.1.1's journal entry
     * whose key starts with {@code prefix}.
     *
     * @throws IllegalArgumentException if it is neither, or a JID or deadline in it does not parse
     */
    static List<RequestRecord> decode(String prefix, String key, Object value) {
        if (value instanceof String[] fields && fields.length > 0) {
            return decode(fields);
        }
        if (value instanceof String text && key.startsWith(prefix)) {
            String[] request = key.substring(prefix.length()).split("\n", 2);
            String[] fields = text.split("\n", 3);
            if (request.length == 2 && fields.length == 3) {
                return List.of(new RequestRecord(request[0], request[1], new JID(fields[0]), new JID(fields[1]),
                        Long.parseLong(fields[2])));
            }
        }
        throw new IllegalArgumentException("not a requester, id, service, resource and deadline");
    }

    /**
     * The requests {@link #encode} wrote.
     *
     * @throws IllegalArgumentException if they are not five fields each, or a JID or deadline does not parse
     */
    static List<RequestRecord> decode(String[] fields) {
        if (fields.length % FIELDS != 0) {
            throw new IllegalArgumentException("not a requester, id, service, resource and deadline each");
        }
        List<RequestRecord> requests = new ArrayList<>(fields.length / FIELDS);
        for (int i = 0; i < fields.length; i += FIELDS) {
            requests.add(new RequestRecord(fields[i], fields[i + 1], new JID(fields[i + 2]), new JID(fields[i + 3]),
                    Long.parseLong(fields[i + 4])));
        }
        return requests;
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
}
