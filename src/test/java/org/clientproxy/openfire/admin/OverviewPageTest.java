package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class OverviewPageTest {
    private final FakeBackend backend = new FakeBackend();
    private final MemoryPropertyStore store = new MemoryPropertyStore();
    private final RecordingAudit audit = new RecordingAudit();
    private final TestProxies proxies = new TestProxies();
    private final OverviewPage page = new OverviewPage(backend,
            new ProxyAdministration(backend, new ProxyConfiguration(store), audit, Duration.ofMillis(200)),
            username -> true);

    private static List<String> lines(List<Notice> notices) {
        return notices.stream().map(Notice::toString).toList();
    }

    private void configured(String subdomain) {
        store.values.put("plugin.clientproxy.proxies", subdomain);
        store.values.put("plugin.clientproxy.proxy." + subdomain + ".target", "impl@example.org");
        backend.states.add(proxies.running(subdomain, "impl@example.org"));
    }

    @Test
    void listsTheProxies() {
        configured("svc");

        PageView<ProxyOverview> view = page.handle(Requests.get()).getView();

        assertTrue(view.isPluginLoaded());
        assertEquals(List.of("svc.example.org"), view.getModel().getProxies().stream().map(ProxyRow::getAddress).toList());
        assertEquals(Requests.TOKEN, view.getCsrf());
        assertEquals(List.of(), view.getSuccesses());
    }

    @Test
    void aRedirectAfterAChangeShowsTheSuccessBox() {
        PageView<ProxyOverview> view = page.handle(Requests.get("success", "added", "subdomain", "svc")).getView();

        assertEquals(List.of("clientproxy.success.added[svc.example.org]"), lines(view.getSuccesses()));
        assertEquals(List.of(), view.getWarnings());
    }

    @Test
    void aChangeStillBeingAppliedAddsAWarning() {
        PageView<ProxyOverview> view = page.handle(Requests.get("success", "saved", "subdomain", "svc",
                "pending", "true")).getView();

        assertEquals(List.of("clientproxy.success.saved[svc.example.org]"), lines(view.getSuccesses()));
        assertEquals(List.of("clientproxy.warning.pending"), lines(view.getWarnings()));
    }

    @Test
    void onlyKnownFlagsAndPlausibleSubdomainsAreRepeatedFromTheUrl() {
        assertEquals(List.of(), page.handle(Requests.get("success", "hacked", "subdomain", "svc")).getView().getSuccesses());
        assertEquals(List.of(), page.handle(Requests.get("success", "added", "subdomain", "<b>x</b>")).getView()
                .getSuccesses());
        assertEquals(List.of(), page.handle(Requests.get("success", "resubscribed", "subdomain", "svc")).getView()
                .getSuccesses(), "a flag of another page");
    }

    @Test
    void removingAProxyRedirectsWithTheRemovedFlag() {
        configured("svc");

        PageResult<ProxyOverview> result = page.handle(Requests.post("action", "remove", "subdomain", "svc"));

        assertEquals("client-proxy.jsp?success=removed&subdomain=svc", result.getRedirect());
        assertFalse(store.values.containsKey("plugin.clientproxy.proxies"));
        assertEquals(List.of("Removed client proxy svc.example.org | subdomain=svc"), audit.events);
    }

    @Test
    void aForgedRemovalChangesNothing() {
        configured("svc");

        PageResult<ProxyOverview> result = page.handle(Requests.forgedPost("action", "remove", "subdomain", "svc"));

        assertFalse(result.isRedirect());
        assertEquals(List.of("clientproxy.error.csrf"), lines(result.getView().getErrors()));
        assertEquals("svc", store.values.get("plugin.clientproxy.proxies"));
        assertEquals(List.of(), audit.events);
    }

    @Test
    void removingAnUnknownProxyOrAnUnknownActionIsAnError() {
        configured("svc");

        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"),
                lines(page.handle(Requests.post("action", "remove", "subdomain", "nope")).getView().getErrors()));
        assertEquals(List.of("clientproxy.error.bad-request"),
                lines(page.handle(Requests.post("action", "explode", "subdomain", "svc")).getView().getErrors()));
        assertEquals(List.of(), store.changes);
    }

    @Test
    void anErrorOpenfireLeftForThePageIsShown() {
        AdminRequest request = new AdminRequest(false, Requests.map(), false, Requests.TOKEN, "CSRF Error: No changes made");

        PageView<ProxyOverview> view = page.handle(request).getView();

        assertEquals(1, view.getErrors().size());
        assertEquals("CSRF Error: No changes made", view.getErrors().get(0).getText());
    }
}
