package org.clientproxy.core;

/**
 * Who belongs to the named groups an {@link AccessRule} lists, as the host knows it. Asked for
 * every request from a listed group's would-be member, so it answers from memory: no database,
 * no directory, no lock held for long. The external component has no groups ({@link #NONE}).
 */
@FunctionalInterface
public interface GroupMembership {
    /** Knows no group: every {@code group:} entry matches nobody. */
    GroupMembership NONE = (group, bareJid) -> false;

    /**
     * @param group   a group name as the rule lists it
     * @param bareJid a canonical bare JID, like {@code bob@example.org}
     * @return whether {@code bareJid} is one of the group's users
     */
    boolean isMember(String group, String bareJid);
}
