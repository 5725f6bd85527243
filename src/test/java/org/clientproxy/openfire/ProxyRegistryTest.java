package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.Strategy;
import org.clientproxy.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

class ProxyRegistryTest {
    private final FakeComponentHost host = new FakeComponentHost();
    private final ProxyRegistry registry = new ProxyRegistry(host);
    private final Map<String, Map<String, String>> configuration = new LinkedHashMap<>();

    private void configure(String subdomain, String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        configuration.put(subdomain, values);
    }

    private void apply() {
        registry.apply(new LinkedHashMap<>(configuration));
    }

    private ConfiguredProxy state(String subdomain) {
        return registry.states().stream().filter(state -> state.subdomain().equals(subdomain)).findFirst()
                .orElseThrow(() -> new AssertionError("no state for " + subdomain));
    }

    /** The running proxy at {@code subdomain}, its target's resource a online, holding user@example.org/x's request r1. */
    private ClientProxy withOneRequestOutstanding(String subdomain) {
        ClientProxy proxy = state(subdomain).proxy();
        String address = subdomain + ".example.org";
        Stanzas.online(proxy, address, "impl@example.org/a");
        Stanzas.request(proxy, address, "user@example.org/x", "r1");
        return proxy;
    }

    private static void assertReason(String key, List<String> args, ConfiguredProxy state) {
        assertFalse(state.running());
        assertEquals(key, state.reason().key(), state.reason().text());
        assertEquals(args, state.reason().args());
        assertEquals(List.of(), state.reason().invalidFields());
    }

    @Test
    void startsEachEnabledProxyAtItsSubdomain() {
        configure("svc", "target", "impl@example.org");
        configure("other", "target", "impl2@example.org", "strategy", "round-robin");
        apply();

        assertEquals(List.of("register svc", "register other"), List.copyOf(host.events));
        ConfiguredProxy svc = state("svc");
        assertTrue(svc.running());
        assertNull(svc.reason());
        assertSame(host.registered().get("svc"), svc.proxy());
        assertEquals(new JID("impl@example.org"), svc.settings().target());
        assertEquals(Strategy.ROUND_ROBIN, state("other").proxy().settings().strategy());
        assertEquals(List.of("svc", "other"), registry.states().stream().map(ConfiguredProxy::subdomain).toList());
        // start() subscribed to the target
        assertTrue(host.sent.stream().anyMatch(packet -> packet.toXML().contains("type=\"subscribe\"")
                && "impl@example.org".equals(String.valueOf(packet.getTo()))));
    }

    @Test
    void invalidSettingsStopOnlyThatProxyAndKeepTheReason() {
        configure("svc", "target", "impl@example.org");
        configure("broken", "target", "not a jid@@", "timeoutMillis", "-5");
        configure("Bad_Label", "target", "impl@example.org");
        apply();

        assertTrue(state("svc").running());
        ConfiguredProxy broken = state("broken");
        assertFalse(broken.running());
        assertNull(broken.settings());
        assertEquals(StopReason.INVALID, broken.reason().key());
        assertEquals(List.of("target", "timeoutMillis"), broken.reason().invalidFields());
        assertTrue(broken.reason().text().startsWith("invalid settings: target: "), "the core's problems, for the log: "
                + broken.reason().text());
        assertEquals(Map.of("target", "not a jid@@", "timeoutMillis", "-5"), broken.values());
        assertEquals(List.of("subdomain"), state("Bad_Label").reason().invalidFields());
        assertEquals(List.of("register svc"), List.copyOf(host.events));
    }

    @Test
    void aMissingTargetIsInvalid() {
        configure("svc");
        apply();
        assertFalse(state("svc").running());
        assertEquals(StopReason.INVALID, state("svc").reason().key());
        assertEquals(List.of("target"), state("svc").reason().invalidFields());
    }

    @Test
    void aTakenSubdomainIsRefusedWithAClearReason() {
        host.taken.add("proxy");
        configure("proxy", "target", "impl@example.org");
        configure("svc", "target", "impl@example.org");
        apply();

        ConfiguredProxy proxy = state("proxy");
        assertFalse(proxy.running());
        assertNotNull(proxy.settings());
        assertReason("clientproxy.error.subdomain.taken", List.of("proxy.example.org"), proxy);
        assertTrue(proxy.reason().text().contains("proxy.example.org is already used"), proxy.reason().text());
        assertFalse(host.registered().containsKey("proxy"));
        assertTrue(state("svc").running());
    }

    @Test
    void aTakenSubdomainIsTriedAgain() {
        host.taken.add("svc");
        configure("svc", "target", "impl@example.org");
        apply();
        assertFalse(state("svc").running());
        assertEquals(List.of(), List.copyOf(host.events), "a live holder is left alone");
        assertTrue(registry.needsRetry(), "the holder may be a cluster member that is going away");

        host.taken.remove("svc");
        apply();
        assertTrue(state("svc").running());
        assertFalse(registry.needsRetry());
    }

    @Test
    void aStaleRegistrationOfTheProxysOwnAddressIsClearedAndTheProxyStarts() {
        host.taken.add("svc");
        host.stale.add("svc");
        configure("svc", "target", "impl@example.org");
        apply();

        assertEquals(List.of("clear svc", "register svc"), List.copyOf(host.events));
        assertTrue(state("svc").running());
        assertFalse(registry.needsRetry());
    }

    @Test
    void aMemberThatHasNotJoinedItsClusterRunsNoProxy() {
        host.clusterRole = ClusterRole.JOINING;
        configure("svc", "target", "impl@example.org");
        apply();

        assertEquals(List.of(), List.copyOf(host.events));
        assertReason("clientproxy.reason.joining", List.of(), state("svc"));
        assertFalse(registry.needsRetry());

        host.clusterRole = ClusterRole.SENIOR;
        assertFalse(registry.needsRetry(), "role changes come with the cluster's events, never polled");
        apply();
        assertTrue(state("svc").running());
    }

    @Test
    void aStandbyDoesNotRetryAnAddressTheSeniorHolds() {
        host.clusterRole = ClusterRole.STANDBY;
        host.taken.add("svc");
        configure("svc", "target", "impl@example.org");
        apply();

        assertReason("clientproxy.reason.standby", List.of(), state("svc"));
        assertFalse(registry.needsRetry());
    }

    @Test
    void aMemberThatLeavesItsClusterStopsItsProxies() {
        host.clusterRole = ClusterRole.SENIOR;
        configure("svc", "target", "impl@example.org");
        apply();
        assertTrue(state("svc").running());

        host.clusterRole = ClusterRole.JOINING;
        apply();
        assertEquals(List.of("register svc", "unregister svc"), List.copyOf(host.events));
        assertReason("clientproxy.reason.joining", List.of(), state("svc"));
    }

    @Test
    void aRegistrationOpenfireRefusesLeavesTheOthersRunning() {
        host.refused.add("svc");
        configure("svc", "target", "impl@example.org");
        configure("other", "target", "impl@example.org");
        apply();

        assertFalse(state("svc").running());
        assertReason("clientproxy.reason.refused", List.of("svc.example.org", "refused by the test"), state("svc"));
        assertTrue(state("other").running());
        assertEquals(List.of("attach svc unregistered", "detach svc unregistered", "attach other unregistered"),
                host.journals, "a journal is attached before the address routes to the proxy, and let go when it never does");
    }

    @Test
    void anInternalErrorStopsOnlyThatProxy() {
        host.broken.add("svc");
        configure("svc", "target", "impl@example.org");
        configure("other", "target", "impl@example.org");
        try (LogCapture log = LogCapture.start()) {
            apply();
            assertTrue(log.text().contains("ERROR org.clientproxy.openfire.ProxyRegistry - Could not apply the settings"
                    + " of client proxy svc\njava.lang.IllegalStateException: broken by the test"), log.text());
        }

        assertReason("clientproxy.reason.internal-error", List.of("broken by the test"), state("svc"));
        assertEquals("internal error: broken by the test", state("svc").reason().text());
        assertTrue(state("other").running());
    }

    @Test
    void aTargetOnTheProxysOwnAddressIsRefused() {
        configure("svc", "target", "loop@svc.example.org");
        apply();

        assertFalse(state("svc").running());
        assertReason("clientproxy.error.target.own-address", List.of("svc.example.org"), state("svc"));
        assertTrue(host.registered().isEmpty());
    }

    @Test
    void aDisabledProxyDoesNotRunAndSaysSo() {
        configure("svc", "target", "impl@example.org", "enabled", "false");
        apply();

        assertFalse(state("svc").running());
        assertReason("clientproxy.reason.disabled", List.of(), state("svc"));
        assertEquals("disabled in its settings", state("svc").reason().text());
        assertTrue(host.registered().isEmpty());
    }

    @Test
    void changedOptionsReconfigureTheRunningProxyInPlace() {
        configure("svc", "target", "impl@example.org");
        apply();
        ClientProxy proxy = state("svc").proxy();

        configure("svc", "target", "impl@example.org", "timeoutMillis", "5000", "strategy", "least-outstanding");
        apply();

        assertSame(proxy, state("svc").proxy());
        assertEquals(Duration.ofSeconds(5), proxy.settings().timeout());
        assertEquals(Strategy.LEAST_OUTSTANDING, proxy.settings().strategy());
        assertEquals(List.of("register svc"), List.copyOf(host.events));
    }

    @Test
    void aNewTargetAnswersTheOutstandingRequestsAndSubscribesToTheNewOne() {
        configure("svc", "target", "impl@example.org");
        apply();
        ClientProxy proxy = withOneRequestOutstanding("svc");
        assertEquals(1, host.requestsTo("impl@example.org/a").size());

        configure("svc", "target", "impl2@example.org");
        apply();

        assertSame(proxy, state("svc").proxy());
        assertEquals(new JID("impl2@example.org"), proxy.settings().target());
        List<IQ> errors = host.errorsTo("user@example.org/x");
        assertEquals(1, errors.size());
        assertEquals("r1", errors.get(0).getID());
        assertEquals(PacketError.Condition.recipient_unavailable, errors.get(0).getError().getCondition());
        assertTrue(host.sent.stream().anyMatch(packet -> packet.toXML().contains("type=\"subscribe\"")
                && "impl2@example.org".equals(String.valueOf(packet.getTo()))));
    }

    @Test
    void aRemovedProxyIsUnregisteredAndItsRequestsAnswered() {
        configure("svc", "target", "impl@example.org");
        configure("other", "target", "impl@example.org");
        apply();
        ClientProxy proxy = withOneRequestOutstanding("svc");

        configuration.remove("svc");
        apply();

        assertFalse(host.registered().containsKey("svc"));
        assertTrue(host.registered().containsKey("other"));
        assertEquals(List.of("other"), registry.states().stream().map(ConfiguredProxy::subdomain).toList());
        List<IQ> errors = host.errorsTo("user@example.org/x");
        assertEquals(1, errors.size());
        assertEquals("r1", errors.get(0).getID());
        assertEquals(new JID("svc.example.org"), errors.get(0).getFrom());
    }

    /** Openfire 5.1.1's removeComponent throws a NullPointerException for a subdomain it no longer holds. */
    @Test
    void aProxyOpenfireNoLongerHoldsIsStoppedAnywayAndItsRequestsAnsweredOnce() {
        configure("svc", "target", "impl@example.org");
        apply();
        withOneRequestOutstanding("svc");
        host.openfire.forgetAll();

        configuration.remove("svc");
        try (LogCapture log = LogCapture.start()) {
            apply();
            assertTrue(log.text().contains("WARN org.clientproxy.openfire.ProxyRegistry - Unregistering client proxy svc"
                    + " failed; shutting it down directly\njava.lang.NullPointerException"), log.text());
        }

        assertEquals(List.of(), registry.states());
        List<IQ> errors = host.errorsTo("user@example.org/x");
        assertEquals(1, errors.size(), () -> "answered once: " + errors);
        assertEquals(PacketError.Condition.service_unavailable, errors.get(0).getError().getCondition());
    }

    /** Openfire's questions at registration (disco#info, version, from component.<domain>) are answered by the proxy. */
    @Test
    void openfiresQuestionsAtRegistrationAreAnsweredByTheProxyNotForwarded() {
        configure("svc", "target", "impl@example.org");
        apply();

        List<String> answers = host.sent.stream().filter(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.result
                && "component.example.org".equals(String.valueOf(iq.getTo())))
                .map(packet -> ((IQ) packet).getChildElement().getNamespaceURI()).toList();
        assertEquals(List.of("http://jabber.org/protocol/disco#info", "jabber:iq:version"), answers);
    }

    @Test
    void aProxyMadeInvalidStopsAndStartsAgainWhenFixed() {
        configure("svc", "target", "impl@example.org");
        apply();
        ClientProxy first = state("svc").proxy();

        configure("svc", "target", "impl@example.org", "maxOutstanding", "0");
        apply();
        assertFalse(state("svc").running());
        assertEquals(List.of("maxOutstanding"), state("svc").reason().invalidFields());
        assertFalse(host.registered().containsKey("svc"));

        configure("svc", "target", "impl@example.org", "maxOutstanding", "10");
        apply();
        assertTrue(state("svc").running());
        assertNotSame(first, state("svc").proxy());
        assertEquals(List.of("register svc", "unregister svc", "register svc"), List.copyOf(host.events));
    }

    @Test
    void stopAllUnregistersEveryRunningProxy() {
        configure("svc", "target", "impl@example.org");
        configure("other", "target", "impl@example.org");
        configure("off", "target", "impl@example.org", "enabled", "false");
        apply();

        registry.stopAll();

        assertTrue(host.registered().isEmpty());
        assertTrue(registry.states().isEmpty());
    }
}
