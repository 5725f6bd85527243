package org.clientproxy.openfire.admin;

import static org.clientproxy.openfire.admin.AdminFixture.get;
import static org.clientproxy.openfire.admin.AdminFixture.lines;
import static org.clientproxy.openfire.admin.AdminFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyEditPageTest {
    private final AdminFixture openfire = new AdminFixture();

    private static final String[] VALID = {"subdomain", "svc", "target", "impl@example.org", "strategy", "round-robin",
            "timeoutMillis", "5000", "maxPerRequester", "10", "maxOutstanding", "500", "enabled", "true"};

    @AfterEach
    void close() {
        openfire.close();
    }

    private ProxyEditPage page(HttpServletRequest request) {
        return openfire.handle(new ProxyEditPage(openfire.plugin, openfire.webManager, request));
    }

    /** The boxes of the proxies table the browser goes to after the redirect. */
    private List<String> shownNext() {
        ProxiesPage next = openfire.handle(new ProxiesPage(openfire.plugin, openfire.webManager, get()));
        List<String> shown = new ArrayList<>(lines(next.getSuccesses()));
        shown.addAll(lines(next.getWarnings()));
        return shown;
    }

    private static String[] with(String... more) {
        String[] all = new String[VALID.length + more.length];
        System.arraycopy(VALID, 0, all, 0, VALID.length);
        System.arraycopy(more, 0, all, VALID.length, more.length);
        return all;
    }

    @Test
    void withoutASubdomainItOffersAnEmptyFormWithTheDefaults() {
        ProxyEditPage page = page(get());

        assertNull(page.getRedirect());
        assertFalse(page.getForm().isEditing());
        assertEquals("30000", page.getForm().getValues().get("timeoutMillis"));
        assertEquals("example.org", page.getDomain());
        assertEquals(List.of("random", "round-robin", "least-outstanding", "sticky"), page.getStrategies());
        assertEquals(List.of(), page.getErrors());
    }

    @Test
    void aConfiguredProxyOpensWithItsValues() {
        openfire.saved("svc", "impl@example.org");

        ProxyEditPage page = page(get("subdomain", "svc"));

        assertTrue(page.getForm().isEditing());
        assertEquals("impl@example.org", page.getForm().getTarget());
    }

    @Test
    void anUnknownProxyOpensTheAddFormWithAnError() {
        ProxyEditPage page = page(get("subdomain", "nope"));

        assertFalse(page.getForm().isEditing());
        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"), lines(page.getErrors()));
    }

    @Test
    void aValidNewProxyIsSavedLoggedAppliedAndTheBrowserRedirected() {
        ProxyEditPage page = page(post(VALID));

        assertEquals("client-proxy.jsp", page.getRedirect());
        assertEquals(List.of("clientproxy.success.added[svc.example.org]"), shownNext());
        assertEquals("svc", openfire.properties.get("plugin.clientproxy.proxies"));
        assertEquals("round-robin", openfire.properties.get("plugin.clientproxy.proxy.svc.strategy"));
        assertEquals(1, openfire.applied);
        assertEquals(1, openfire.audit.size());
        assertTrue(openfire.audit.get(0).startsWith("Added client proxy svc.example.org | target=impl@example.org"));
    }

    @Test
    void anEditedProxyRedirectsWithTheSavedFlagAndItsNewSubdomain() {
        openfire.saved("old", "impl@example.org");

        ProxyEditPage page = page(post(with("original", "old")));

        assertEquals("client-proxy.jsp", page.getRedirect());
        assertEquals(List.of("clientproxy.success.saved[svc.example.org]"), shownNext());
        assertEquals("svc", openfire.properties.get("plugin.clientproxy.proxies"));
    }

    @Test
    void aChangeStillBeingAppliedIsFlagged() {
        openfire.apply = CompletableFuture::new;

        assertEquals("client-proxy.jsp", page(post(VALID)).getRedirect());
        assertEquals(List.of("clientproxy.success.added[svc.example.org]", "clientproxy.warning.pending"), shownNext());
    }

    @Test
    void anInvalidFormComesBackAsTypedWithEveryProblemNamedAndNothingSaved() {
        ProxyEditPage page = page(post("subdomain", "Bad Name", "target", "impl@example.org/res", "strategy", "round-robin",
                "timeoutMillis", "soon", "maxPerRequester", "10", "maxOutstanding", "500"));

        assertNull(page.getRedirect());
        assertEquals("Bad Name", page.getForm().getSubdomain());
        assertEquals("soon", page.getForm().getValues().get("timeoutMillis"));
        assertFalse(page.getForm().isEnabled());
        assertEquals(List.of("subdomain: clientproxy.error.subdomain.invalid",
                "target: clientproxy.error.target.resource[res]",
                "timeoutMillis: clientproxy.error.range[100, 3600000]"), lines(page.getErrors()));
        assertEquals(List.of("subdomain", "target", "timeoutMillis"), List.copyOf(page.getForm().getErrors().keySet()));
        assertEquals(List.of(), openfire.writes);
        assertEquals(0, openfire.applied);
        assertEquals(List.of(), openfire.audit);
    }

    @Test
    void warningsAreShownWithTheErrorsOfARefusedForm() {
        ProxyEditPage page = page(post("subdomain", "svc", "target", "nobody@example.org", "timeoutMillis", "1"));

        assertEquals(List.of("clientproxy.warning.unknown-user[nobody@example.org]"), lines(page.getWarnings()));
        assertEquals(1, page.getErrors().size());
    }

    @Test
    void aValidFormWithAWarningIsSaved() {
        ProxyEditPage page = page(post("subdomain", "svc", "target", "nobody@example.org"));

        assertEquals("client-proxy.jsp", page.getRedirect());
        assertEquals("nobody@example.org", openfire.properties.get("plugin.clientproxy.proxy.svc.target"));
    }

    @Test
    void aFormForAProxyRemovedMeanwhileIsNotSaved() {
        ProxyEditPage page = page(post(with("original", "gone")));

        assertNull(page.getRedirect());
        assertEquals(List.of("clientproxy.error.gone[gone.example.org]"), lines(page.getErrors()));
        assertEquals(List.of(), openfire.writes);
    }
}
