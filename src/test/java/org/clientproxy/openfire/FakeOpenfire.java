package org.clientproxy.openfire;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.PacketRouter;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.XMPPServerInfo;
import org.jivesoftware.openfire.roster.RosterEventListener;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.roster.RosterItemProvider;
import org.jivesoftware.openfire.roster.RosterManager;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Openfire's user, roster and session API as far as the plugin uses it, behaving as Openfire
 * 5.1.1's code does (tag v5.1.1): accounts, each account's roster ({@link FakeRoster}: items in
 * memory and rows in the roster item provider, which may hold duplicates), and its sessions.
 * Every change to a roster is logged in {@link #writes}, so that a test sees exactly what was
 * written (and that a reload writes nothing); every presence a roster routes is kept in
 * {@link #routed}; every roster event goes to {@link #rosterListeners}, as
 * {@code RosterEventDispatcher} would pass it. The server is a plain mock, not a static one: the
 * plugin's worker thread sees it too.
 */
final class FakeOpenfire {
    static final String DOMAIN = FakeComponentHost.DOMAIN;

    final XMPPServer server = mock(XMPPServer.class);
    final Set<String> accounts = ConcurrentHashMap.newKeySet();
    /** How often the user manager was asked for an account (a database or LDAP query when it does not exist). */
    final AtomicInteger userLookups = new AtomicInteger();
    /** Accounts whose look-up fails, as with a user provider out of reach. */
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    /** Each account's roster as the roster cache holds it: one object per account, as on a single server. */
    private final Map<String, FakeRoster> rosters = new ConcurrentHashMap<>();
    /** The roster item provider's table: every stored row, by row ID. */
    final Map<Long, Row> rows = new ConcurrentHashMap<>();
    private final AtomicLong nextRowId = new AtomicLong(100);
    final RosterItemProvider provider = new Provider();
    final Map<String, List<ClientSession>> sessions = new ConcurrentHashMap<>();
    /** "create|update|delete &lt;account&gt; &lt;contact&gt; &lt;subscription&gt;", in order; "deleteItem &lt;account&gt; &lt;row ID&gt;" for the provider. */
    final Queue<String> writes = new ConcurrentLinkedQueue<>();
    /** The presences the rosters routed (Openfire's packet router), in order. */
    final Queue<Presence> routed = new ConcurrentLinkedQueue<>();
    /** Told of every roster event, as RosterEventDispatcher's listeners are. */
    final List<RosterEventListener> rosterListeners = new CopyOnWriteArrayList<>();
    /** The records' system properties. */
    final Map<String, String> properties = new ConcurrentHashMap<>();

    /** A row of Openfire's ofRoster table: a copy, as stored at its last write. */
    record Row(long id, String username, String jid, RosterItem.SubType subscription, RosterItem.RecvType recv,
               String nickname) {
    }

    FakeOpenfire() {
        XMPPServerInfo info = mock(XMPPServerInfo.class);
        when(info.getXMPPDomain()).thenReturn(DOMAIN);
        when(server.getServerInfo()).thenReturn(info);
        RosterManager rosterManager = mock(RosterManager.class);
        when(server.getRosterManager()).thenReturn(rosterManager);
        UserManager userManager = mock(UserManager.class);
        when(server.getUserManager()).thenReturn(userManager);
        SessionManager sessionManager = mock(SessionManager.class);
        when(server.getSessionManager()).thenReturn(sessionManager);
        // What the plugin routes itself lands among the rosters' presences, so a test sees it too.
        PacketRouter router = mock(PacketRouter.class);
        doAnswer(call -> routed.add(call.getArgument(0))).when(router).route(any(Presence.class));
        doAnswer(call -> {
            if (call.getArgument(0) instanceof Presence presence) {
                routed.add(presence);
            }
            return null;
        }).when(router).route(any(Packet.class));
        when(server.getPacketRouter()).thenReturn(router);
        try {
            when(userManager.getUser(anyString())).thenAnswer(call -> {
                String username = call.getArgument(0);
                userLookups.incrementAndGet();
                if (unreachable.contains(username)) {
                    throw new IllegalStateException("the directory is out of reach");
                }
                if (!accounts.contains(username)) {
                    throw new UserNotFoundException(username);
                }
                return user(username);
            });
            // As in Openfire 5: a roster is there for any name; the user manager says who exists.
            when(rosterManager.getRoster(anyString())).thenAnswer(call -> roster(call.getArgument(0)));
        } catch (UserNotFoundException e) {
            throw new AssertionError(e);
        }
        when(sessionManager.getSessions(anyString()))
                .thenAnswer(call -> List.copyOf(sessions.getOrDefault(call.<String>getArgument(0), List.of())));
    }

    static User user(String username) {
        User user = mock(User.class);
        when(user.getUsername()).thenReturn(username);
        return user;
    }

    RosterRecords.Store store() {
        return new RosterRecords.Store() {
            @Override
            public String get(String name) {
                return properties.get(name);
            }

            @Override
            public void set(String name, String value) {
                properties.put(name, value);
            }

            @Override
            public void delete(String name) {
                properties.remove(name);
            }

            @Override
            public List<String> children(String parent) {
                return properties.keySet().stream()
                        .filter(name -> name.startsWith(parent + ".") && name.indexOf('.', parent.length() + 1) < 0)
                        .toList();
            }
        };
    }

    /** The account's roster, as {@code RosterManager.getRoster} gives it (loaded from the rows the first time). */
    FakeRoster roster(String username) {
        return rosters.computeIfAbsent(username, name -> new FakeRoster(this, name));
    }

    /** Openfire restarts: every roster is loaded again from the provider's rows. */
    void restart() {
        rosters.clear();
    }

    /** The item for {@code contact} in {@code account}'s roster, or {@code null}. */
    RosterItem item(String account, String contact) {
        try {
            return roster(account).getRosterItem(new JID(contact));
        } catch (UserNotFoundException e) {
            return null;
        }
    }

    /** The subscription of that item ("none", "to", "from", "both"), or {@code null} without one. */
    String subscription(String account, String contact) {
        RosterItem item = item(account, contact);
        return item == null ? null : item.getSubStatus().getName();
    }

    /** The provider's rows for {@code contact} in {@code account}'s roster: more than one is a duplicate. */
    List<Row> stored(String account, String contact) {
        return rows.values().stream().filter(row -> row.username().equals(account) && row.jid().equals(contact)).toList();
    }

    /** An item the account made itself (by hand, or an earlier subscription): stored, then loaded with the roster. */
    void handMade(String account, String contact, RosterItem.SubType subscription, RosterItem.RecvType recv) {
        RosterItem item = new RosterItem(0, new JID(contact), subscription, RosterItem.ASK_NONE, recv, "by hand", null);
        insert(account, item);
        FakeRoster loaded = rosters.get(account);
        if (loaded != null) {
            loaded.loaded(item);
        }
    }

    /** The account's client removes the item with a roster set (RFC 6121 2.5): IQRosterHandler's removeItem. */
    void removedByClient(String account, String contact) {
        roster(account).deleteRosterItem(new JID(contact), true);
    }

    /** The account's client adds the contact with a roster set (RFC 6121 2.3): IQRosterHandler's manageRoster. */
    void addedByClient(String account, String contact) {
        FakeRoster roster = roster(account);
        org.xmpp.packet.Roster set = new org.xmpp.packet.Roster();
        org.xmpp.packet.Roster.Item item = set.addItem(new JID(contact), "added by the client", null,
                org.xmpp.packet.Roster.Subscription.none, List.of());
        try {
            if (roster.isRosterItem(item.getJID())) {
                RosterItem cached = roster.getRosterItem(item.getJID());
                cached.setAsCopyOf(item);
                roster.updateRosterItem(cached);
            } else {
                roster.createRosterItem(item);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The second half of that roster set: the client looked the contact up before the plugin's
     * item was there, and creates its own now.
     */
    void createdByClient(String account, String contact) {
        org.xmpp.packet.Roster set = new org.xmpp.packet.Roster();
        try {
            roster(account).createRosterItem(set.addItem(new JID(contact), "added by the client", null,
                    org.xmpp.packet.Roster.Subscription.none, List.of()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code action} as on another member of the cluster: its roster events are raised there, not here. */
    void elsewhere(Runnable action) {
        List<RosterEventListener> here = List.copyOf(rosterListeners);
        rosterListeners.clear();
        try {
            action.run();
        } finally {
            rosterListeners.addAll(here);
        }
    }

    void online(String account, String resource, boolean available) {
        ClientSession session = mock(ClientSession.class);
        when(session.getAddress()).thenReturn(new JID(account, DOMAIN, resource));
        when(session.getPresence()).thenReturn(available ? new Presence() : new Presence(Presence.Type.unavailable));
        sessions.computeIfAbsent(account, key -> new CopyOnWriteArrayList<>()).add(session);
    }

    /** The writes since the last call. */
    List<String> takeWrites() {
        List<String> taken = new ArrayList<>();
        for (String write; (write = writes.poll()) != null; ) {
            taken.add(write);
        }
        return taken;
    }

    /** The presences routed since the last call, as "type from to". */
    List<String> takeRouted() {
        List<String> taken = new ArrayList<>();
        for (Presence presence; (presence = routed.poll()) != null; ) {
            taken.add(presence.getType() + " " + presence.getFrom() + " " + presence.getTo());
        }
        return taken;
    }

    // ---- The roster item provider (DefaultRosterItemProvider's table, ofRoster) ----------------

    /** {@code createItem}: a new row with a new ID, whatever rows there are (ofRoster has no unique key on username and jid). */
    RosterItem insert(String username, RosterItem item) {
        item.setID(nextRowId.getAndIncrement());
        rows.put(item.getID(), row(username, item));
        return item;
    }

    private static Row row(String username, RosterItem item) {
        return new Row(item.getID(), username, item.getJid().toBareJID(), item.getSubStatus(), item.getRecvStatus(),
                item.getNickname());
    }

    private final class Provider implements RosterItemProvider {
        @Override
        public RosterItem createItem(String username, RosterItem item) {
            return insert(username, item);
        }

        /** Writes the row with the item's ID (none: nothing is written, as an UPDATE of no row). */
        @Override
        public void updateItem(String username, RosterItem item) {
            rows.computeIfPresent(item.getID(), (id, row) -> row(username, item));
        }

        @Override
        public void deleteItem(String username, long rosterItemID) {
            if (rows.remove(rosterItemID) != null) {
                writes.add("deleteItem " + username + " " + rosterItemID);
            }
        }

        @Override
        public Iterator<String> getUsernames(String jid) {
            return rows.values().stream().filter(row -> row.jid().equals(jid)).map(Row::username).distinct().iterator();
        }

        @Override
        public int getItemCount(String username) {
            return (int) rows.values().stream().filter(row -> row.username().equals(username)).count();
        }

        /** Fresh items read from the rows, in no particular order (the query has no ORDER BY). */
        @Override
        public Iterator<RosterItem> getItems(String username) {
            return rows.values().stream().filter(row -> row.username().equals(username))
                    .map(row -> new RosterItem(row.id(), new JID(row.jid()), row.subscription(), RosterItem.ASK_NONE,
                            row.recv(), row.nickname(), null))
                    .toList().iterator();
        }
    }
}
