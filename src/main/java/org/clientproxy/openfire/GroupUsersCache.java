package org.clientproxy.openfire;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.clientproxy.core.GroupMembership;
import org.jivesoftware.openfire.event.GroupEventListener;
import org.jivesoftware.openfire.group.Group;
import org.jivesoftware.openfire.group.GroupManager;
import org.jivesoftware.openfire.group.GroupNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * The users (members and administrators) of the Openfire groups that the proxies' {@code allow}
 * rules name, kept in memory so that checking a request never looks a group up. Loaded when a
 * rule first names a group, and loaded again on Openfire's group events, so that a membership
 * change applies to the next request without a restart.
 *
 * <p>Loading runs on one thread only (the plugin's worker: {@link #watch} is called there, and
 * the events, which arrive on whatever thread changed the group, only queue a task for it), so
 * a later load never loses against an earlier one. Each load publishes a new immutable map.
 */
final class GroupUsersCache implements GroupMembership, GroupEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(GroupUsersCache.class);

    private final Function<String, Set<String>> loader;
    private final Executor loaderThread;
    /** Users (canonical bare JIDs) by group name, for every group a rule names. */
    private volatile Map<String, Set<String>> users = Map.of();
    /**
     * The groups that were missing or unreadable at their last load: logged once at WARN, not at
     * every minute's reload. Only the loader thread uses it.
     */
    private final Set<String> troubled = new HashSet<>();

    /** Reads Openfire's groups, on {@code loaderThread}. */
    GroupUsersCache(Executor loaderThread) {
        this(GroupUsersCache::usersOf, loaderThread);
    }

    /**
     * @param loader       a group's users as canonical bare JIDs, {@code null} when there is no such group
     * @param loaderThread where loads are run; the thread that calls {@link #watch}
     */
    GroupUsersCache(Function<String, Set<String>> loader, Executor loaderThread) {
        this.loader = loader;
        this.loaderThread = loaderThread;
    }

    @Override
    public boolean isMember(String group, String bareJid) {
        Set<String> members = users.get(group);
        return members != null && members.contains(bareJid);
    }

    /** Keeps exactly these groups: loads those not kept yet, forgets the others. On the loader thread. */
    void watch(Set<String> groups) {
        Map<String, Set<String>> current = users;
        if (current.keySet().equals(groups)) {
            return;
        }
        Map<String, Set<String>> next = new HashMap<>();
        for (String group : groups) {
            Set<String> kept = current.get(group);
            next.put(group, kept != null ? kept : load(group));
        }
        users = Map.copyOf(next);
    }

    /** Loads every kept group again. On the loader thread. */
    void reloadAll() {
        for (String group : users.keySet()) {
            reload(group);
        }
    }

    /** Loads a group again if it is kept. On the loader thread. */
    private void reload(String group) {
        Map<String, Set<String>> current = users;
        if (current.containsKey(group)) {
            Map<String, Set<String>> next = new HashMap<>(current);
            next.put(group, load(group));
            users = Map.copyOf(next);
        }
    }

    private Set<String> load(String group) {
        try {
            Set<String> loaded = loader.apply(group);
            if (loaded == null) {
                if (troubled.add(group)) {
                    LOG.warn("The group '{}' named by a client proxy's allow rule does not exist; it lets no one in", group);
                }
                return Set.of();
            }
            if (troubled.remove(group)) {
                LOG.info("The group '{}' named by a client proxy's allow rule can be read again", group);
            }
            LOG.debug("Group '{}' has {} users", group, loaded.size());
            return Set.copyOf(loaded);
        } catch (RuntimeException e) {
            if (troubled.add(group)) {
                LOG.warn("Could not read the users of the group '{}' ({}); it lets no one in until it is read again", group,
                        e.toString());
            }
            LOG.debug("Reading the group '{}' failed", group, e);
            return Set.of();
        }
    }

    private void changed(String group) {
        if (group != null) {
            loaderThread.execute(() -> reload(group));
        }
    }

    // ---- Openfire's group events: they arrive after the change, except groupDeleting ----------
    // The parameter maps are raw in the 4.2.0 API and Map<String, ?> in 5.x: the same erasure.

    @Override
    public void groupCreated(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
    }

    /** Before the group is gone: it lets no one in from now on, whatever a load would still find. */
    @Override
    public void groupDeleting(Group group, @SuppressWarnings("rawtypes") Map params) {
        String name = group.getName();
        loaderThread.execute(() -> {
            Map<String, Set<String>> current = users;
            if (current.containsKey(name)) {
                Map<String, Set<String>> next = new HashMap<>(current);
                next.put(name, Set.of());
                users = Map.copyOf(next);
            }
        });
    }

    /** A renamed group: the old name now names nothing, the new one may be named by a rule. */
    @Override
    public void groupModified(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
        Object original = params == null ? null : params.get("originalValue");
        if (params != null && "nameModified".equals(params.get("type")) && original instanceof String name) {
            changed(name);
        }
    }

    @Override
    public void memberAdded(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
    }

    @Override
    public void memberRemoved(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
    }

    @Override
    public void adminAdded(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
    }

    @Override
    public void adminRemoved(Group group, @SuppressWarnings("rawtypes") Map params) {
        changed(group.getName());
    }

    /** The group's members and administrators (Openfire counts both as its users), or {@code null}. */
    private static Set<String> usersOf(String name) {
        try {
            Group group = GroupManager.getInstance().getGroup(name);
            Set<String> users = new HashSet<>();
            addBare(users, group.getMembers());
            addBare(users, group.getAdmins());
            return users;
        } catch (GroupNotFoundException e) {
            return null;
        }
    }

    private static void addBare(Set<String> users, Collection<JID> jids) {
        for (JID jid : jids) {
            users.add(jid.toBareJID());
        }
    }
}
