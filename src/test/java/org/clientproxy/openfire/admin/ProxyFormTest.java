package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProxyFormTest {

    @Test
    void aBlankFormOffersTheDefaults() {
        ProxyForm form = ProxyForm.blank();

        assertFalse(form.isEditing());
        assertEquals("", form.getSubdomain());
        assertEquals("", form.getTarget());
        assertEquals("random", form.getStrategy());
        assertEquals("30000", form.getTimeoutMillis());
        assertEquals("100", form.getMaxPerRequester());
        assertEquals("10000", form.getMaxOutstanding());
        assertTrue(form.isEnabled());
    }

    @Test
    void aConfiguredProxyShowsItsRawValuesAndTheDefaultsOfWhatIsUnset() {
        ProxyForm form = ProxyForm.of("svc", Map.of("target", "impl@example.org", "timeoutMillis", "5 seconds",
                "enabled", "FALSE"));

        assertTrue(form.isEditing());
        assertEquals("svc", form.getOriginal());
        assertEquals("svc", form.getSubdomain());
        assertEquals("impl@example.org", form.getTarget());
        assertEquals("5 seconds", form.getTimeoutMillis(), "shown as configured, so it can be corrected");
        assertEquals("random", form.getStrategy());
        assertEquals("100", form.getMaxPerRequester());
        assertFalse(form.isEnabled());
    }

    @Test
    void aSubmittedFormKeepsWhatWasTyped() {
        Map<String, String> parameters = Map.of("subdomain", " SVC ", "target", "<b>x</b>", "strategy", "round-robin",
                "timeoutMillis", "abc", "maxPerRequester", "7", "maxOutstanding", "", "enabled", "true");

        ProxyForm form = ProxyForm.fromParameters(parameters::get);

        assertFalse(form.isEditing());
        assertEquals(" SVC ", form.getSubdomain());
        assertEquals("<b>x</b>", form.getTarget());
        assertEquals("abc", form.getTimeoutMillis());
        assertEquals("", form.getMaxOutstanding());
        assertTrue(form.isEnabled());
        assertEquals("abc", form.setting("timeoutMillis"));
        assertEquals("true", form.setting("enabled"));
    }

    @Test
    void anUntickedCheckboxSendsNothingAndMeansDisabled() {
        Map<String, String> parameters = Map.of("original", "svc", "subdomain", "svc", "target", "impl@example.org");

        ProxyForm form = ProxyForm.fromParameters(parameters::get);

        assertTrue(form.isEditing());
        assertFalse(form.isEnabled());
        assertEquals("false", form.setting("enabled"));
    }

    @Test
    void aBlankOriginalMeansAddingAndMissingValuesAreEmpty() {
        Map<String, String> parameters = Map.of("original", " ");

        ProxyForm form = ProxyForm.fromParameters(parameters::get);

        assertFalse(form.isEditing());
        assertNull(form.getOriginal());
        assertEquals("", form.getTarget());
        assertEquals("", form.getStrategy());
    }
}
