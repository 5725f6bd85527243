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
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.Strategy;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

class ProxyFormTest {
    private final Set<String> taken = new HashSet<>();
    private final Set<String> accounts = new HashSet<>(Set.of("impl"));
    private final List<String> lookedUp = new ArrayList<>();

    private static Map<String, String> valid() {
        Map<String, String> values = new HashMap<>(Map.of("subdomain", "svc", "target", "impl@example.org",
                "strategy", "round-robin", "timeoutMillis", "5000", "maxPerRequester", "10", "maxOutstanding", "500",
                "enabled", "true"));
        return values;
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
                "maxPerRequester", "100", "maxOutstanding", "10000", "enabled", "true"), form.getValues());
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
        Map<String, String> values = valid();
        values.put("original", "old");
        values.put("subdomain", " SVC ");
        values.put("timeoutMillis", "soon");

        ProxyForm form = form(values);

        assertEquals("old", form.getOriginal());
        assertEquals(" SVC ", form.getSubdomain());
        assertEquals("soon", form.getValues().get("timeoutMillis"));
    }

    @Test
    void anUntickedCheckboxSendsNothingAndMeansDisabledAndABlankOriginalMeansAdding() {
        Map<String, String> values = valid();
        values.remove("enabled");
        values.put("original", " ");
        values.remove("target");

        ProxyForm form = form(values);

        assertFalse(form.isEnabled());
        assertFalse(form.isEditing());
        assertEquals("", form.getTarget());
    }

    @Test
    void aCompleteFormGivesTheSettingsToSaveWithTheSubdomainInLowercase() {
        Map<String, String> values = valid();
        values.put("subdomain", " Svc ");

        ProxySettings settings = check(form(values));

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
            Map<String, String> values = valid();
            values.put("target", target);
            ProxyForm form = form(values);
            assertNull(check(form));
            assertEquals(List.of("target: clientproxy.error.target.invalid"), errors(form), target);
        }
        Map<String, String> values = valid();
        values.put("target", "impl@example.org/worker");
        ProxyForm form = form(values);
        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.resource[worker]"), errors(form));
    }

    @Test
    void aSubdomainOfAnotherProxyIsRefused() {
        ProxyForm form = form(valid());

        assertNull(check(form, "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.duplicate[svc.example.org]"), errors(form));
    }

    @Test
    void aSubdomainTakenByAnotherServiceIsRefused() {
        taken.add("svc");
        ProxyForm form = form(valid());

        assertNull(check(form));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.taken[svc.example.org]"), errors(form));
    }

    @Test
    void theAddressesOfOpenfiresOwnServicesAreRefusedEvenWhileTheServiceIsOffAndNamed() {
        for (String reserved : List.of("proxy", "search", "conference", "pubsub")) {
            Map<String, String> values = valid();
            values.put("subdomain", reserved);
            ProxyForm form = form(values);
            assertNull(check(form), reserved);
            assertEquals(List.of("subdomain: clientproxy.error.subdomain.reserved." + reserved + "[" + reserved + ".example.org]"),
                    errors(form));
        }
    }

    @Test
    void editingAProxyKeepsItsOwnSubdomain() {
        Map<String, String> values = valid();
        values.put("original", "svc");
        ProxyForm form = form(values);

        assertNotNull(check(form, "svc"));
        assertEquals(List.of(), form.getWarnings());
    }

    @Test
    void aProxyWhoseOwnAddressIsTakenCanStillBeEditedWithAWarning() {
        taken.add("svc");
        Map<String, String> values = valid();
        values.put("original", "svc");
        ProxyForm form = form(values);

        assertNotNull(check(form, "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.taken[svc.example.org]"),
                AdminFixture.lines(form.getWarnings()));
    }

    @Test
    void movingAProxyToAnotherProxysSubdomainIsRefused() {
        Map<String, String> values = valid();
        values.put("original", "old");
        ProxyForm form = form(values);

        assertNull(check(form, "old", "svc"));
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.duplicate[svc.example.org]"), errors(form));
    }

    @Test
    void aProxyRemovedMeanwhileCannotBeSaved() {
        Map<String, String> values = valid();
        values.put("original", "gone");
        ProxyForm form = form(values);

        assertNull(check(form));
        assertEquals(List.of("clientproxy.error.gone[gone.example.org]"), errors(form));
    }

    @Test
    void aTargetOnTheProxysOwnAddressIsRefused() {
        Map<String, String> values = valid();
        values.put("target", "loop@svc.example.org");
        ProxyForm form = form(values);

        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.own-address[svc.example.org]"), errors(form));
    }

    @Test
    void aTargetOnTheOwnAddressIsFoundEvenWhenAnotherFieldIsWrong() {
        Map<String, String> values = valid();
        values.put("target", "loop@svc.example.org");
        values.put("timeoutMillis", "x");
        ProxyForm form = form(values);

        assertNull(check(form));
        assertEquals(List.of("target: clientproxy.error.target.own-address[svc.example.org]",
                "timeoutMillis: clientproxy.error.range[100, 3600000]"), errors(form), "in form order");
    }

    @Test
    void aLocalAccountThatDoesNotExistIsOnlyAWarningWithoutAnyWordOfApproval() {
        Map<String, String> values = valid();
        values.put("target", "nobody@example.org");
        ProxyForm form = form(values);

        assertNotNull(check(form));
        assertEquals(List.of("clientproxy.warning.unknown-user[nobody@example.org]"), AdminFixture.lines(form.getWarnings()));
    }

    @Test
    void anExistingLocalAccountGivesNoWarningAndARemoteOneIsNotLookedUp() {
        ProxyForm local = form(valid());
        assertNotNull(check(local));
        assertEquals(List.of(), local.getWarnings());
        assertEquals(List.of("impl"), lookedUp);

        Map<String, String> values = valid();
        values.put("target", "svc@elsewhere.net");
        ProxyForm remote = form(values);
        assertNotNull(check(remote));
        assertEquals(List.of(), remote.getWarnings());
        assertEquals(List.of("impl"), lookedUp, "a remote account is not looked up");
    }
}
