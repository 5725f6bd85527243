package org.clientproxy.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.xmpp.packet.JID;

/**
 * Who may send requests through a proxy: {@code everyone} (the default), or a comma-separated
 * list of entries, each of which lets in the accounts it names: {@code local} (the accounts of
 * the proxy's own server, i.e. of its XMPP domain), a domain ({@code example.org}: its accounts),
 * a bare JID ({@code bob@example.org}: any resource of it), or {@code group:<name>} (the users
 * of a group the host knows, through {@link GroupMembership}). Anyone else is refused with
 * {@code auth/forbidden} (RFC 6120 8.3.3.5). Only accounts are let in by a list: a server or a
 * component (an address without a local part) matches no entry.
 */
public final class AccessRule {
    public static final String EVERYONE_ENTRY = "everyone";
    public static final String LOCAL_ENTRY = "local";
    public static final String GROUP_PREFIX = "group:";

    /** Lets everyone in, at no cost per request. */
    public static final AccessRule EVERYONE = new AccessRule(List.of(EVERYONE_ENTRY), true, false,
            Set.of(), Set.of(), List.of());

    /** What is wrong with an entry; {@link #key()} names its message in the admin pages' bundle. */
    public enum Problem {
        /** The value lists no entry at all (e.g. only commas). */
        EMPTY("lists no one: write everyone, local, or domains, bare JIDs and group:NAME entries"),
        /** {@code everyone} together with other entries. */
        EVERYONE_COMBINED("everyone cannot be combined with other entries"),
        /** A JID with a resource: the rule names accounts, not sessions. */
        FULL_JID("has a resource: write the bare JID, which covers every resource"),
        /** {@code group:} without a name. */
        GROUP_NAME("names no group: write group:NAME"),
        /** Neither a keyword, a domain, a bare JID nor a group. */
        NOT_AN_ADDRESS("is not a domain, a bare JID, local, everyone or group:NAME");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /** The last part of its message key, e.g. {@code full-jid}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public String description() {
            return description;
        }
    }

    /** A value that is not a rule: the first wrong entry and what is wrong with it. */
    public static final class InvalidRuleException extends Exception {
        private final Problem problem;
        private final String entry;

        InvalidRuleException(Problem problem, String entry) {
            super(problem == Problem.EMPTY ? problem.description() : "'" + entry + "' " + problem.description());
            this.problem = problem;
            this.entry = entry;
        }

        public Problem problem() {
            return problem;
        }

        /** The entry as it was written (trimmed); the whole value for {@link Problem#EMPTY}. */
        public String entry() {
            return entry;
        }
    }

    /** The entries in canonical form, in the order given: what {@link #toString()} writes. */
    private final List<String> entries;
    private final boolean everyone;
    private final boolean local;
    private final Set<String> domains;
    private final Set<String> accounts;
    private final List<String> groups;

    private AccessRule(List<String> entries, boolean everyone, boolean local, Set<String> domains,
                       Set<String> accounts, List<String> groups) {
        this.entries = List.copyOf(entries);
        this.everyone = everyone;
        this.local = local;
        this.domains = Set.copyOf(domains);
        this.accounts = Set.copyOf(accounts);
        this.groups = List.copyOf(groups);
    }

    /**
     * Reads a rule. Keywords and the {@code group:} prefix are case-insensitive; domains and JIDs
     * are compared in their canonical (stringprep) form; a repeated entry counts once.
     *
     * @throws InvalidRuleException naming the first entry that is wrong
     */
    public static AccessRule parse(String value) throws InvalidRuleException {
        Set<String> entries = new LinkedHashSet<>();
        boolean local = false;
        Set<String> domains = new LinkedHashSet<>();
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        boolean everyone = false;
        for (String raw : value.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equalsIgnoreCase(EVERYONE_ENTRY)) {
                everyone = true;
                entries.add(EVERYONE_ENTRY);
            } else if (entry.equalsIgnoreCase(LOCAL_ENTRY)) {
                local = true;
                entries.add(LOCAL_ENTRY);
            } else if (entry.regionMatches(true, 0, GROUP_PREFIX, 0, GROUP_PREFIX.length())) {
                String group = entry.substring(GROUP_PREFIX.length()).trim();
                if (group.isEmpty()) {
                    throw new InvalidRuleException(Problem.GROUP_NAME, entry);
                }
                groups.add(group);
                entries.add(GROUP_PREFIX + group);
            } else {
                JID address = address(entry);
                if (address.getNode() == null) {
                    domains.add(address.getDomain());
                    entries.add(address.getDomain());
                } else {
                    accounts.add(address.toBareJID());
                    entries.add(address.toBareJID());
                }
            }
        }
        if (entries.isEmpty()) {
            throw new InvalidRuleException(Problem.EMPTY, value.trim());
        }
        if (everyone) {
            if (entries.size() > 1) {
                throw new InvalidRuleException(Problem.EVERYONE_COMBINED, EVERYONE_ENTRY);
            }
            return EVERYONE;
        }
        return new AccessRule(new ArrayList<>(entries), false, local, domains, accounts, new ArrayList<>(groups));
    }

    /** A domain or a bare JID, in canonical form. */
    private static JID address(String entry) throws InvalidRuleException {
        JID address;
        try {
            address = new JID(entry);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(Problem.NOT_AN_ADDRESS, entry);
        }
        if (address.getResource() != null) {
            throw new InvalidRuleException(Problem.FULL_JID, entry);
        }
        // A domain needs at least one character that is not a dot, and no empty label.
        String domain = address.getDomain();
        if (domain.isEmpty() || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")
                || entry.startsWith("@") || entry.endsWith("@")) {
            throw new InvalidRuleException(Problem.NOT_AN_ADDRESS, entry);
        }
        return address;
    }

    /** Whether everyone may send requests: then nothing is checked per request. */
    public boolean allowsEveryone() {
        return everyone;
    }

    /** The names of the groups the rule lists, in the order given. */
    public List<String> groups() {
        return groups;
    }

    /**
     * Whether the sender of a request may use the proxy.
     *
     * @param from         the request's {@code from} as it stands in the stanza (a full JID)
     * @param serverDomain the XMPP domain of the proxy's own server, for {@code local}
     * @param membership   the users of the groups, as the host knows them
     */
    boolean allows(String from, String serverDomain, GroupMembership membership) {
        if (everyone) {
            return true;
        }
        int slash = from.indexOf('/');
        int bareEnd = slash < 0 ? from.length() : slash;
        int at = from.indexOf('@');
        if (at <= 0 || at >= bareEnd) {
            return false; // no local part: a server or a component, not an account
        }
        int domainLength = bareEnd - at - 1;
        if (local && domainLength == serverDomain.length()
                && from.regionMatches(true, at + 1, serverDomain, 0, domainLength)) {
            return true;
        }
        if (domains.isEmpty() && accounts.isEmpty() && groups.isEmpty()) {
            return false;
        }
        String bare = canonicalBareJid(from.substring(0, bareEnd));
        if (bare == null) {
            return false;
        }
        if (accounts.contains(bare) || (!domains.isEmpty() && domains.contains(bare.substring(bare.indexOf('@') + 1)))) {
            return true;
        }
        for (String group : groups) {
            if (membership.isMember(group, bare)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The canonical form of a bare JID as written in a stanza: the usual lowercase printable
     * ASCII is already canonical; anything else goes through stringprep ({@code null} if it fails).
     */
    private static String canonicalBareJid(String bare) {
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c <= 0x20 || c >= 0x7f || (c >= 'A' && c <= 'Z')) {
                try {
                    return new JID(bare).toBareJID();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return bare;
    }

    /** The rule as the {@code allow} setting writes it, in canonical form; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return String.join(", ", entries);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessRule rule && rule.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
