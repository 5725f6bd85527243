package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;

class ProxySettingsTest {

    private static final String TARGET = "svc@example.org";

    /** Parses with only the given properties set (everything else unset). */
    private static ProxySettings parse(String subdomain, Map<String, String> values) throws InvalidSettingsException {
        return ProxySettings.parse(subdomain, values::get);
    }

    private static Map<String, String> withTarget(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        values.put(ProxySettings.TARGET, TARGET);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    /** The fields named by the exception {@code parse} must throw. */
    private static Set<String> problemsOf(String subdomain, Map<String, String> values) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> parse(subdomain, values),
                () -> "accepted " + subdomain + " " + values);
        for (String field : e.problems().keySet()) {
            assertTrue(e.getMessage().contains(field), () -> "message does not name " + field + ": " + e.getMessage());
        }
        return e.problems().keySet();
    }

    @Test
    void onlyTheTargetIsRequiredAndEverythingElseHasItsDefault() throws Exception {
        ProxySettings settings = parse("svc", withTarget());

        assertEquals("svc", settings.subdomain());
        assertEquals(new JID(TARGET), settings.target());
        assertEquals(Strategy.RANDOM, settings.strategy());
        assertEquals(Duration.ofSeconds(30), settings.timeout());
        assertEquals(Duration.ofSeconds(5), settings.unresponsiveAfter());
        assertEquals(ProxySettings.DEFAULT_MAX_PER_REQUESTER, settings.maxPerRequester());
        assertEquals(ProxySettings.DEFAULT_MAX_OUTSTANDING, settings.maxOutstanding());
        assertTrue(settings.enabled());
    }

    @Test
    void blankValuesMeanUnsetAndValuesAreTrimmed() throws Exception {
        ProxySettings settings = parse("svc", withTarget(
                ProxySettings.TARGET, "  svc@example.org ",
                ProxySettings.STRATEGY, "   ",
                ProxySettings.TIMEOUT_MILLIS, "",
                ProxySettings.MAX_PER_REQUESTER, " 7 ",
                ProxySettings.ENABLED, " false "));

        assertEquals(new JID(TARGET), settings.target());
        assertEquals(Strategy.RANDOM, settings.strategy());
        assertEquals(Duration.ofMillis(ProxySettings.DEFAULT_TIMEOUT_MILLIS), settings.timeout());
        assertEquals(7, settings.maxPerRequester());
        assertFalse(settings.enabled());
    }

    @Test
    void everyWrongFieldIsNamedAtOnce() {
        Map<String, String> values = new HashMap<>();
        values.put(ProxySettings.TARGET, "svc@example.org/resource");
        values.put(ProxySettings.STRATEGY, "fastest");
        values.put(ProxySettings.TIMEOUT_MILLIS, "-1");
        values.put(ProxySettings.UNRESPONSIVE_MILLIS, "199");
        values.put(ProxySettings.MAX_PER_REQUESTER, "0");
        values.put(ProxySettings.MAX_OUTSTANDING, "1000001");
        values.put(ProxySettings.ENABLED, "yes");

        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> parse("-Bad.Label", values));

        // In field order, as documented.
        assertEquals(List.of(ProxySettings.SUBDOMAIN, ProxySettings.TARGET, ProxySettings.STRATEGY,
                ProxySettings.TIMEOUT_MILLIS, ProxySettings.UNRESPONSIVE_MILLIS, ProxySettings.MAX_PER_REQUESTER,
                ProxySettings.MAX_OUTSTANDING, ProxySettings.ENABLED), List.copyOf(e.problems().keySet()));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Proxy", "PROXY", "-proxy", "proxy-", "pro.xy", "proxy.example.org", "pro_xy", "pro xy",
            " proxy", "\u00e9t\u00e9",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */})
    void aSubdomainThatIsNotALowercaseDnsLabelIsRefused(String subdomain) {
        assertEquals(Set.of(ProxySettings.SUBDOMAIN), problemsOf(subdomain, withTarget()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"p", "7", "proxy", "my-proxy-2", "a-b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 63 */})
    void aLowercaseDnsLabelIsAccepted(String subdomain) throws Exception {
        assertEquals(subdomain, parse(subdomain, withTarget()).subdomain());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "svc@example.org/resource", "example.org", "a@b@c", "@example.org", "svc@",
            "sv c@example.org", "svc@example..org", "svc@example.org/"})
    void aTargetThatIsNotABareJidWithALocalPartIsRefused(String target) {
        Map<String, String> values = withTarget();
        values.put(ProxySettings.TARGET, target);
        assertEquals(Set.of(ProxySettings.TARGET), problemsOf("svc", values));
    }

    @Test
    void theTargetIsNormalised() throws Exception {
        ProxySettings settings = parse("svc", withTarget(ProxySettings.TARGET, "SVC@Example.ORG"));

        assertEquals("svc@example.org", settings.target().toString());
        assertEquals("svc@example.org", settings.toProperties().get(ProxySettings.TARGET));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fastest", "roundrobin", "round robin", "least", "1"})
    void anUnknownStrategyIsRefused(String strategy) {
        assertEquals(Set.of(ProxySettings.STRATEGY), problemsOf("svc", withTarget(ProxySettings.STRATEGY, strategy)));
    }

    @Test
    void strategyNamesAreCaseInsensitive() throws Exception {
        Map<String, Strategy> names = Map.of(
                "random", Strategy.RANDOM, "RANDOM", Strategy.RANDOM,
                "round-robin", Strategy.ROUND_ROBIN, "Round-Robin", Strategy.ROUND_ROBIN,
                "least-outstanding", Strategy.LEAST_OUTSTANDING, "LEAST-OUTSTANDING", Strategy.LEAST_OUTSTANDING,
                " least-Outstanding ", Strategy.LEAST_OUTSTANDING);
        for (Map.Entry<String, Strategy> name : names.entrySet()) {
            assertEquals(name.getValue(), parse("svc", withTarget(ProxySettings.STRATEGY, name.getKey())).strategy(),
                    name.getKey());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"99", "0", "-1", "-30000", "3600001", "99999999999999999999", "thirty", "30s", "1.5",
            "1e3", "0x100"})
    void aTimeoutOutOfRangeOrNotAWholeNumberIsRefused(String timeout) {
        assertEquals(Set.of(ProxySettings.TIMEOUT_MILLIS),
                problemsOf("svc", withTarget(ProxySettings.TIMEOUT_MILLIS, timeout)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"199", "0", "-5000", "3600001", "5s", "soon"})
    void anUnresponsiveThresholdOutOfRangeOrNotAWholeNumberIsRefused(String threshold) {
        assertEquals(Set.of(ProxySettings.UNRESPONSIVE_MILLIS),
                problemsOf("svc", withTarget(ProxySettings.UNRESPONSIVE_MILLIS, threshold)));
    }

    @Test
    void theUnresponsiveThresholdBoundsAreAccepted() throws Exception {
        assertEquals(Duration.ofMillis(200),
                parse("svc", withTarget(ProxySettings.UNRESPONSIVE_MILLIS, "200")).unresponsiveAfter());
        assertEquals(Duration.ofHours(1),
                parse("svc", withTarget(ProxySettings.UNRESPONSIVE_MILLIS, "3600000")).unresponsiveAfter());
    }

    @Test
    void theTimeoutBoundsAreAccepted() throws Exception {
        assertEquals(Duration.ofMillis(100),
                parse("svc", withTarget(ProxySettings.TIMEOUT_MILLIS, "100")).timeout());
        assertEquals(Duration.ofHours(1),
                parse("svc", withTarget(ProxySettings.TIMEOUT_MILLIS, "3600000")).timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "100001", "2147483648", "many", "1.0"})
    void aPerRequesterCapOutOfRangeIsRefused(String cap) {
        assertEquals(Set.of(ProxySettings.MAX_PER_REQUESTER),
                problemsOf("svc", withTarget(ProxySettings.MAX_PER_REQUESTER, cap)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1000001", "4294967297", "lots"})
    void aProxyCapOutOfRangeIsRefused(String cap) {
        assertEquals(Set.of(ProxySettings.MAX_OUTSTANDING),
                problemsOf("svc", withTarget(ProxySettings.MAX_OUTSTANDING, cap)));
    }

    @Test
    void theCapBoundsAreAccepted() throws Exception {
        ProxySettings lowest = parse("svc", withTarget(ProxySettings.MAX_PER_REQUESTER, "1",
                ProxySettings.MAX_OUTSTANDING, "1"));
        assertEquals(1, lowest.maxPerRequester());
        assertEquals(1, lowest.maxOutstanding());

        ProxySettings highest = parse("svc", withTarget(ProxySettings.MAX_PER_REQUESTER, "100000",
                ProxySettings.MAX_OUTSTANDING, "1000000"));
        assertEquals(100_000, highest.maxPerRequester());
        assertEquals(1_000_000, highest.maxOutstanding());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "truee"})
    void enabledMustBeTrueOrFalse(String enabled) {
        assertEquals(Set.of(ProxySettings.ENABLED), problemsOf("svc", withTarget(ProxySettings.ENABLED, enabled)));
    }

    @Test
    void enabledIsCaseInsensitive() throws Exception {
        assertTrue(parse("svc", withTarget(ProxySettings.ENABLED, "TRUE")).enabled());
        assertFalse(parse("svc", withTarget(ProxySettings.ENABLED, "False")).enabled());
    }

    @Test
    void toPropertiesThenParseGivesTheSameSettings() throws Exception {
        AccessRule rule = AccessRule.parse("local, Bob@Example.net, example.com, group:Ops team");
        for (Strategy strategy : Strategy.values()) {
            ProxySettings original = new ProxySettings("round-trip", new JID("impl@example.net"), strategy,
                    Duration.ofMillis(1234), Duration.ofMillis(789), 3, 456, false, rule);

            Map<String, String> properties = original.toProperties();
            ProxySettings parsed = ProxySettings.parse("round-trip", properties::get);

            assertEquals(original, parsed);
            assertEquals(properties, parsed.toProperties());
            assertFalse(properties.containsKey(ProxySettings.SUBDOMAIN), "the subdomain is not a property");
        }
    }

    @Test
    void parsedDefaultsRoundTripToo() throws Exception {
        ProxySettings defaults = parse("svc", withTarget());
        assertEquals(defaults, ProxySettings.parse("svc", defaults.toProperties()::get));
        assertEquals(ProxySettings.KEYS, List.copyOf(defaults.toProperties().keySet()));
    }

    @Test
    void everyoneMayUseAProxyUnlessAllowSaysOtherwise() throws Exception {
        assertSame(AccessRule.EVERYONE, parse("svc", withTarget()).allow());
        assertSame(AccessRule.EVERYONE, parse("svc", withTarget(ProxySettings.ALLOW, " ")).allow());
        assertEquals("local, bob@example.org",
                parse("svc", withTarget(ProxySettings.ALLOW, "local,bob@example.org")).allow().toString());
    }

    @Test
    void allowIsWrittenInItsCanonicalForm() throws Exception {
        assertEquals("everyone", parse("svc", withTarget()).toProperties().get(ProxySettings.ALLOW));
        assertEquals("local", parse("svc", withTarget(ProxySettings.ALLOW, "LOCAL")).toProperties().get(ProxySettings.ALLOW));
    }

    @Test
    void anInvalidAllowEntryIsAProblemThatNamesTheEntry() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> parse("svc", withTarget(ProxySettings.ALLOW, "local, bob@example.org/phone")));
        assertEquals(Set.of(ProxySettings.ALLOW), e.problems().keySet());
        assertTrue(e.problems().get(ProxySettings.ALLOW).contains("'bob@example.org/phone'"), e.getMessage());
    }
}
