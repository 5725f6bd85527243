package org.clientproxy.openfire;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.XMPPServerInfo;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.roster.RosterManager;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserAlreadyExistsException;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * Openfire's roster, user and session API as far as {@link RosterGrants} uses it, on Mockito mocks
 * backed by maps: accounts, each account's roster items, and its sessions. Every change to a
 * roster is logged in {@link #writes}, so that a test sees exactly what was written (and that a
 * reload writes nothing). Plain mocks, not static ones: the plugin's worker thread sees them too.
 */
final class FakeOpenfire {
    static final String DOMAIN = FakeComponentHost.DOMAIN;

    final XMPPServer server = mock(XMPPServer.class);
    final Set<String> accounts = ConcurrentHashMap.newKeySet();
    /** Roster items by account, then by the contact's bare JID. */
    final Map<String, Map<String, RosterItem>> rosters = new ConcurrentHashMap<>();
    final Map<String, List<ClientSession>> sessions = new ConcurrentHashMap<>();
    /** "create|update|delete <account> <contact> <subscription>", in order. */
    final Queue<String> writes = new ConcurrentLinkedQueue<>();
    /** The records' system properties. */
    final Map<String, String> properties = new ConcurrentHashMap<>();

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
        try {
            when(userManager.getUser(anyString())).thenAnswer(call -> {
                String username = call.getArgument(0);
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

    /** The item for {@code contact} in {@code account}'s roster, or {@code null}. */
    RosterItem item(String account, String contact) {
        return rosters.getOrDefault(account, Map.of()).get(contact);
    }

    /** The subscription of that item ("none", "to", "from", "both"), or {@code null} without one. */
    String subscription(String account, String contact) {
        RosterItem item = item(account, contact);
        return item == null ? null : item.getSubStatus().getName();
    }

    /** An item the account made itself (by hand, or an earlier subscription). */
    void handMade(String account, String contact, RosterItem.SubType subscription, RosterItem.RecvType recv) {
        rosters.computeIfAbsent(account, key -> new ConcurrentHashMap<>())
                .put(contact, new RosterItem(1, new JID(contact), subscription, RosterItem.ASK_NONE, recv, "by hand", null));
    }

    /** The account's client removes the item (the server then tells the contact: not simulated here). */
    void removedByClient(String account, String contact) {
        rosters.getOrDefault(account, Map.of()).remove(contact);
    }

    void online(String account, String resource, boolean available) {
        ClientSession session = mock(ClientSession.class);
        when(session.getAddress()).thenReturn(new JID(account, DOMAIN, resource));
        when(session.getPresence()).thenReturn(available ? new Presence() : new Presence(Presence.Type.unavailable));
        sessions.computeIfAbsent(account, key -> new CopyOnWriteArrayList<>()).add(session);
    }

    private Roster roster(String username) throws Exception {
        Map<String, RosterItem> items = rosters.computeIfAbsent(username, key -> new ConcurrentHashMap<>());
        Roster roster = mock(Roster.class);
        when(roster.getRosterItem(any(JID.class))).thenAnswer(call -> {
            RosterItem item = items.get(call.<JID>getArgument(0).toBareJID());
            if (item == null) {
                throw new UserNotFoundException();
            }
            return item;
        });
        when(roster.createRosterItem(any(JID.class), any(), any(), anyBoolean(), anyBoolean())).thenAnswer(call -> {
            JID contact = call.getArgument(0);
            if (!call.<Boolean>getArgument(4)) {
                throw new AssertionError("a roster item that is not persistent would be lost at a restart");
            }
            RosterItem item = new RosterItem(items.size() + 100, contact, RosterItem.SUB_NONE, RosterItem.ASK_NONE,
                    RosterItem.RECV_NONE, call.getArgument(1), call.getArgument(2));
            if (items.putIfAbsent(contact.toBareJID(), item) != null) {
                throw new UserAlreadyExistsException(contact.toBareJID());
            }
            writes.add("create " + username + " " + contact + " none");
            return item;
        });
        doAnswer(call -> {
            RosterItem item = call.getArgument(0);
            if (items.get(item.getJid().toBareJID()) != item) {
                throw new UserNotFoundException(item.getJid().toBareJID());
            }
            writes.add("update " + username + " " + item.getJid() + " " + item.getSubStatus().getName());
            return null;
        }).when(roster).updateRosterItem(any(RosterItem.class));
        when(roster.deleteRosterItem(any(JID.class), anyBoolean())).thenAnswer(call -> {
            JID contact = call.getArgument(0);
            RosterItem removed = items.remove(contact.toBareJID());
            if (removed != null) {
                writes.add("delete " + username + " " + contact + " " + removed.getSubStatus().getName());
            }
            return removed;
        });
        return roster;
    }

    /** The writes since the last call. */
    List<String> takeWrites() {
        List<String> taken = new java.util.ArrayList<>();
        for (String write; (write = writes.poll()) != null; ) {
            taken.add(write);
        }
        return taken;
    }
}
