package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.Strategy;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

class ProxyFormValidatorTest {
    private final FakeBackend backend = new FakeBackend();
    private final Set<String> users = new java.util.HashSet<>(Set.of("impl"));
    private final List<String> lookedUp = new ArrayList<>();
    private final ProxyFormValidator validator = new ProxyFormValidator(backend, username -> {
        lookedUp.add(username);
        return users.contains(username);
    });

    private static ProxyForm form(String... keyValues) {
        Map<String, String> parameters = new HashMap<>(Map.of("subdomain", "svc", "target", "impl@example.org",
                "strategy", "random", "timeoutMillis", "30000", "maxPerRequester", "100", "maxOutstanding", "10000",
                "enabled", "true"));
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                parameters.remove(keyValues[i]);
            } else {
                parameters.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return ProxyForm.fromParameters(parameters::get);
    }

    private FormCheck check(ProxyForm form, String... configured) {
        return validator.check(form, Set.of(configured));
    }

    @Test
    void aCompleteFormGivesTheSettingsToSave() {
        FormCheck check = check(form("subdomain", " Svc ", "strategy", "least-outstanding", "timeoutMillis", "2500",
                "maxPerRequester", "5", "maxOutstanding", "50", "enabled", null));

        assertTrue(check.isValid(), () -> check.getErrors().toString());
        assertEquals(List.of(), check.getWarnings());
        ProxySettings settings = check.settings();
        assertEquals("svc", settings.subdomain(), "trimmed and lowercased");
        assertEquals(new JID("impl@example.org"), settings.target());
        assertEquals(Strategy.LEAST_OUTSTANDING, settings.strategy());
        assertEquals(Duration.ofMillis(2500), settings.timeout());
        assertEquals(5, settings.maxPerRequester());
        assertEquals(50, settings.maxOutstanding());
        assertFalse(settings.enabled());
    }

    @Test
    void everyWrongValueIsNamedByItsFieldInFormOrderAndNothingIsToBeSaved() {
        FormCheck check = check(form("subdomain", "-bad-", "target", "", "strategy", "fastest",
                "timeoutMillis", "99", "maxPerRequester", "0", "maxOutstanding", "1000001"));

        assertFalse(check.isValid());
        assertNull(check.settings());
        assertEquals(List.of("subdomain", "target", "strategy", "timeoutMillis", "maxPerRequester", "maxOutstanding"),
                List.copyOf(check.getErrors().keySet()));
        assertEquals(AdminMessage.of("clientproxy.error.subdomain.invalid"), check.getErrors().get("subdomain"));
        assertEquals(AdminMessage.of("clientproxy.error.target.required"), check.getErrors().get("target"));
        assertEquals(AdminMessage.of("clientproxy.error.strategy.invalid"), check.getErrors().get("strategy"));
        assertEquals(AdminMessage.of("clientproxy.error.range", 100L, 3_600_000L), check.getErrors().get("timeoutMillis"));
        assertEquals(AdminMessage.of("clientproxy.error.range", 1, 100_000), check.getErrors().get("maxPerRequester"));
        assertEquals(AdminMessage.of("clientproxy.error.range", 1, 1_000_000), check.getErrors().get("maxOutstanding"));
        assertEquals(check.getErrors().keySet(), check.getInvalidFields());
    }

    @Test
    void theTargetMustBeABareJidWithALocalPart() {
        for (String target : List.of("impl@example.org/desk", "example.org", "a@b@c", "<b>x</b>@example.org")) {
            FormCheck check = check(form("target", target));
            assertEquals(AdminMessage.of("clientproxy.error.target.invalid"), check.getErrors().get("target"), target);
        }
    }

    @Test
    void aSubdomainOfAnotherProxyIsRefused() {
        FormCheck check = check(form("subdomain", "other"), "svc", "other");

        assertEquals(AdminMessage.of("clientproxy.error.subdomain.duplicate", "other.example.org"),
                check.getErrors().get("subdomain"));
    }

    @Test
    void aSubdomainTakenByAnotherServiceIsRefused() {
        backend.takenByOthers.add("proxy");

        FormCheck check = check(form("subdomain", "proxy"));

        assertEquals(AdminMessage.of("clientproxy.error.subdomain.taken", "proxy.example.org"),
                check.getErrors().get("subdomain"));
    }

    @Test
    void editingAProxyKeepsItsOwnSubdomain() {
        FormCheck check = check(form("original", "svc", "subdomain", "svc", "strategy", "round-robin"), "svc", "other");

        assertTrue(check.isValid(), () -> check.getErrors().toString());
    }

    @Test
    void aProxyWhoseOwnAddressIsTakenCanStillBeEditedWithAWarning() {
        backend.takenByOthers.add("proxy");

        FormCheck check = check(form("original", "proxy", "subdomain", "proxy", "enabled", null), "proxy");

        assertTrue(check.isValid(), () -> check.getErrors().toString());
        assertEquals(List.of(AdminMessage.of("clientproxy.error.subdomain.taken", "proxy.example.org")), check.getWarnings());
    }

    @Test
    void movingAProxyToAnotherProxysSubdomainIsRefused() {
        FormCheck check = check(form("original", "svc", "subdomain", "other"), "svc", "other");

        assertEquals(AdminMessage.of("clientproxy.error.subdomain.duplicate", "other.example.org"),
                check.getErrors().get("subdomain"));
    }

    @Test
    void aProxyRemovedMeanwhileCannotBeSaved() {
        FormCheck check = check(form("original", "gone", "subdomain", "gone"), "svc");

        assertFalse(check.isValid());
        assertEquals(AdminMessage.of("clientproxy.error.gone", "gone.example.org"), check.getErrors().get("form"));
    }

    @Test
    void aTargetOnTheProxysOwnAddressIsRefused() {
        FormCheck check = check(form("target", "impl@svc.example.org"));

        assertEquals(AdminMessage.of("clientproxy.error.target.own-address", "svc.example.org"),
                check.getErrors().get("target"));
    }

    @Test
    void aTargetOnTheOwnAddressIsFoundEvenWhenAnotherFieldIsWrong() {
        FormCheck check = check(form("target", "impl@svc.example.org", "timeoutMillis", "x"));

        assertEquals(Set.of("target", "timeoutMillis"), check.getErrors().keySet());
    }

    @Test
    void aLocalAccountThatDoesNotExistIsOnlyAWarning() {
        FormCheck check = check(form("target", "Ghost@example.org"));

        assertTrue(check.isValid());
        assertEquals(List.of("ghost"), lookedUp, "looked up by its (normalized) username");
        assertEquals(List.of(AdminMessage.of("clientproxy.warning.unknown-user", "ghost@example.org")), check.getWarnings());
    }

    @Test
    void anExistingLocalAccountGivesNoWarning() {
        FormCheck check = check(form("target", "impl@example.org"));

        assertEquals(List.of("impl"), lookedUp);
        assertEquals(List.of(), check.getWarnings());
    }

    @Test
    void aRemoteTargetIsAllowedAndNotLookedUp() {
        FormCheck check = check(form("target", "bot@elsewhere.net"));

        assertTrue(check.isValid());
        assertEquals(List.of(), lookedUp);
        assertEquals(List.of(), check.getWarnings());
        assertEquals(new JID("bot@elsewhere.net"), check.settings().target());
    }
}
