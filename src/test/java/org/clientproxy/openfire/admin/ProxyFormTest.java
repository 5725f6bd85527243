package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.Strategy;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

class ProxyFormTest {
    private final Set<String> taken = new HashSet<>();
    private final Set<String> accounts = new HashSet<>(Set.of("impl"));
    private final List<String> lookedUp = new ArrayList<>();

    /** A complete, valid form with these fields changed ({@code null}: not sent). */
    private static ProxyForm valid(String... changes) {
        Map<String, String> values = new HashMap<>(Map.of("subdomain", "svc", "target", "impl@example.org",
                "strategy", "round-robin", "timeoutMillis", "5000", "maxPerRequester", "10", "maxOutstanding", "500",
                "enabled", "true"));
        for (int i = 0; i < changes.length; i += 2) {
            values.put(changes[i], changes[i + 1]);
        }
        values.values().removeIf(Objects::isNull);
        return form(values);
    }

    private static ProxyForm form(Map<String, String> values) {
        return ProxyForm.submitted(values::get);
    }

    private ProxySettings check(ProxyForm form, String... configured) {
        return form.check(Set.of(configured), "example.org", taken::contains, username -> {
            lookedUp.add(username);
            return accounts.contains(username);
        });
    }

    private static List<String> errors(ProxyForm form) {
        return AdminFixture.lines(List.copyOf(form.getErrors().values()));
    }

    @Test
    void aBlankFormOffersTheDefaults() {
        ProxyForm form = ProxyForm.blank();

        assertFalse(form.isEditing());
        assertEquals(Map.of("subdomain", "", "target", "", "strategy", "random", "timeoutMillis", "30000",
                "unresponsiveMillis", "5000", "maxPerRequester", "100", "maxOutstanding", "10000", "allow", "everyone",
                "enabled", "true"), form.getValues());
        assertTrue(form.isEnabled());
    }

    @Test
    void aConfiguredProxyShowsItsRawValuesAndTheDefaultsOfWhatIsUnset() {
        ProxyForm form = ProxyForm.of("svc", Map.of("target", "impl@example.org", "timeoutMillis", "oops", "enabled", "FALSE"));

        assertTrue(form.isEditing());
        assertEquals("svc", form.getOriginal());
        assertEquals("svc", form.getSubdomain());
        assertEquals("oops", form.getValues().get("timeoutMillis"));
        assertEquals("random", form.getValues().get("strategy"));
        assertFalse(form.isEnabled());
    }

    @Test
    void aSubmittedFormKeepsWhatWasTyped() {
        ProxyForm form = valid("original", "old", "subdomain", " SVC ", "timeoutMillis", "soon");

        assertEquals("old", form.getOriginal());
        assertEquals(" SVC ", form.getSubdomain());
        assertEquals("soon", form.getValues().get("timeoutMillis"));
    }

    @Test
    void anUntickedCheckboxSendsNothingAndMeansDisabledAndABlankOriginalMeansAdding() {
        ProxyForm form = valid("enabled", null, "original", " ", "target", null);

        assertFalse(form.isEnabled());
        assertFalse(form.isEditing());
        assertEquals("", form.getTarget());
    }

    @Test
    void aCompleteFormGivesTheSettingsToSaveWithTheSubdomainInLowercase() {
        ProxySettings settings = check(valid("subdomain", " Svc "));

        assertNotNull(settings);
        assertEquals("svc", settings.subdomain());
        assertEquals(new JID("impl@example.org"), settings.target());
        assertEquals(Strategy.ROUND_ROBIN, settings.strategy());
        assertEquals(Duration.ofMillis(5000), settings.timeout());
        assertEquals(10, settings.maxPerRequester());
        assertEquals(500, settings.maxOutstanding());
        assertTrue(settings.enabled());
    }

    @Test
    void everyWrongValueIsNamedByItsFieldInFormOrderAndNothingIsToBeSaved() {
        ProxyForm form = form(Map.of("subdomain", "-bad-", "target", "", "strategy", "fastest", "timeoutMillis", "5",
                "maxPerRequester", "many", "maxOutstanding", "0"));

        assertNull(check(form));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.invalid",
                "target: clientproxy.error.target.required",
                "strategy: clientproxy.error.strategy.invalid",
                "timeoutMillis: clientproxy.error.range[100, 3600000]",
                "maxPerRequester: clientproxy.error.range[1, 100000]",
                "maxOutstanding: clientproxy.error.range[1, 1000000]"), errors(form));
    }

    @Test
    void theTargetMustBeABareJidWithALocalPartAndAResourceIsNamed() {
        for (String target : List.of("example.org", "not a jid@@")) {
            ProxyForm form = valid("target", target);
            assertNull(check(form));
            assertEquals(List.of("target: clientproxy.error.target.invalid"), errors(form), target);
        }
        ProxyForm form = valid("target", "impl@example.org/worker");
        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.resource[worker]"), errors(form));
    }

    @Test
    void aSubdomainOfAnotherProxyIsRefused() {
        ProxyForm form = valid();

        assertNull(check(form, "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.duplicate[svc.example.org]"), errors(form));
    }

    @Test
    void aSubdomainTakenByAnotherServiceIsRefused() {
        taken.add("svc");
        ProxyForm form = valid();

        assertNull(check(form));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.taken[svc.example.org]"), errors(form));
    }

    @Test
    void theAddressesOfOpenfiresOwnServicesAreRefusedEvenWhileTheServiceIsOffAndNamed() {
        for (String reserved : List.of("proxy", "search", "conference", "pubsub")) {
            ProxyForm form = valid("subdomain", reserved);
            assertNull(check(form), reserved);
            assertEquals(List.of("subdomain: clientproxy.error.subdomain.reserved." + reserved + "[" + reserved + ".example.org]"),
                    errors(form));
        }
    }

    @Test
    void editingAProxyKeepsItsOwnSubdomain() {
        ProxyForm form = valid("original", "svc");

        assertNotNull(check(form, "svc"));
        assertEquals(List.of(), form.getWarnings());
    }

    @Test
    void aProxyWhoseOwnAddressIsTakenCanStillBeEditedWithAWarning() {
        taken.add("svc");
        ProxyForm form = valid("original", "svc");

        assertNotNull(check(form, "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.taken[svc.example.org]"),
                AdminFixture.lines(form.getWarnings()));
    }

    @Test
    void movingAProxyToAnotherProxysSubdomainIsRefused() {
        ProxyForm form = valid("original", "old");

        assertNull(check(form, "old", "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.duplicate[svc.example.org]"), errors(form));
    }

    @Test
    void aProxyRemovedMeanwhileCannotBeSaved() {
        ProxyForm form = valid("original", "gone");

        assertNull(check(form));
        assertEquals(List.of("clientproxy.error.gone[gone.example.org]"), errors(form));
    }

    @Test
    void aTargetOnTheProxysOwnAddressIsRefused() {
        ProxyForm form = valid("target", "loop@svc.example.org");

        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.own-address[svc.example.org]"), errors(form));
    }

    @Test
    void aTargetOnTheOwnAddressIsFoundEvenWhenAnotherFieldIsWrong() {
        ProxyForm form = valid("target", "loop@svc.example.org", "timeoutMillis", "x");

        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.own-address[svc.example.org]",
                "timeoutMillis: clientproxy.error.range[100, 3600000]"), errors(form), "in form order");
    }

    @Test
    void aWrongAllowedRequesterIsNamedAndAGoodRuleIsSavedInItsCanonicalForm() {
        ProxyForm wrong = valid("allow", "local, bob@example.org/phone");
        assertNull(check(wrong));
        assertEquals(List.of("allow: clientproxy.error.allow.full-jid[bob@example.org/phone]"), errors(wrong));

        ProxyForm combined = valid("allow", "everyone, local");
        assertNull(check(combined));
        assertEquals(List.of("allow: clientproxy.error.allow.everyone-combined[everyone]"), errors(combined));

        accounts.add("impl");
        ProxySettings saved = check(valid("allow", "LOCAL,group:ops"));
        assertEquals("local, group:ops", saved.toProperties().get("allow"));
    }

    @Test
    void aLocalAccountThatDoesNotExistIsOnlyAWarningWithoutAnyWordOfApproval() {
        ProxyForm form = valid("target", "nobody@example.org");

        assertNotNull(check(form));
        assertEquals(List.of("clientproxy.warning.unknown-user[nobody@example.org]"), AdminFixture.lines(form.getWarnings()));
    }

    @Test
    void anExistingLocalAccountGivesNoWarningAndARemoteOneIsNotLookedUp() {
        ProxyForm local = valid();
        assertNotNull(check(local));
        assertEquals(List.of(), local.getWarnings());
        assertEquals(List.of("impl"), lookedUp);

        ProxyForm remote = valid("target", "svc@elsewhere.net");
        assertNotNull(check(remote));
        assertEquals(List.of(), remote.getWarnings());
        assertEquals(List.of("impl"), lookedUp, "a remote account is not looked up");
    }
}
