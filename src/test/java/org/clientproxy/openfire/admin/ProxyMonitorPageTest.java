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
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.openfire.ConfiguredProxy;
import org.clientproxy.openfire.StopReason;
import org.clientproxy.testing.Eventually;
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

        assertEquals("client-proxy-monitor.jsp?success=resubscribed&subdomain=svc&refresh=30#proxy-svc", page.getRedirect());
        JID target = new JID("impl@example.org");
        assertEquals(List.of(target), proxies.presences(Presence.Type.subscribe).stream().map(Presence::getTo).toList());
        assertEquals(List.of(target), proxies.presences(Presence.Type.probe).stream().map(Presence::getTo).toList());
        assertEquals(List.of("Re-sent the subscription request of client proxy svc.example.org | target=impl@example.org"),
                openfire.audit);
        assertEquals(List.of("clientproxy.success.resubscribed[svc.example.org]"),
                lines(page(get("success", "resubscribed", "subdomain", "svc")).getSuccesses()));
    }

    @Test
    void forAnAccountOfThisServerResendingWritesTheRosterItemAgainAndSendsNoSubscriptionRequest() {
        ConfiguredProxy svc = proxies.awaitingAccount("svc", "impl@example.org");
        openfire.states.add(svc);
        proxies.sent.clear();

        ProxyMonitorPage page = page(post("action", "resubscribe", "subdomain", "svc"));

        assertEquals("client-proxy-monitor.jsp?success=roster-renewed&subdomain=svc#proxy-svc", page.getRedirect());
        assertEquals(0, proxies.presences(Presence.Type.subscribe).size());
        assertEquals(List.of("Wrote the roster item again of client proxy svc.example.org | target=impl@example.org"),
                openfire.audit);
        assertEquals(List.of("clientproxy.success.roster-renewed[svc.example.org]"),
                lines(page(get("success", "roster-renewed", "subdomain", "svc")).getSuccesses()));
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
        Eventually.within(Duration.ofSeconds(30), () -> System.currentTimeMillis() > started.getTime(),
                "the clock to pass the first count's start");

        ProxyMonitorPage page = page(post("action", "reset", "subdomain", "svc"));

        assertEquals("client-proxy-monitor.jsp?success=reset&subdomain=svc#proxy-svc", page.getRedirect());
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
}
