package org.clientproxy.openfire.admin;

import static org.clientproxy.openfire.admin.AdminFixture.get;
import static org.clientproxy.openfire.admin.AdminFixture.lines;
import static org.clientproxy.openfire.admin.AdminFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.openfire.ConfiguredProxy;
import org.clientproxy.openfire.StopReason;
import org.clientproxy.testing.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

class ProxyMonitorPageTest {
    private final AdminFixture openfire = new AdminFixture();
    private final TestProxies proxies = new TestProxies();

    @AfterEach
    void close() {
        openfire.close();
    }

    private ProxyMonitorPage page(HttpServletRequest request) {
        return openfire.handle(new ProxyMonitorPage(openfire.plugin, openfire.webManager, request));
    }

    private static long counter(ProxyView view, String key) {
        return view.getCounters().stream().filter(counter -> counter.getKey().equals(key)).findFirst().orElseThrow().getValue();
    }

    @Test
    void showsEveryProxyAndNoAutomaticReloadByDefault() {
        openfire.states.add(proxies.running("svc", "impl@example.org"));
        openfire.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        ProxyMonitorPage page = page(get());

        assertEquals(List.of("svc", "off"), page.getProxies().stream().map(ProxyView::getSubdomain).toList());
        assertEquals(0, page.getRefreshSeconds());
        assertEquals(List.of(0, 5, 10, 30, 60), page.getRefreshChoices());
    }

    @Test
    void theReloadIntervalIsOneOfTheChoices() {
        assertEquals(10, page(get("refresh", "10")).getRefreshSeconds());
        assertEquals(0, page(get("refresh", "7")).getRefreshSeconds());
        assertEquals(0, page(get("refresh", "soon")).getRefreshSeconds());
    }

    @Test
    void aRunningProxyShowsItsResourcesCountersAndLatency() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        TestProxies.subscribed(svc);
        Date before = new Date();
        TestProxies.online(svc, "impl@example.org/a");
        TestProxies.online(svc, "impl@example.org/b");
        TestProxies.request(svc, "user@example.org/x", "r1");
        TestProxies.answer(svc, proxies.lastForwarded());
        TestProxies.request(svc, "user@example.org/x", "r2");
        openfire.states.add(svc);

        ProxyView view = page(get()).getProxies().get(0);

        assertEquals("granted", view.getPresence());
        assertEquals(List.of(), view.getReason());
        assertEquals(List.of("impl@example.org/a", "impl@example.org/b"),
                view.getResources().stream().map(ProxyView.Resource::getAddress).toList());
        assertEquals(1, view.getResources().stream().mapToInt(ProxyView.Resource::getOutstanding).sum(),
                "the unanswered request is outstanding on one resource");
        assertFalse(view.getResources().get(0).getOnlineSince().before(new Date(before.getTime() - 1000)));
        assertEquals(1, view.getOutstanding());
        assertEquals(2, counter(view, "forwarded"));
        assertEquals(1, counter(view, "results-relayed"));
        assertEquals(0, counter(view, "timeouts"));
        assertEquals(1, view.getLatencyCount());
        assertNotNull(view.getLatencyP50Millis());
        assertTrue(view.getLatencyP99Millis() >= view.getLatencyP50Millis());
        assertTrue(view.getLatencyWindowSeconds() > 0);
    }

    @Test
    void itSaysWhichServerRunsEachProxy() {
        openfire.states.add(proxies.running("svc", "impl@example.org"));
        when(openfire.plugin.runners("svc")).thenReturn(List.of("node-b (0b3c)"));

        assertEquals(List.of("node-b (0b3c)"), page(get()).getProxies().get(0).getRunners());
    }

    @Test
    void everyCounterIsListedInTheOrderOfThePage() {
        openfire.states.add(proxies.running("svc", "impl@example.org"));

        ProxyView view = page(get()).getProxies().get(0);

        assertEquals(List.of("forwarded", "results-relayed", "errors-relayed", "timeouts", "no-resource",
                "resource-lost", "retried", "limit-reached", "dropped-replies",
                "marked-unresponsive", "retried-unresponsive", "refused-by-access-rule", "requester-gone"),
                view.getCounters().stream().map(ProxyView.Counter::getKey).toList());
        assertNull(view.getLatencyP50Millis(), "nothing measured yet");
    }

    @Test
    void noResourceOnlineIsCounted() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        TestProxies.request(svc, "user@example.org/x", "r1");
        openfire.states.add(svc);

        ProxyView view = page(get()).getProxies().get(0);

        assertEquals(List.of(), view.getResources());
        assertEquals(1, counter(view, "no-resource"));
        assertEquals("pending", view.getPresence());
    }

    @Test
    void aStoppedProxyShowsOnlyWhyItDoesNotRunWithTheReasonsArguments() {
        openfire.states.add(TestProxies.stopped("svc", Map.of("target", "impl@example.org"),
                StopReason.of("clientproxy.error.subdomain.taken", "the address svc.example.org is taken", "svc.example.org")));

        ProxyView view = page(get()).getProxies().get(0);

        assertFalse(view.isRunning());
        assertEquals(List.of("clientproxy.error.subdomain.taken[svc.example.org]"), lines(view.getReason()));
        assertNull(view.getPresence());
        assertEquals(List.of(), view.getResources());
        assertEquals(List.of(), view.getCounters());
    }

    @Test
    void aMissingTargetIsNamedAsRequired() {
        openfire.states.add(TestProxies.invalid("svc", Map.of()));

        assertEquals(List.of("clientproxy.reason.invalid", "target: clientproxy.error.target.required"),
                lines(page(get()).getProxies().get(0).getReason()));
    }

    @Test
    void resubscribingSendsTheRequestAndProbeAgainAndComesBackToTheProxyKeepingTheInterval() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        TestProxies.subscribed(svc);
        openfire.states.add(svc);
        proxies.sent.clear();

        ProxyMonitorPage page = page(post("action", "resubscribe", "subdomain", "svc", "refresh", "30"));

        assertEquals("client-proxy-monitor.jsp?refresh=30#proxy-svc", page.getRedirect());
        JID target = new JID("impl@example.org");
        assertEquals(List.of(target), proxies.presences(Presence.Type.subscribe).stream().map(Presence::getTo).toList());
        assertEquals(List.of(target), proxies.presences(Presence.Type.probe).stream().map(Presence::getTo).toList());
        assertEquals(List.of("Re-sent the subscription request of client proxy svc.example.org | target=impl@example.org"),
                openfire.audit);
        ProxyMonitorPage next = page(get("refresh", "30"));
        assertEquals("svc", next.getDoneSubdomain(), "shown in the proxy's box, where the browser returns");
        assertEquals("clientproxy.success.resubscribed[svc.example.org]", next.getDone().toString());
        assertEquals(List.of(), next.getSuccesses());
    }

    @Test
    void forAnAccountOfThisServerResendingWritesTheRosterItemAgainAndSendsNoSubscriptionRequest() {
        ConfiguredProxy svc = proxies.awaitingAccount("svc", "impl@example.org");
        openfire.states.add(svc);
        proxies.sent.clear();

        ProxyMonitorPage page = page(post("action", "resubscribe", "subdomain", "svc"));

        assertEquals("client-proxy-monitor.jsp#proxy-svc", page.getRedirect());
        assertEquals(0, proxies.presences(Presence.Type.subscribe).size());
        assertEquals(List.of("Wrote the roster item of client proxy svc.example.org again | target=impl@example.org"),
                openfire.audit);
        assertEquals("clientproxy.success.roster-renewed[svc.example.org]", page(get()).getDone().toString());
    }

    @Test
    void whileTheSubscriptionIsPendingOnlyTheRequestIsSentAgain() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        openfire.states.add(svc);
        proxies.sent.clear();

        page(post("action", "resubscribe", "subdomain", "svc"));

        assertEquals(1, proxies.presences(Presence.Type.subscribe).size());
        assertEquals(0, proxies.presences(Presence.Type.probe).size(), "a probe would only bounce as not-authorized");
    }

    @Test
    void resettingSetsTheCountersBackToZeroAndComesBackToTheProxy() throws InterruptedException {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        openfire.states.add(svc);
        TestProxies.request(svc, "user@example.org/x", "r1");

        Date started = page(get()).getProxies().get(0).getCountingSince();
        Waits.until(Duration.ofSeconds(30), () -> "the clock to pass the first count's start", () -> System.currentTimeMillis() > started.getTime());

        ProxyMonitorPage page = page(post("action", "reset", "subdomain", "svc"));

        assertEquals("client-proxy-monitor.jsp#proxy-svc", page.getRedirect());
        assertEquals(0, svc.proxy().status().counters().noResource());
        assertTrue(page(get()).getProxies().get(0).getCountingSince().after(started), "the counters say since when");
        assertEquals(List.of("Reset the counters of client proxy svc.example.org | null"), openfire.audit);
    }

    @Test
    void anActionOnAStoppedOrUnknownProxyOrAnUnknownActionIsAnErrorAndDoesNothing() {
        openfire.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        assertEquals(List.of("clientproxy.error.not-running[off.example.org]"),
                lines(page(post("action", "reset", "subdomain", "off")).getErrors()));
        assertEquals(List.of("clientproxy.error.not-running[off.example.org]"),
                lines(page(post("action", "resubscribe", "subdomain", "off")).getErrors()));
        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"),
                lines(page(post("action", "reset", "subdomain", "nope")).getErrors()));
        ProxyMonitorPage bad = page(post("action", "explode", "subdomain", "off"));
        assertEquals(List.of("clientproxy.error.bad-request"), lines(bad.getErrors()));
        assertNull(bad.getRedirect());
        assertEquals(1, bad.getProxies().size(), "the page is shown again");
        assertEquals(List.of(), openfire.audit);
    }

    @Test
    void aLinkCannotSayThatTheCountersOfAProxyWereReset() {
        openfire.states.add(proxies.running("svc", "impl@example.org"));

        ProxyMonitorPage page = page(get("success", "reset", "subdomain", "nosuch"));

        assertNull(page.getDone());
        assertEquals(List.of(), page.getSuccesses());
    }

    @Test
    void theOutcomeForAProxyRemovedMeanwhileIsShownAboveThePage() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        openfire.states.add(svc);
        page(post("action", "reset", "subdomain", "svc"));
        openfire.states.clear();

        ProxyMonitorPage page = page(get());

        assertNull(page.getDoneSubdomain());
        assertEquals(List.of("clientproxy.success.reset[svc.example.org]"), lines(page.getSuccesses()));
    }

    @Test
    void aRevokedRosterItemHidesTheResourcesRatherThanShowingNoneOnline() {
        ConfiguredProxy svc = proxies.awaitingAccount("svc", "impl@example.org");
        svc.proxy().rosterGranted(new JID("impl@example.org"), true, List.of(new JID("impl@example.org/a")));
        openfire.states.add(svc);
        assertNull(page(get()).getProxies().get(0).getResourcesHidden(), "it sees the account's resources");

        svc.proxy().rosterRevoked(new JID("impl@example.org"), Instant.now());
        TestProxies.online(svc, "impl@example.org/b"); // a resource logs in: the proxy is not told

        ProxyView view = page(get()).getProxies().get(0);
        assertEquals("revoked_by_account", view.getPresence());
        assertEquals("roster", view.getResourcesHidden(), "it cannot tell whether any is online");
        assertEquals(List.of(), view.getResources());
    }

    @Test
    void aSubscriptionNotApprovedYetHidesTheResources() {
        openfire.states.add(proxies.running("svc", "impl@remote.example"));

        assertEquals("subscription", page(get()).getProxies().get(0).getResourcesHidden());
    }

    @Test
    void eachRunningProxyHasAChartOfItsLastHour() {
        ConfiguredProxy svc = proxies.running("svc", "impl@example.org");
        TestProxies.subscribed(svc);
        TestProxies.online(svc, "impl@example.org/a");
        TestProxies.request(svc, "user@example.org/x", "r1");
        TestProxies.answer(svc, proxies.lastForwarded());
        openfire.states.add(svc);
        openfire.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        ProxyMonitorPage page = page(get());

        assertEquals(List.of("svc"), List.copyOf(page.getCharts().keySet()));
        HourChart chart = page.getCharts().get("svc");
        assertEquals(1, chart.getSlots().size(), "the minute under way");
        assertEquals(1, chart.getTotals().get("results-relayed"));
        assertTrue(chart.isLatencyShown());
    }

    @Test
    void aReSendTheServerHasNotDoneYetIsShownAsStillUnderWay() {
        openfire.states.add(proxies.running("svc", "impl@example.org"));
        when(openfire.plugin.renewPresence("svc")).thenReturn(new CompletableFuture<>());

        page(post("action", "resubscribe", "subdomain", "svc"));
        ProxyMonitorPage next = page(get());

        assertEquals("clientproxy.success.resubscribed[svc.example.org]", next.getDone().toString());
        assertEquals(List.of("clientproxy.warning.pending"), lines(next.getWarnings()));
    }
}
