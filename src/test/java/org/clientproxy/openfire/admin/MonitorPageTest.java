package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.clientproxy.openfire.ProxyState;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Presence;

class MonitorPageTest {
    private final FakeBackend backend = new FakeBackend();
    private final RecordingAudit audit = new RecordingAudit();
    private final TestProxies proxies = new TestProxies();
    private final MonitorPage page = new MonitorPage(backend,
            new ProxyAdministration(backend, new ProxyConfiguration(new MemoryPropertyStore()), audit, Duration.ofMillis(200)));

    private static List<String> lines(List<Notice> notices) {
        return notices.stream().map(Notice::toString).toList();
    }

    @Test
    void showsEveryProxyAndNoAutomaticReloadByDefault() {
        backend.states.add(proxies.running("svc", "impl@example.org"));
        backend.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        MonitorModel model = page.handle(Requests.get()).getView().getModel();

        assertEquals(List.of("svc", "off"), model.getProxies().stream().map(ProxyMonitor::getSubdomain).toList());
        assertEquals(0, model.getRefreshSeconds());
        assertEquals(List.of(0, 5, 10, 30, 60), model.getRefreshChoices());
    }

    @Test
    void theReloadIntervalIsOneOfTheChoices() {
        assertEquals(10, page.handle(Requests.get("refresh", "10")).getView().getModel().getRefreshSeconds());
        assertEquals(0, MonitorPage.refresh("1"), "too often");
        assertEquals(0, MonitorPage.refresh("ten"));
        assertEquals(0, MonitorPage.refresh(null));
        assertEquals(60, MonitorPage.refresh(" 60 "));
    }

    @Test
    void resubscribingRedirectsBackKeepingTheReloadInterval() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        backend.states.add(svc);
        proxies.sent.clear();

        PageResult<MonitorModel> result = page.handle(Requests.post("action", "resubscribe", "subdomain", "svc",
                "refresh", "30"));

        assertEquals("client-proxy-monitor.jsp?success=resubscribed&subdomain=svc&refresh=30", result.getRedirect());
        assertEquals(1, proxies.presences(Presence.Type.subscribe).size());
        assertEquals(1, audit.events.size());
    }

    @Test
    void resettingRedirectsBackWithTheResetFlag() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        backend.states.add(svc);
        TestProxies.request(svc, "user@example.org/x", "r1");

        PageResult<MonitorModel> result = page.handle(Requests.post("action", "reset", "subdomain", "svc"));

        assertEquals("client-proxy-monitor.jsp?success=reset&subdomain=svc", result.getRedirect());
        assertEquals(0, svc.proxy().status().counters().noResource());
        PageView<MonitorModel> next = page.handle(Requests.get("success", "reset", "subdomain", "svc")).getView();
        assertEquals(List.of("clientproxy.success.reset[svc.example.org]"), lines(next.getSuccesses()));
    }

    @Test
    void anActionOnAStoppedProxyIsRefusedWithTheReason() {
        backend.states.add(TestProxies.stopped("off", Map.of("target", "impl@example.org"), TestProxies.DISABLED));

        PageResult<MonitorModel> result = page.handle(Requests.post("action", "reset", "subdomain", "off"));

        assertFalse(result.isRedirect());
        assertEquals(List.of("clientproxy.error.not-running[off.example.org]"), lines(result.getView().getErrors()));
    }

    @Test
    void aForgedActionChangesNothing() {
        ProxyState svc = proxies.running("svc", "impl@example.org");
        backend.states.add(svc);
        TestProxies.request(svc, "user@example.org/x", "r1");

        PageResult<MonitorModel> result = page.handle(Requests.forgedPost("action", "reset", "subdomain", "svc"));

        assertEquals(List.of("clientproxy.error.csrf"), lines(result.getView().getErrors()));
        assertEquals(1, svc.proxy().status().counters().noResource());
        assertEquals(List.of(), audit.events);
    }

    @Test
    void anUnknownActionOrProxyIsAnError() {
        assertEquals(List.of("clientproxy.error.bad-request"),
                lines(page.handle(Requests.post("action", "explode", "subdomain", "svc")).getView().getErrors()));
        assertEquals(List.of("clientproxy.error.unknown-proxy[nope]"),
                lines(page.handle(Requests.post("action", "reset", "subdomain", "nope")).getView().getErrors()));
    }
}
