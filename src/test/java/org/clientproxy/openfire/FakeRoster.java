package org.clientproxy.openfire;

import java.util.Iterator;
import java.util.List;

import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterEventListener;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * An account's roster as Openfire 5.1.1's {@code org.jivesoftware.openfire.roster.Roster} keeps it
 * (tag v5.1.1), for a personal roster without shared groups. The look-ups and the three
 * {@code createRosterItem} methods are Openfire's own (inherited: they are the same in the 4.2.0
 * API jar); what writes is rewritten here after 5.1.1's source, with the database and the routing
 * replaced by {@link FakeOpenfire}:
 * <ul>
 * <li>{@code provideRosterItem} checks nothing: it inserts a new row (a new ID) and puts the item
 *     into the map, replacing one that is there. Nothing is synchronized, neither here nor in
 *     IQRosterHandler's roster set (look-up, then create), so an account that adds the contact
 *     while the plugin does leaves two rows, and the one in memory is whichever was put last.</li>
 * <li>{@code updateRosterItem} writes the row of the item it is given (by ID), even when the map
 *     holds another object for that address; for an address the map lacks it does nothing when
 *     the subscription is {@code none} and throws {@code UserNotFoundException} otherwise.</li>
 * <li>{@code deleteRosterItem} routes {@code unsubscribe} (for {@code to}, {@code both}) and
 *     {@code unsubscribed} (for {@code from}, {@code both}) from the account to the contact, then
 *     removes the item from the map and its row.</li>
 * </ul>
 * Each raises the roster events RosterEventDispatcher would ({@link FakeOpenfire#rosterListeners}).
 */
final class FakeRoster extends Roster {
    /** When, in a create, {@link #interleave} runs the other party's action. */
    enum Moment {
        /** After the caller's look-up found nothing, before its row is inserted. */
        BEFORE_INSERT,
        /** After the caller's item is in the map, before its create returns. */
        AFTER_PUT
    }

    private final FakeOpenfire openfire;
    private final String username;
    private volatile Moment moment;
    private volatile Runnable interleaved;

    /** Loads the roster from the provider's rows, as {@code Roster(String)}: for duplicates, the last one read wins. */
    FakeRoster(FakeOpenfire openfire, String username) {
        this.openfire = openfire;
        this.username = username;
        for (Iterator<RosterItem> items = openfire.provider.getItems(username); items.hasNext(); ) {
            loaded(items.next());
        }
        for (RosterEventListener listener : openfire.rosterListeners) {
            listener.rosterLoaded(this);
        }
    }

    void loaded(RosterItem item) {
        rosterItems.put(item.getJid().toBareJID(), item);
    }

    /** Runs {@code action} once, at {@code moment} of the next create: another thread's roster set, in effect. */
    void interleave(Moment moment, Runnable action) {
        this.moment = moment;
        this.interleaved = action;
    }

    private void interleaveAt(Moment now) {
        Runnable action = interleaved;
        if (action != null && moment == now) {
            interleaved = null;
            action.run();
        }
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    protected RosterItem provideRosterItem(JID user, String nickname, List<String> groups, boolean push,
                                           boolean persistent) {
        interleaveAt(Moment.BEFORE_INSERT);
        org.xmpp.packet.Roster roster = new org.xmpp.packet.Roster();
        roster.setType(IQ.Type.set);
        org.xmpp.packet.Roster.Item item = roster.addItem(user, nickname, null,
                org.xmpp.packet.Roster.Subscription.none, groups);
        RosterItem rosterItem = new RosterItem(item);
        boolean persist = persistent;
        for (RosterEventListener listener : openfire.rosterListeners) {
            persist &= listener.addingContact(this, rosterItem, persistent);
        }
        if (persist) {
            rosterItem = openfire.insert(username, rosterItem);
        }
        rosterItems.put(user.toBareJID(), rosterItem);
        openfire.writes.add("create " + username + " " + user + " none");
        for (RosterEventListener listener : openfire.rosterListeners) {
            listener.contactAdded(this, rosterItem);
        }
        interleaveAt(Moment.AFTER_PUT);
        return rosterItem;
    }

    @Override
    public void updateRosterItem(RosterItem item) throws UserNotFoundException {
        String jid = item.getJid().toBareJID();
        if (rosterItems.putIfAbsent(jid, item) == null) {
            rosterItems.remove(jid);
            if (item.getSubStatus() != RosterItem.SUB_NONE) {
                throw new UserNotFoundException(jid);
            }
            return;
        }
        if (item.getID() != 0) {
            openfire.provider.updateItem(username, item);
        }
        openfire.writes.add("update " + username + " " + item.getJid() + " " + item.getSubStatus().getName());
        for (RosterEventListener listener : openfire.rosterListeners) {
            listener.contactUpdated(this, item);
        }
    }

    @Override
    public RosterItem deleteRosterItem(JID user, boolean doChecking) {
        RosterItem itemToRemove = rosterItems.get(user.toBareJID());
        if (itemToRemove == null) {
            return null;
        }
        RosterItem.SubType subType = itemToRemove.getSubStatus();
        if (subType == RosterItem.SUB_TO || subType == RosterItem.SUB_BOTH) {
            route(Presence.Type.unsubscribe, itemToRemove.getJid());
        }
        if (subType == RosterItem.SUB_FROM || subType == RosterItem.SUB_BOTH) {
            route(Presence.Type.unsubscribed, itemToRemove.getJid());
        }
        RosterItem item = rosterItems.remove(user.toBareJID());
        if (item != null) {
            if (item.getID() > 0) {
                openfire.rows.remove(item.getID());
            }
            openfire.writes.add("delete " + username + " " + user + " " + item.getSubStatus().getName());
            for (RosterEventListener listener : openfire.rosterListeners) {
                listener.contactDeleted(this, item);
            }
        }
        return item;
    }

    private void route(Presence.Type type, JID to) {
        Presence presence = new Presence(type);
        presence.setFrom(new JID(username, FakeOpenfire.DOMAIN, null));
        presence.setTo(to);
        openfire.routed.add(presence);
    }
}
