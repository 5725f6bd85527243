package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.clientproxy.openfire.ProxyState;
import org.junit.jupiter.api.Test;

class ProxyOverviewBuilderTest {
    private final TestProxies proxies = new TestProxies();
    private final LocalUsers everyone = username -> true;

    private static List<String> lines(List<Notice> notices) {
        return notices.stream().map(Notice::toString).toList();
    }

    @Test
    void aRunningProxyShowsItsAddressSettingsSubscriptionAndLoad() {
        ProxyState svc = proxies.running("svc", Map.of("target", "impl@example.org", "strategy", "round-robin",
                "timeoutMillis", "2500", "maxPerRequester", "3", "maxOutstanding", "40"));
        TestProxies.subscribed(svc);
        TestProxies.online(svc, "impl@example.org/a");
        TestProxies.request(svc, "user@example.org/x", "r1");

        ProxyOverview overview = ProxyOverviewBuilder.build("example.org", List.of(svc), everyone);

        assertEquals("example.org", overview.getDomain());
        ProxyRow row = overview.getProxies().get(0);
        assertEquals("svc", row.getSubdomain());
        assertEquals("svc.example.org", row.getAddress());
        assertEquals("impl@example.org", row.getTarget());
        assertEquals("round-robin", row.getStrategy());
        assertTrue(row.isStrategyKnown());
        assertEquals("2500", row.getTimeoutMillis());
        assertEquals("3", row.getMaxPerRequester());
        assertEquals("40", row.getMaxOutstanding());
        assertTrue(row.isEnabled());
        assertTrue(row.isRunning());
        assertEquals("running", row.getStateKey());
        assertEquals(List.of(), row.getReason());
        assertEquals("granted", row.getSubscriptionKey());
        assertEquals(1, row.getOnlineResources());
        assertEquals(1, row.getOutstanding());
        assertNull(row.getWarning());
    }

    @Test
    void aDisabledProxyShowsItsSettingsAndWhyItDoesNotRun() {
        ProxyState off = TestProxies.stopped("off", Map.of("target", "impl@example.org", "enabled", "false"),
                TestProxies.DISABLED);

        ProxyRow row = ProxyOverviewBuilder.build("example.org", List.of(off), everyone).getProxies().get(0);

        assertFalse(row.isRunning());
        assertFalse(row.isEnabled());
        assertEquals("stopped", row.getStateKey());
        assertEquals(List.of("clientproxy.reason.disabled"), lines(row.getReason()));
        assertEquals("random", row.getStrategy(), "the default that applies");
        assertEquals("30000", row.getTimeoutMillis());
        assertNull(row.getSubscriptionKey());
    }

    @Test
    void invalidSettingsAreShownAsTypedWithTheReason() {
        ProxyState bad = TestProxies.invalid("bad", Map.of("target", "<b>not a jid</b>", "strategy", "fastest",
                "timeoutMillis", "soon"));

        ProxyRow row = ProxyOverviewBuilder.build("example.org", List.of(bad), everyone).getProxies().get(0);

        assertEquals("<b>not a jid</b>", row.getTarget(), "raw text; the page escapes it");
        assertEquals("fastest", row.getStrategy());
        assertFalse(row.isStrategyKnown(), "shown as typed, not looked up in the bundle");
        assertEquals("soon", row.getTimeoutMillis());
        assertEquals(List.of("clientproxy.reason.invalid", "target: clientproxy.error.target.invalid",
                        "strategy: clientproxy.error.strategy.invalid", "timeoutMillis: clientproxy.error.range[100, 3600000]"),
                lines(row.getReason()), "each wrong field with the form's label and message");
    }

    @Test
    void aLocalTargetWithoutAnAccountIsFlagged() {
        ProxyState ghost = proxies.running("ghost", "Nobody@example.org");
        ProxyState remote = proxies.running("remote", "bot@elsewhere.net");

        List<ProxyRow> rows = ProxyOverviewBuilder.build("example.org", List.of(ghost, remote), username -> false)
                .getProxies();

        assertEquals(AdminMessage.of("clientproxy.warning.unknown-user", "nobody@example.org"), rows.get(0).getWarning());
        assertNull(rows.get(1).getWarning(), "a remote account is never looked up");
    }

    @Test
    void rowsKeepTheConfigurationOrder() {
        List<ProxyState> states = List.of(
                TestProxies.invalid("zeta", Map.of()),
                TestProxies.invalid("alpha", Map.of()));

        assertEquals(List.of("zeta", "alpha"), ProxyOverviewBuilder.build("example.org", states, everyone).getProxies()
                .stream().map(ProxyRow::getSubdomain).toList());
    }
}
