package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class EditPageTest {
    private final FakeBackend backend = new FakeBackend();
    private final MemoryPropertyStore store = new MemoryPropertyStore();
    private final RecordingAudit audit = new RecordingAudit();
    private final ProxyConfiguration configuration = new ProxyConfiguration(store);
    private final EditPage page = new EditPage(backend, configuration,
            new ProxyFormValidator(backend, username -> username.equals("impl")),
            new ProxyAdministration(backend, configuration, audit, Duration.ofMillis(200)));

    private static final String[] VALID = {"subdomain", "svc", "target", "impl@example.org", "strategy", "round-robin",
            "timeoutMillis", "5000", "maxPerRequester", "10", "maxOutstanding", "500", "enabled", "true"};

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private void configured(String subdomain, String target) {
        String list = store.values.get("plugin.clientproxy.proxies");
        store.values.put("plugin.clientproxy.proxies", list == null ? subdomain : list + "," + subdomain);
        store.values.put("plugin.clientproxy.proxy." + subdomain + ".target", target);
    }

    private static List<String> lines(List<Notice> notices) {
        return notices.stream().map(Notice::toString).toList();
    }

    @Test
    void withoutASubdomainItOffersAnEmptyFormWithTheDefaults() {
        PageResult<EditModel> result = page.handle(Requests.get());

        assertFalse(result.isRedirect());
        PageView<EditModel> view = result.getView();
        assertFalse(view.getModel().getForm().isEditing());
        assertEquals("30000", view.getModel().getForm().getTimeoutMillis());
        assertEquals("example.org", view.getModel().getDomain());
        assertEquals(List.of("random", "round-robin", "least-outstanding", "sticky"), view.getModel().getStrategies());
        assertEquals(Requests.TOKEN, view.getCsrf());
        assertEquals(List.of(), view.getErrors());
    }

    @Test
    void aConfiguredProxyOpensWithItsValues() {
        configured("svc", "impl@example.org");

        EditModel model = page.handle(Requests.get("subdomain", "svc")).getView().getModel();

        assertTrue(model.getForm().isEditing());
        assertEquals("svc", model.getForm().getOriginal());
        assertEquals("impl@example.org", model.getForm().getTarget());
    }

    @Test
    void anUnknownProxyOpensTheAddFormWithAnError() {
        PageView<EditModel> view = page.handle(Requests.get("subdomain", "nope")).getView();

        assertFalse(view.getModel().getForm().isEditing());
        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"), lines(view.getErrors()));
    }

    @Test
    void aValidNewProxyIsSavedLoggedAppliedAndTheBrowserRedirected() {
        PageResult<EditModel> result = page.handle(Requests.post(VALID));

        assertTrue(result.isRedirect());
        assertEquals("client-proxy.jsp?success=added&subdomain=svc", result.getRedirect());
        assertEquals("svc", store.values.get("plugin.clientproxy.proxies"));
        assertEquals("round-robin", store.values.get("plugin.clientproxy.proxy.svc.strategy"));
        assertEquals("5000", store.values.get("plugin.clientproxy.proxy.svc.timeoutMillis"));
        assertEquals(1, audit.events.size());
        assertEquals(1, backend.applied);
    }

    @Test
    void anEditedProxyRedirectsWithTheSavedFlagAndItsNewSubdomain() {
        configured("svc", "impl@example.org");

        PageResult<EditModel> result = page.handle(Requests.post(with(VALID, "original", "svc", "subdomain", "Moved")));

        assertEquals("client-proxy.jsp?success=saved&subdomain=moved", result.getRedirect());
        assertEquals("moved", store.values.get("plugin.clientproxy.proxies"));
    }

    @Test
    void aChangeStillBeingAppliedIsFlagged() {
        backend.apply = CompletableFuture::new;

        PageResult<EditModel> result = page.handle(Requests.post(VALID));

        assertEquals("client-proxy.jsp?success=added&subdomain=svc&pending=true", result.getRedirect());
    }

    @Test
    void anInvalidFormComesBackAsTypedWithEveryProblemNamedAndNothingSaved() {
        backend.takenByOthers.add("proxy");

        PageResult<EditModel> result = page.handle(Requests.post(with(VALID, "subdomain", "proxy",
                "target", "<script>alert(1)</script>", "timeoutMillis", "soon")));

        assertFalse(result.isRedirect());
        PageView<EditModel> view = result.getView();
        assertEquals(List.of(
                "subdomain: clientproxy.error.subdomain.taken[proxy.example.org]",
                "target: clientproxy.error.target.invalid",
                "timeoutMillis: clientproxy.error.range[100, 3600000]"), lines(view.getErrors()));
        assertEquals("clientproxy.field.target", view.getErrors().get(1).getFieldKey());
        ProxyForm form = view.getModel().getForm();
        assertEquals("proxy", form.getSubdomain());
        assertEquals("<script>alert(1)</script>", form.getTarget());
        assertEquals("soon", form.getTimeoutMillis());
        assertEquals("round-robin", form.getStrategy());
        assertEquals(Set.of("subdomain", "target", "timeoutMillis"), view.getModel().getInvalidFields());
        assertEquals(List.of(), store.changes);
        assertEquals(List.of(), audit.events);
        assertEquals(0, backend.applied);
    }

    @Test
    void warningsAreShownWithTheErrorsOfARefusedForm() {
        PageView<EditModel> view = page.handle(Requests.post(with(VALID, "target", "ghost@example.org",
                "maxOutstanding", "0"))).getView();

        assertEquals(List.of("clientproxy.warning.unknown-user[ghost@example.org]"), lines(view.getWarnings()));
    }

    @Test
    void aValidFormWithAWarningIsSaved() {
        PageResult<EditModel> result = page.handle(Requests.post(with(VALID, "target", "ghost@example.org")));

        assertTrue(result.isRedirect());
        assertEquals("ghost@example.org", store.values.get("plugin.clientproxy.proxy.svc.target"));
    }

    @Test
    void aFormWithoutAValidCsrfTokenIsShownAgainUnsaved() {
        PageResult<EditModel> result = page.handle(Requests.forgedPost(VALID));

        assertFalse(result.isRedirect());
        assertEquals(List.of("clientproxy.error.csrf"), lines(result.getView().getErrors()));
        assertEquals("svc", result.getView().getModel().getForm().getSubdomain(), "what was typed is kept");
        assertEquals(List.of(), store.changes);
        assertEquals(List.of(), audit.events);
    }

    @Test
    void aFormForAProxyRemovedMeanwhileIsNotSaved() {
        PageView<EditModel> view = page.handle(Requests.post(with(VALID, "original", "gone"))).getView();

        assertEquals(List.of("clientproxy.error.gone[gone.example.org]"), lines(view.getErrors()));
        assertEquals(null, view.getErrors().get(0).getField(), "about the form, not a field");
        assertEquals(Map.of(), store.values);
    }
}
