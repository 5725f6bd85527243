package org.clientproxy.openfire;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.openfire.RosterRecord.Before;
import org.jivesoftware.openfire.SharedGroupException;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.event.UserEventListener;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserAlreadyExistsException;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * Gives each proxy whose target is an account of this server that account's presence by writing,
 * on the server side, an item for the proxy's address with subscription {@code from} in the
 * account's roster (persistent, pushed to its sessions): the implementing client has nothing to
 * approve. An existing item is upgraded ({@code none} to {@code from}, {@code to} to
 * {@code both}), never duplicated. What each proxy changed is remembered ({@link RosterRecords})
 * and taken back exactly when the proxy is removed or gets another target; unloading the plugin
 * or restarting Openfire leaves rosters alone. When the account removes the item or cancels the
 * subscription, the item is written again only when the operator asks.
 *
 * <p>Everything that reads or writes a roster runs on the plugin's worker thread: the proxies'
 * reports and Openfire's user events only queue work there ({@code worker}).
 */
final class RosterGrants implements ProxyRosters, UserEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RosterGrants.class);

    private final Supplier<XMPPServer> server;
    private final RosterRecords records;
    private final Executor worker;
    private final Supplier<List<ConfiguredProxy>> states;
    private final Clock clock;

    /**
     * @param server  Openfire ({@code XMPPServer::getInstance}), looked up at each use
     * @param worker  runs a task on the plugin's worker thread
     * @param states  the proxies' current states ({@link ProxyRegistry#states()})
     */
    RosterGrants(Supplier<XMPPServer> server, RosterRecords records, Executor worker,
                 Supplier<List<ConfiguredProxy>> states, Clock clock) {
        this.server = server;
        this.records = records;
        this.worker = worker;
        this.states = states;
        this.clock = clock;
    }

    // ---- What the registry asks (worker thread) ------------------------------------------

    /** An account of this server: a JID with a local part on the server's own domain. */
    @Override
    public boolean writesRosterOf(JID target) {
        return target.getNode() != null && target.getDomain().equals(server.get().getServerInfo().getXMPPDomain());
    }

    @Override
    public void attach(String subdomain, ClientProxy proxy, boolean operatorAsked) {
        JID target = proxy.settings().target().asBareJID();
        try {
            RosterRecord record = records.get(subdomain);
            if (record != null && !record.target().equals(target)) {
                takeBack(subdomain, record);
                record = null;
            }
            if (!writesRosterOf(target)) {
                return;
            }
            if (!accountExists(target.getNode())) {
                LOG.info("Client proxy {} waits for the account {} to be created", subdomain, target);
                proxy.rosterAwaitingAccount(target);
                return;
            }
            Roster roster = server.get().getRosterManager().getRoster(target.getNode());
            JID address = address(subdomain);
            RosterItem item = item(roster, address);
            Before current = Before.of(item);
            if (!current.grants() && record != null && !operatorAsked) {
                proxy.rosterRevoked(target, revokedAt(subdomain, record));
                return;
            }
            // Remembered before the item is written: whatever is written can be taken back.
            RosterRecord next = record == null ? new RosterRecord(target, current, null) : record.granted();
            if (!next.equals(record)) {
                records.put(subdomain, next);
            }
            if (!current.grants()) {
                grant(roster, item, address);
                LOG.info("Client proxy {} wrote {} into {}'s roster with subscription from (it was {})",
                        subdomain, address, target, current.name().toLowerCase(Locale.ROOT));
            }
            proxy.rosterGranted(target, !next.before().grants(), availableSessions(target.getNode()));
        } catch (UserNotFoundException | UserAlreadyExistsException | SharedGroupException | RuntimeException e) {
            LOG.warn("Client proxy {} could not write its item into {}'s roster", subdomain, target, e);
        }
    }

    @Override
    public void reconcile(Collection<ConfiguredProxy> configured) {
        Map<String, ConfiguredProxy> bySubdomain = new HashMap<>();
        configured.forEach(state -> bySubdomain.put(state.subdomain(), state));
        List<String> recorded;
        try {
            recorded = records.subdomains();
        } catch (RuntimeException e) {
            LOG.warn("Could not read what the client proxies wrote in rosters", e);
            return;
        }
        for (String subdomain : recorded) {
            ConfiguredProxy state = bySubdomain.get(subdomain);
            RosterRecord record = records.get(subdomain);
            if (record == null) {
                continue;
            }
            if (state == null) {
                LOG.info("Client proxy {} was removed: taking back its item in {}'s roster", subdomain, record.target());
                takeBack(subdomain, record);
            } else if (state.settings() != null && !state.settings().target().asBareJID().equals(record.target())) {
                takeBack(subdomain, record);
            }
        }
    }

    // ---- Reports from the proxies and the operator (any thread: queued) -------------------

    @Override
    public void renew(ClientProxy proxy) {
        worker.execute(() -> subdomainOf(proxy).ifPresent(subdomain -> attach(subdomain, proxy, true)));
    }

    @Override
    public void revoked(ClientProxy proxy, JID target, Instant at) {
        worker.execute(() -> subdomainOf(proxy).ifPresent(subdomain -> {
            RosterRecord record = records.get(subdomain);
            if (record != null && record.target().equals(target.asBareJID())) {
                records.put(subdomain, record.revoked(at));
            }
        }));
    }

    @Override
    public void userCreated(User user, Map<String, Object> params) {
        String username = user.getUsername();
        worker.execute(() -> {
            for (ConfiguredProxy state : running(username)) {
                attach(state.subdomain(), state.proxy(), false);
            }
        });
    }

    /** The roster goes with the account: nothing to take back; the proxy waits for a new one. */
    @Override
    public void userDeleting(User user, Map<String, Object> params) {
        String username = user.getUsername();
        worker.execute(() -> {
            for (String subdomain : records.subdomains()) {
                RosterRecord record = records.get(subdomain);
                if (record != null && isAccount(record.target(), username)) {
                    records.remove(subdomain);
                }
            }
            for (ConfiguredProxy state : running(username)) {
                state.proxy().rosterAwaitingAccount(state.settings().target());
            }
        });
    }

    @Override
    public void userModified(User user, Map<String, Object> params) {
        // Nothing about a user's details changes its roster.
    }

    // ---- Roster work ---------------------------------------------------------------------

    /** Gives the proxy the subscription {@code from}, keeping a {@code to} the account had. */
    private static void grant(Roster roster, RosterItem item, JID address)
            throws UserAlreadyExistsException, SharedGroupException, UserNotFoundException {
        if (item == null) {
            // Not pushed yet: the update below pushes it once, with its subscription.
            item = roster.createRosterItem(address, null, null, false, true);
        }
        item.setSubStatus(item.getSubStatus() == RosterItem.SUB_TO ? RosterItem.SUB_BOTH : RosterItem.SUB_FROM);
        // A subscription request an earlier version sent is answered by this.
        item.setRecvStatus(RosterItem.RECV_NONE);
        roster.updateRosterItem(item);
    }

    /**
     * Sets the item back to what it was before the proxy wrote it: removes an item it created,
     * takes the {@code from} off one it upgraded, leaves one that granted already. Quietly: the
     * subscription goes first, so that removing the item sends no presence to the proxy's address.
     */
    private void takeBack(String subdomain, RosterRecord record) {
        JID target = record.target();
        try {
            if (!record.before().grants() && writesRosterOf(target) && accountExists(target.getNode())) {
                Roster roster = server.get().getRosterManager().getRoster(target.getNode());
                JID address = address(subdomain);
                RosterItem item = item(roster, address);
                if (item != null && Before.of(item).grants()) {
                    item.setSubStatus(item.getSubStatus() == RosterItem.SUB_BOTH ? RosterItem.SUB_TO : RosterItem.SUB_NONE);
                    roster.updateRosterItem(item);
                }
                if (item != null && record.before() == Before.ABSENT) {
                    roster.deleteRosterItem(address, false);
                }
                LOG.info("Client proxy {} took back its item in {}'s roster", subdomain, target);
            }
        } catch (UserNotFoundException | SharedGroupException | RuntimeException e) {
            LOG.warn("Client proxy {} could not take back its item in {}'s roster", subdomain, target, e);
        }
        records.remove(subdomain);
    }

    /** When the account revoked the item; found out now if it happened while the proxy did not look. */
    private Instant revokedAt(String subdomain, RosterRecord record) {
        if (record.revokedAt() != null) {
            return record.revokedAt();
        }
        Instant now = clock.instant();
        records.put(subdomain, record.revoked(now));
        LOG.info("{} removed the roster item of client proxy {} or cancelled its subscription; it is written"
                + " again only when the operator asks", record.target(), subdomain);
        return now;
    }

    /** The account's available sessions, each with its login time (now where the server cannot tell). */
    private Map<JID, Instant> availableSessions(String username) {
        Map<JID, Instant> online = new LinkedHashMap<>();
        for (ClientSession session : server.get().getSessionManager().getSessions(username)) {
            Presence presence = session == null ? null : session.getPresence();
            if (presence != null && presence.isAvailable()) {
                Date login = session.getCreationDate();
                online.put(session.getAddress(), login == null ? clock.instant() : login.toInstant());
            }
        }
        return online;
    }

    private static RosterItem item(Roster roster, JID address) {
        try {
            return roster.getRosterItem(address);
        } catch (UserNotFoundException e) {
            return null;
        }
    }

    private boolean accountExists(String username) {
        try {
            server.get().getUserManager().getUser(username);
            return true;
        } catch (UserNotFoundException e) {
            return false;
        }
    }

    private JID address(String subdomain) {
        return new JID(null, subdomain + "." + server.get().getServerInfo().getXMPPDomain(), null);
    }

    private boolean isAccount(JID target, String username) {
        return writesRosterOf(target) && target.getNode().equals(username);
    }

    private List<ConfiguredProxy> running(String username) {
        return states.get().stream()
                .filter(state -> state.running() && isAccount(state.settings().target(), username))
                .toList();
    }

    private Optional<String> subdomainOf(ClientProxy proxy) {
        return states.get().stream().filter(state -> state.proxy() == proxy).map(ConfiguredProxy::subdomain).findFirst();
    }
}
