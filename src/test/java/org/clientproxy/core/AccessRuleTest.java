package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who an {@code allow} value lets in, and which values are refused. */
class AccessRuleTest {
    private static final String SERVER = "example.org";

    private static AccessRule rule(String value) {
        try {
            return AccessRule.parse(value);
        } catch (AccessRule.InvalidRuleException e) {
            throw new AssertionError(value + ": " + e.getMessage(), e);
        }
    }

    private static boolean allows(String value, String from) {
        return rule(value).allows(from, SERVER, GroupMembership.NONE);
    }

    // ---- parsing -------------------------------------------------------------------------

    @Test
    void everyoneIsOneSharedRuleInAnyCase() {
        assertSame(AccessRule.EVERYONE, rule("everyone"));
        assertSame(AccessRule.EVERYONE, rule(" EveryOne "));
        assertTrue(AccessRule.EVERYONE.allowsEveryone());
        assertEquals("everyone", AccessRule.EVERYONE.toString());
    }

    @Test
    void entriesAreKeptInCanonicalFormAndOrderOnce() {
        AccessRule rule = rule(" Local ,Bob@Example.ORG, example.NET,,group:Ops team , bob@example.org, GROUP:ops");

        assertFalse(rule.allowsEveryone());
        assertEquals("local, bob@example.org, example.net, group:Ops team, group:ops", rule.toString());
        assertEquals(List.of("Ops team", "ops"), rule.groups(), "group names are kept as written");
        assertEquals(rule, rule(rule.toString()), "what toString writes reads back as the same rule");
        assertEquals(rule.hashCode(), rule(rule.toString()).hashCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bob@example.org/phone       | FULL_JID           | bob@example.org/phone",
        "example.org/res             | FULL_JID           | example.org/res",
        "local, group:               | GROUP_NAME         | group:",
        "group:   , local            | GROUP_NAME         | group:",
        "everyone, local             | EVERYONE_COMBINED  | everyone",
        "bob@exa mple.org            | NOT_AN_ADDRESS     | bob@exa mple.org",
        "@example.org                | NOT_AN_ADDRESS     | @example.org",
        "bob@                        | NOT_AN_ADDRESS     | bob@",
        "example..org                | NOT_AN_ADDRESS     | example..org",
        "'local, a<b@example.org'    | NOT_AN_ADDRESS     | a<b@example.org",
    })
    void theFirstWrongEntryIsNamed(String value, AccessRule.Problem problem, String entry) {
        AccessRule.InvalidRuleException e = assertThrows(AccessRule.InvalidRuleException.class,
                () -> AccessRule.parse(value));
        assertEquals(problem, e.problem());
        assertEquals(entry, e.entry());
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {",", " , ,"})
    void aListOfNoEntryIsRefused(String value) {
        AccessRule.InvalidRuleException e = assertThrows(AccessRule.InvalidRuleException.class,
                () -> AccessRule.parse(value));
        assertEquals(AccessRule.Problem.EMPTY, e.problem());
    }

    @Test
    void problemKeysAreTheMessageKeysOfTheAdminPages() {
        assertEquals("full-jid", AccessRule.Problem.FULL_JID.key());
        assertEquals("everyone-combined", AccessRule.Problem.EVERYONE_COMBINED.key());
    }

    // ---- who is let in -------------------------------------------------------------------

    @Test
    void everyoneLetsInAnyAddressEvenServers() {
        assertTrue(allows("everyone", "anyone@anywhere.net/x"));
        assertTrue(allows("everyone", "anywhere.net"));
    }

    @Test
    void localLetsInEveryResourceOfEveryAccountOfThisServerOnly() {
        assertTrue(allows("local", "alice@example.org/phone"));
        assertTrue(allows("local", "bob@example.org/laptop"));
        assertTrue(allows("local", "bob@example.org"), "a bare JID too");
        assertTrue(allows("local", "bob@EXAMPLE.org/x"), "domains compare without case");
        assertFalse(allows("local", "bob@example.net/laptop"), "another server");
        assertFalse(allows("local", "bob@muc.example.org/x"), "a subdomain of this server is another domain");
        assertFalse(allows("local", "bob@example.org.evil.net/x"));
        assertFalse(allows("local", "example.org"), "the server itself is no account");
        assertFalse(allows("local", "example.org/res@example.org"), "an @ in the resource is no local part");
    }

    @Test
    void aDomainEntryLetsInItsAccounts() {
        assertTrue(allows("partner.net", "carol@partner.net/x"));
        assertTrue(allows("partner.net", "carol@PARTNER.net/x"));
        assertFalse(allows("partner.net", "partner.net"), "not the server itself");
        assertFalse(allows("partner.net", "carol@sub.partner.net/x"));
        assertFalse(allows("partner.net", "carol@example.org/x"), "a list without local lets no local account in");
    }

    @Test
    void aBareJidEntryLetsInEveryResourceOfThatAccountOnly() {
        assertTrue(allows("bob@example.org", "bob@example.org/phone"));
        assertTrue(allows("bob@example.org", "bob@example.org/laptop"));
        assertTrue(allows("Bob@Example.org", "BOB@example.ORG/laptop"), "compared in canonical form");
        assertFalse(allows("bob@example.org", "alice@example.org/phone"));
        assertFalse(allows("bob@example.org", "bob@example.net/phone"));
    }

    @Test
    void aBareJidWithNonAsciiCharactersIsComparedInCanonicalForm() {
        assertTrue(allows("jürgen@example.org", "JÜRGEN@example.org/x"));
    }

    @Test
    void entriesAddUp() {
        String rule = "local, carol@partner.net, friends.net";
        assertTrue(allows(rule, "alice@example.org/a"));
        assertTrue(allows(rule, "carol@partner.net/a"));
        assertTrue(allows(rule, "dave@friends.net/a"));
        assertFalse(allows(rule, "eve@partner.net/a"));
    }

    @Test
    void aGroupEntryAsksTheMembershipWithTheCanonicalBareJid() {
        Set<String> ops = new HashSet<>(Set.of("carol@partner.net"));
        List<String> asked = new java.util.ArrayList<>();
        GroupMembership membership = (group, bareJid) -> {
            asked.add(group + " " + bareJid);
            return group.equals("ops") && ops.contains(bareJid);
        };
        AccessRule rule = rule("group:ops");

        assertTrue(rule.allows("Carol@partner.net/x", SERVER, membership));
        assertEquals(List.of("ops carol@partner.net"), asked);
        assertFalse(rule.allows("dave@partner.net/x", SERVER, membership));

        ops.remove("carol@partner.net");
        assertFalse(rule.allows("carol@partner.net/x", SERVER, membership), "the membership is asked each time");
    }

    @Test
    void aGroupIsNotAskedAboutServers() {
        AccessRule rule = rule("group:ops");
        assertFalse(rule.allows("partner.net", SERVER, (group, bareJid) -> {
            throw new AssertionError("asked about " + bareJid);
        }));
    }
}
