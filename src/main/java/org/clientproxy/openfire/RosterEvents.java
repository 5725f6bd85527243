package org.clientproxy.openfire;

import java.util.Map;

import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.event.UserEventDispatcher;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterEventDispatcher;
import org.jivesoftware.openfire.roster.RosterEventListener;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.session.Session;
import org.jivesoftware.openfire.user.User;
import org.xmpp.packet.JID;

/**
 * Openfire's events that concern the proxies' roster items, passed to {@link RosterGrants}: an
 * account created or deleted, a session of an account that starts (the account exists, whether
 * or not an event said so), and an item added to a roster (perhaps a duplicate of a proxy's).
 * Openfire raises each only on the member where it happens, synchronously on its own threads:
 * RosterGrants filters with a map look-up and queues the rest on the plugin's thread. The
 * listener interfaces are the same in Openfire 4.2.0 and 5.1.1.
 */
final class RosterEvents implements UserEventListener, SessionEventListener, RosterEventListener {
    private final RosterGrants grants;

    RosterEvents(RosterGrants grants) {
        this.grants = grants;
    }

    /** Registers with Openfire's user, session and roster event dispatchers; returns how to stop. */
    Runnable listen() {
        UserEventDispatcher.addListener(this);
        SessionEventDispatcher.addListener(this);
        RosterEventDispatcher.addListener(this);
        return () -> {
            UserEventDispatcher.removeListener(this);
            SessionEventDispatcher.removeListener(this);
            RosterEventDispatcher.removeListener(this);
        };
    }

    // ---- Users --------------------------------------------------------------------------

    @Override
    public void userCreated(User user, Map<String, Object> params) {
        grants.accountCreated(user.getUsername());
    }

    @Override
    public void userDeleting(User user, Map<String, Object> params) {
        grants.accountDeleted(user.getUsername());
    }

    @Override
    public void userModified(User user, Map<String, Object> params) {
        // Nothing about a user's details changes its roster.
    }

    // ---- Sessions (raised once authenticated and bound: the address has its resource) ----

    @Override
    public void sessionCreated(Session session) {
        JID address = session.getAddress();
        if (address != null && address.getNode() != null) {
            grants.sessionStarted(address.getNode());
        }
    }

    @Override
    public void resourceBound(Session session) {
        // sessionCreated came first, for the same account.
    }

    @Override
    public void sessionDestroyed(Session session) {
    }

    @Override
    public void anonymousSessionCreated(Session session) {
    }

    @Override
    public void anonymousSessionDestroyed(Session session) {
    }

    // ---- Rosters --------------------------------------------------------------------------

    @Override
    public void contactAdded(Roster roster, RosterItem item) {
        grants.itemAdded(roster.getUsername(), item.getJid());
    }

    @Override
    public boolean addingContact(Roster roster, RosterItem item, boolean persistent) {
        return true; // no opinion: the item is stored as its creator asked
    }

    @Override
    public void rosterLoaded(Roster roster) {
    }

    @Override
    public void contactUpdated(Roster roster, RosterItem item) {
    }

    @Override
    public void contactDeleted(Roster roster, RosterItem item) {
    }
}
