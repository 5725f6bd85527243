package org.clientproxy.openfire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.openfire.RosterRecord.Before;
import org.jivesoftware.openfire.SharedGroupException;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.roster.RosterItemProvider;
import org.jivesoftware.openfire.session.ClientSession;
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
 * <p>A proxy whose account does not exist yet waits for it. Openfire tells only the member where
 * an account is created, and a read-only user provider (LDAP) tells nobody, so besides the user
 * event ({@link #accountCreated}) the account is looked for when one of its sessions starts on
 * this member ({@link #sessionStarted}) and every {@link #RECHECK_INTERVAL} ({@link #recheck}):
 * one user look-up per waiting proxy, nothing for the others. An account deleted on another
 * member shows here only as a revocation, so the recheck also looks up the accounts of revoked
 * proxies: one that is gone is waited for again.
 *
 * <p>Openfire's {@code Roster.createRosterItem} checks nothing and takes no lock (neither does
 * the roster set of the account's client, IQRosterHandler: look-up, then create), so an account
 * that adds the proxy's address while the proxy writes it gets a second stored item, and keeps in
 * memory whichever was put last. No lock of Openfire's is there to share, so the proxy repairs:
 * after each item it creates, when this member adds an item for a proxy's address, and at the
 * next recheck (an add on another member), it keeps the item the roster holds, deletes the other
 * stored ones, and grants the kept one ({@link #keepOneItem}).
 *
 * <p>Everything that reads or writes a roster runs on the plugin's worker thread: the proxies'
 * reports and Openfire's events ({@link RosterEvents}) only queue work there ({@code worker}).
 */
final class RosterGrants implements ProxyRosters {
    private static final Logger LOG = LoggerFactory.getLogger(RosterGrants.class);

    /**
     * How often the accounts that proxies wait for are looked for, and the items created since the
     * last time checked for a duplicate: the longest an account made elsewhere waits to be noticed.
     */
    static final Duration RECHECK_INTERVAL = Duration.ofSeconds(5);

    private final Supplier<XMPPServer> server;
    private final Supplier<RosterItemProvider> storedItems;
    private final RosterRecords records;
    private final Executor worker;
    private final Supplier<List<ConfiguredProxy>> states;
    private final Clock clock;
    /** The running proxies that wait for their account to be created, to the account's username. */
    private final Map<ClientProxy, String> awaitingAccount = new ConcurrentHashMap<>();
    /**
     * The running proxies whose account revoked their item, to the account's username: deleting
     * an account on another member looks the same here (Openfire removes its roster item by item,
     * each removal routing {@code unsubscribed}), so {@link #recheck} looks whether it still exists.
     */
    private final Map<ClientProxy, String> revokedByAccount = new ConcurrentHashMap<>();
    /** The proxies (by subdomain) that created their item since the last {@link #recheck}. */
    private final Map<String, ClientProxy> createdSinceRecheck = new ConcurrentHashMap<>();

    /**
     * @param server      Openfire ({@code XMPPServer::getInstance}), looked up at each use
     * @param storedItems Openfire's roster item provider ({@code RosterManager::getRosterItemProvider}), looked up at each use
     * @param worker      runs a task on the plugin's worker thread
     * @param states      the proxies' current states ({@link ProxyRegistry#states()})
     */
    RosterGrants(Supplier<XMPPServer> server, Supplier<RosterItemProvider> storedItems, RosterRecords records,
                 Executor worker, Supplier<List<ConfiguredProxy>> states, Clock clock) {
        this.server = server;
        this.storedItems = storedItems;
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
        awaitingAccount.remove(proxy);
        revokedByAccount.remove(proxy);
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
                awaitingAccount.put(proxy, target.getNode());
                proxy.rosterAwaitingAccount(target);
                return;
            }
            Roster roster = server.get().getRosterManager().getRoster(target.getNode());
            JID address = address(subdomain);
            RosterItem item = item(roster, address);
            Before current = Before.of(item);
            if (!current.grants() && record != null && !operatorAsked) {
                revokedByAccount.put(proxy, target.getNode());
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
            if (current == Before.ABSENT) {
                createdSinceRecheck.put(subdomain, proxy);
                keepOneItem(subdomain, proxy);
            }
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
            if (writesRosterOf(target)) {
                revokedByAccount.put(proxy, target.getNode());
            }
        }));
    }

    // ---- Openfire's events (its threads: filtered, then queued; see RosterEvents) ----------

    /** An account was created on this member: its proxies write their items. */
    void accountCreated(String username) {
        worker.execute(() -> {
            for (ConfiguredProxy state : running(username)) {
                attach(state.subdomain(), state.proxy(), false);
            }
        });
    }

    /** The roster goes with the account: nothing to take back; the proxy waits for a new one. */
    void accountDeleted(String username) {
        worker.execute(() -> {
            for (String subdomain : records.subdomains()) {
                RosterRecord record = records.get(subdomain);
                if (record != null && isAccount(record.target(), username)) {
                    records.remove(subdomain);
                }
            }
            for (ConfiguredProxy state : running(username)) {
                revokedByAccount.remove(state.proxy());
                awaitingAccount.put(state.proxy(), username);
                state.proxy().rosterAwaitingAccount(state.settings().target());
            }
        });
    }

    /**
     * A session of this account started on this member: the account exists, even if no event
     * said so (created on another member, or by a read-only user provider). Only a map look-up
     * unless a proxy waits for this account.
     */
    void sessionStarted(String username) {
        if (awaitingAccount.containsValue(username)) {
            worker.execute(() -> attachAwaiting(username));
        }
    }

    /** An item for {@code contact} was added to {@code username}'s roster on this member: a duplicate, if it is a proxy's. */
    void itemAdded(String username, JID contact) {
        String address = contact.toBareJID();
        for (ConfiguredProxy state : states.get()) {
            if (state.running() && isAccount(state.proxy().settings().target(), username)
                    && address.equals(address(state.subdomain()).toBareJID())) {
                worker.execute(() -> keepOneItem(state.subdomain(), state.proxy()));
            }
        }
    }

    /**
     * Every {@link #RECHECK_INTERVAL}, on the worker: looks up the accounts of the proxies that
     * wait for one or were revoked (one look-up each), and checks the items created since the last
     * time for a duplicate that another member's add left.
     */
    void recheck() {
        awaitDeletedAccounts();
        attachAwaiting(null);
        for (Map.Entry<String, ClientProxy> created : Map.copyOf(createdSinceRecheck).entrySet()) {
            createdSinceRecheck.remove(created.getKey(), created.getValue());
            if (subdomainOf(created.getValue()).isPresent()) { // still runs here
                keepOneItem(created.getKey(), created.getValue());
            }
        }
    }

    /** A revoked proxy whose account is gone waits for it: its roster went with it, nothing is left to take back. */
    private void awaitDeletedAccounts() {
        for (Map.Entry<ClientProxy, String> revoked : Map.copyOf(revokedByAccount).entrySet()) {
            ClientProxy proxy = revoked.getKey();
            String account = revoked.getValue();
            Optional<String> subdomain = subdomainOf(proxy);
            if (subdomain.isEmpty() || !isAccount(proxy.settings().target(), account)) {
                revokedByAccount.remove(proxy, account);
            } else if (accountLookup(account) == Lookup.ABSENT) {
                LOG.info("The account {} of client proxy {} was deleted; it waits for it to be created again",
                        proxy.settings().target(), subdomain.get());
                revokedByAccount.remove(proxy, account);
                RosterRecord record = records.get(subdomain.get());
                if (record != null && isAccount(record.target(), account)) {
                    records.remove(subdomain.get());
                }
                awaitingAccount.put(proxy, account);
                proxy.rosterAwaitingAccount(proxy.settings().target());
            }
        }
    }

    /** Attaches the waiting proxies (of {@code username}, or all) whose account exists now. */
    private void attachAwaiting(String username) {
        for (Map.Entry<ClientProxy, String> waiting : Map.copyOf(awaitingAccount).entrySet()) {
            ClientProxy proxy = waiting.getKey();
            String account = waiting.getValue();
            if (username != null && !username.equals(account)) {
                continue;
            }
            Optional<String> subdomain = subdomainOf(proxy);
            if (subdomain.isEmpty() || !isAccount(proxy.settings().target(), account)) {
                awaitingAccount.remove(proxy, account); // stopped or retargeted: no longer waits for this one
            } else if (accountLookup(account) == Lookup.EXISTS) {
                LOG.info("The account {} of client proxy {} exists now", proxy.settings().target(), subdomain.get());
                attach(subdomain.get(), proxy, false);
            }
        }
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
     * Leaves one stored item for the proxy's address in its target's roster: the one the roster
     * holds in memory (the one Openfire routes presence by); the others, left by an account that
     * added the address while the proxy wrote it, are deleted from the provider, and the kept one
     * takes the name and groups the account gave its own if it has none. The account wanted the
     * item too, so it stays when the proxy goes (set back to {@code none}), and the kept item gets
     * the subscription the proxy wrote unless the account revoked it since.
     */
    private void keepOneItem(String subdomain, ClientProxy proxy) {
        JID target = proxy.settings().target().asBareJID();
        RosterRecord record = records.get(subdomain);
        if (record == null || !record.target().equals(target)) {
            return;
        }
        String username = target.getNode();
        JID address = address(subdomain);
        try {
            List<RosterItem> stored = new ArrayList<>();
            for (Iterator<RosterItem> items = storedItems.get().getItems(username); items.hasNext(); ) {
                RosterItem item = items.next();
                if (item.getJid().toBareJID().equals(address.toBareJID())) {
                    stored.add(item);
                }
            }
            if (stored.size() < 2) {
                return;
            }
            Roster roster = server.get().getRosterManager().getRoster(username);
            RosterItem kept = item(roster, address);
            boolean named = false;
            for (RosterItem duplicate : stored) {
                if (kept != null && duplicate.getID() == kept.getID()) {
                    continue;
                }
                storedItems.get().deleteItem(username, duplicate.getID());
                named |= kept != null && adoptName(kept, duplicate);
            }
            LOG.info("Client proxy {} found {} stored items for {} in {}'s roster (the account added it while the proxy"
                    + " wrote it) and kept one", subdomain, stored.size(), address, target);
            RosterRecord next = record.before() == Before.ABSENT ? new RosterRecord(target, Before.NONE, record.revokedAt()) : record;
            if (!next.equals(record)) {
                records.put(subdomain, next);
            }
            if (kept == null) {
                return;
            }
            if (record.revokedAt() == null && !Before.of(kept).grants()) {
                grant(roster, kept, address);
                proxy.rosterGranted(target, true, availableSessions(username));
            } else if (named) {
                roster.updateRosterItem(kept);
            }
        } catch (UserNotFoundException | UserAlreadyExistsException | SharedGroupException | RuntimeException e) {
            LOG.warn("Client proxy {} could not check its item in {}'s roster for a duplicate", subdomain, target, e);
        }
    }

    /** Gives {@code kept} the name and groups of {@code duplicate} where it has none; returns whether it changed. */
    private static boolean adoptName(RosterItem kept, RosterItem duplicate) throws SharedGroupException {
        boolean changed = false;
        if ((kept.getNickname() == null || kept.getNickname().isEmpty()) && duplicate.getNickname() != null
                && !duplicate.getNickname().isEmpty()) {
            kept.setNickname(duplicate.getNickname());
            changed = true;
        }
        if (kept.getGroups().isEmpty() && !duplicate.getGroups().isEmpty()) {
            kept.setGroups(duplicate.getGroups());
            changed = true;
        }
        return changed;
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

    /** What a look-up said: a user provider that fails (a directory out of reach) says neither. */
    private enum Lookup { EXISTS, ABSENT, FAILED }

    /** Looks the account up for a recheck: a failure is tried again at the next one, and logged without a trace. */
    private Lookup accountLookup(String username) {
        try {
            return accountExists(username) ? Lookup.EXISTS : Lookup.ABSENT;
        } catch (RuntimeException e) {
            LOG.debug("Could not look up the account {}; trying again in {}: {}", username, RECHECK_INTERVAL, e.toString());
            return Lookup.FAILED;
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
