package org.clientproxy.openfire.admin;

import static org.clientproxy.openfire.admin.AdminFixture.get;
import static org.clientproxy.openfire.admin.AdminFixture.lines;
import static org.clientproxy.openfire.admin.AdminFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.openfire.ConfiguredProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxiesPageTest {
    private final AdminFixture openfire = new AdminFixture();
    private final TestProxies proxies = new TestProxies();

    @AfterEach
    void close() {
        openfire.close();
    }

    private ProxiesPage page(HttpServletRequest request) {
        return openfire.handle(new ProxiesPage(openfire.plugin, openfire.webManager, request));
    }

    @Test
    void aRunningProxyShowsItsSettingsPresenceAndLoad() {
        ConfiguredProxy svc = proxies.running("svc", Map.of("target", "impl@example.org", "strategy", "round-robin",
                "timeoutMillis", "5000"));
        TestProxies.subscribed(svc);
        TestProxies.online(svc, "impl@example.org/a");
        openfire.states.add(svc);

        ProxiesPage page = page(get());

        assertNull(page.getRedirect());
        ProxyView view = page.getProxies().get(0);
        assertEquals("svc.example.org", view.getAddress());
        assertEquals("impl@example.org", view.getSettings().get("target"));
        assertEquals("round-robin", view.getSettings().get("strategy"));
        assertTrue(view.isStrategyKnown());
        assertEquals("5000", view.getSettings().get("timeoutMillis"));
        assertEquals("100", view.getSettings().get("maxPerRequester"), "the default of what is unset");
        assertEquals("true", view.getSettings().get("enabled"));
        assertTrue(view.isRunning());
        assertEquals("granted", view.getPresence());
        assertEquals(1, view.getResources().size());
        assertEquals(0, view.getOutstanding());
        assertFalse(view.isAccountMissing());
        assertEquals(List.of(), page.getErrors());
    }

    @Test
    void aDisabledProxyShowsItsSettingsAndWhyItDoesNotRun() {
        openfire.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org", "enabled", "false"),
                TestProxies.DISABLED));

        ProxyView view = page(get()).getProxies().get(0);

        assertFalse(view.isRunning());
        assertEquals("false", view.getSettings().get("enabled"));
        assertEquals(List.of("clientproxy.reason.disabled"), lines(view.getReason()));
        assertNull(view.getPresence());
    }

    @Test
    void invalidSettingsAreShownAsTypedWithEachWrongFieldNamed() {
        openfire.states.add(TestProxies.invalid("bad", Map.of("target", "impl@example.org/x", "strategy", "fastest")));

        ProxyView view = page(get()).getProxies().get(0);

        assertEquals("fastest", view.getSettings().get("strategy"));
        assertFalse(view.isStrategyKnown());
        assertEquals(List.of("clientproxy.reason.invalid", "target: clientproxy.error.target.resource[x]",
                "strategy: clientproxy.error.strategy.invalid"), lines(view.getReason()));
        assertEquals("clientproxy.field.target", view.getReason().get(1).getFieldKey());
    }

    @Test
    void aLocalTargetWithoutAnAccountIsFlaggedAndNotShownAsWaitingForApproval() {
        openfire.states.add(proxies.awaitingAccount("svc", "nobody@example.org"));
        openfire.states.add(proxies.running("remote", "svc@elsewhere.net"));

        List<ProxyView> views = page(get()).getProxies();

        assertTrue(views.get(0).isAccountMissing());
        assertEquals("awaiting_account", views.get(0).getPresence());
        assertTrue(views.get(0).isViaRoster());
        assertFalse(views.get(1).isViaRoster());
        assertFalse(views.get(1).isAccountMissing());
        assertEquals("pending", views.get(1).getPresence());
    }

    @Test
    void rowsKeepTheConfigurationOrder() {
        openfire.states.add(proxies.running("b", "impl@example.org"));
        openfire.states.add(proxies.running("a", "impl@example.org"));

        assertEquals(List.of("b", "a"), page(get()).getProxies().stream().map(ProxyView::getSubdomain).toList());
    }

    @Test
    void theOutcomeOfAnActionIsShownOnceByThePageItRedirectedTo() {
        openfire.saved("svc", "impl@example.org");
        assertEquals("client-proxy.jsp", page(post("action", "remove", "subdomain", "svc")).getRedirect());

        ProxiesPage shown = page(get());
        assertEquals(List.of("clientproxy.success.removed[svc.example.org]"), lines(shown.getSuccesses()));
        assertEquals(List.of(), lines(shown.getWarnings()));
        assertEquals(List.of(), page(get()).getSuccesses(), "a reload does not show it again");
    }

    @Test
    void aChangeNotAppliedYetIsShownWithTheWarningThatItIsStillBeingApplied() {
        openfire.saved("svc", "impl@example.org");
        openfire.apply = CompletableFuture::new;
        page(post("action", "remove", "subdomain", "svc"));

        ProxiesPage shown = page(get());
        assertEquals(List.of("clientproxy.success.removed[svc.example.org]"), lines(shown.getSuccesses()));
        assertEquals(List.of("clientproxy.warning.pending"), lines(shown.getWarnings()));
    }

    @Test
    void aLinkCannotPutAMessageOnThePage() {
        openfire.states.add(proxies.running("focus", "impl@example.org"));

        ProxiesPage page = page(get("success", "removed", "subdomain", "focus", "pending", "true"));

        assertEquals(List.of(), page.getSuccesses());
        assertEquals(List.of(), page.getWarnings());
    }

    @Test
    void theOutcomeOfAnActionOnAnotherPageWaitsForThatPage() {
        openfire.session.put(Flash.ATTRIBUTE, List.of(ProxyMonitorPage.PAGE, "svc", "clientproxy.success.reset",
                "svc.example.org", "false"));

        assertEquals(List.of(), page(get()).getSuccesses());
        assertTrue(openfire.session.containsKey(Flash.ATTRIBUTE));
    }

    @Test
    void removingAProxyWaitsUntilItIsAppliedThenRedirectsWithTheRemovedFlag() {
        openfire.saved("svc", "impl@example.org");

        ProxiesPage page = page(post("action", "remove", "subdomain", "svc"));

        assertEquals("client-proxy.jsp", page.getRedirect());
        assertEquals(1, openfire.applied);
        assertEquals(List.of("Removed client proxy svc.example.org | target=impl@example.org"), openfire.audit);
    }

    @Test
    void aRemovalNotAppliedInTimeOrFailingToApplyIsFlaggedAsPending() {
        openfire.saved("a", "impl@example.org");
        openfire.saved("b", "impl@example.org");
        openfire.apply = CompletableFuture::new;
        page(post("action", "remove", "subdomain", "a"));
        assertEquals(List.of("clientproxy.warning.pending"), lines(page(get()).getWarnings()));

        openfire.apply = () -> CompletableFuture.failedFuture(new IllegalStateException("The plugin is not loaded"));
        page(post("action", "remove", "subdomain", "b"));
        assertEquals(List.of("clientproxy.warning.pending"), lines(page(get()).getWarnings()));
    }

    @Test
    void removingAnUnknownProxyOrAnUnknownActionIsAnErrorAndChangesNothing() {
        openfire.saved("svc", "impl@example.org");

        ProxiesPage unknown = page(post("action", "remove", "subdomain", "nope"));
        assertNull(unknown.getRedirect());
        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"), lines(unknown.getErrors()));

        ProxiesPage badAction = page(post("action", "explode", "subdomain", "svc"));
        assertEquals(List.of("clientproxy.error.bad-request"), lines(badAction.getErrors()));
        assertEquals(List.of(), openfire.writes);
        assertEquals(List.of(), openfire.audit);
    }

    @Test
    void withoutTheLoadedPluginEveryPageSaysSoAndChangesNothing() {
        for (AdminPage page : List.<AdminPage>of(new ProxiesPage(null, openfire.webManager, post("action", "remove", "subdomain", "svc")),
                new ProxyEditPage(null, openfire.webManager, post("subdomain", "svc", "target", "impl@example.org")),
                new ProxyMonitorPage(null, openfire.webManager, post("action", "reset", "subdomain", "svc")))) {
            page.handle();
            assertFalse(page.isPluginLoaded());
            assertEquals(List.of("clientproxy.error.not-loaded"), lines(page.getErrors()));
            assertNull(page.getRedirect());
        }
        assertEquals(List.of(), openfire.writes);
    }
}
