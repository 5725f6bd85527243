package org.clientproxy.openfire;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.xmpp.packet.JID;

/**
 * Tells the running proxies when a requester's client session ends, so that its outstanding
 * requests are dropped at once ({@link ClientProxy#requesterGone}) instead of holding its caps
 * until their timeout, and a new session of the same full JID starts clean.
 *
 * <p>Openfire keeps one session per full JID, but the end of a replaced session may be reported
 * after its successor started (a login that takes over the address kicks the old session, whose
 * teardown comes later; OF-3318). So: a session that starts ends any earlier one of its address
 * (its requests are dropped before it can send one of its own); a session that ends drops the
 * requests only if no other session holds its address by then, and only those admitted before
 * that was checked. Called on Openfire's threads: it never blocks (the proxies' method is
 * lock-free), and does nothing for an address with nothing outstanding but one map look-up.
 *
 * <p>Only sessions of this server's clients, on this cluster member, are seen; a remote
 * requester's requests keep their timeout.
 */
final class RequesterSessions implements SessionEventListener {
    private final Supplier<List<ClientProxy>> proxies;
    private final Function<JID, ClientSession> routes;

    /** The running proxies of {@code registry}, and Openfire's routing table. */
    RequesterSessions(Supplier<List<ClientProxy>> proxies) {
        this(proxies, RequesterSessions::currentRoute);
    }

    /**
     * @param proxies the running proxies, asked at each event
     * @param routes  the session that holds a full JID's route now, {@code null} if none
     */
    RequesterSessions(Supplier<List<ClientProxy>> proxies, Function<JID, ClientSession> routes) {
        this.proxies = proxies;
        this.routes = routes;
    }

    @Override
    public void sessionCreated(Session session) {
        started(session);
    }

    @Override
    public void anonymousSessionCreated(Session session) {
        started(session);
    }

    @Override
    public void sessionDestroyed(Session session) {
        ended(session);
    }

    @Override
    public void anonymousSessionDestroyed(Session session) {
        ended(session);
    }

    @Override
    public void resourceBound(Session session) {
        // sessionCreated came first, with the same full JID.
    }

    private void started(Session session) {
        JID address = requester(session);
        if (address != null) {
            for (ClientProxy proxy : proxies.get()) {
                proxy.requesterGone(address);
            }
        }
    }

    private void ended(Session session) {
        JID address = requester(session);
        if (address == null) {
            return;
        }
        List<ClientProxy> running = proxies.get();
        // Read before the route: a newer session's requests come after it holds the route, so
        // any admitted by these readings belong to an older session.
        long[] checked = new long[running.size()];
        for (int i = 0; i < checked.length; i++) {
            checked[i] = running.get(i).nanoTime();
        }
        if (heldByAnother(session, address)) {
            return; // replaced: the successor's start dropped this session's requests
        }
        for (int i = 0; i < checked.length; i++) {
            running.get(i).requesterGone(address, checked[i]);
        }
    }

    private boolean heldByAnother(Session session, JID address) {
        ClientSession holder = routes.apply(address);
        return holder != null && holder != session && !Objects.equals(id(holder.getStreamID()), id(session.getStreamID()));
    }

    private static ClientSession currentRoute(JID address) {
        XMPPServer server = XMPPServer.getInstance();
        RoutingTable table = server == null ? null : server.getRoutingTable();
        return table == null ? null : table.getClientRoute(address);
    }

    private static String id(StreamID stream) {
        return stream == null ? null : stream.getID();
    }

    /** The session's full JID, or {@code null} before a resource is bound. */
    private static JID requester(Session session) {
        JID address = session.getAddress();
        return address == null || address.getNode() == null || address.getResource() == null ? null : address;
    }
}
