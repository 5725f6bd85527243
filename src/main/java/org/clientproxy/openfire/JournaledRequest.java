package org.clientproxy.openfire;

import java.util.ArrayList;
import java.util.List;

/**
 * One outstanding request as the cluster journal keeps it, and how entries of the shared map
 * are written and read: plain JDK types only, so that every member, and every version of the
 * plugin, reads them with Openfire's class loader.
 *
 * <p>An entry holds a batch: a {@code String[]} of five fields per request (requester, id,
 * service, resource, deadline in epoch milliseconds). Version 1.1.1 wrote one request per entry:
 * the key {@code <subdomain>\n<requester>\n<id>} and the text {@code <service>\n<resource>\n<deadline>};
 * those are still read, so that requests survive a failover to a member running this version.
 *
 * @param requester      the requester's full JID, canonical
 * @param id             the request's id
 * @param service        the address the request was sent to, where its answer must come from
 * @param resource       the resource it went to, the only one that may answer it
 * @param deadlineMillis when it times out, epoch milliseconds (the same on every member)
 */
record JournaledRequest(String requester, String id, String service, String resource, long deadlineMillis) {
    private static final int FIELDS = 5;

    /** The value of an entry that holds {@code requests}. */
    static String[] encode(List<JournaledRequest> requests) {
        String[] fields = new String[requests.size() * FIELDS];
        int i = 0;
        for (JournaledRequest request : requests) {
            fields[i++] = request.requester;
            fields[i++] = request.id;
            fields[i++] = request.service;
            fields[i++] = request.resource;
            fields[i++] = Long.toString(request.deadlineMillis);
        }
        return fields;
    }

    /**
     * The requests of an entry of the proxy whose keys start with {@code prefix}.
     *
     * @throws IllegalArgumentException if it is not an entry this plugin writes
     */
    static List<JournaledRequest> decode(String prefix, String key, Object value) {
        if (value instanceof String[] fields && fields.length > 0 && fields.length % FIELDS == 0) {
            List<JournaledRequest> requests = new ArrayList<>(fields.length / FIELDS);
            for (int i = 0; i < fields.length; i += FIELDS) {
                requests.add(new JournaledRequest(fields[i], fields[i + 1], fields[i + 2], fields[i + 3],
                        Long.parseLong(fields[i + 4])));
            }
            return requests;
        }
        if (value instanceof String text) {
            String[] request = key.substring(prefix.length()).split("\n", 2);
            String[] fields = text.split("\n", 3);
            if (request.length == 2 && fields.length == 3) {
                return List.of(new JournaledRequest(request[0], request[1], fields[0], fields[1], Long.parseLong(fields[2])));
            }
        }
        throw new IllegalArgumentException("not a requester, id, service, resource and deadline");
    }
}
