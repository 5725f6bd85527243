package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;

/** The registry keeps the groups the rules name, before any proxy that names them starts. */
class ProxyRegistryGroupsTest {
    private final FakeComponentHost host = new FakeComponentHost();
    private final List<String> loads = new ArrayList<>();
    private final GroupUsersCache groups = new GroupUsersCache(group -> {
        loads.add(group);
        return group.equals("ops") ? Set.of("carol@example.org") : null;
    }, Runnable::run);
    private final ProxyRegistry registry = new ProxyRegistry(host, ProxyRosters.NONE, groups);

    private static Map<String, String> values(String allow) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ProxySettings.TARGET, "impl@example.org");
        if (allow != null) {
            values.put(ProxySettings.ALLOW, allow);
        }
        return values;
    }

    @Test
    void aGroupRuleLetsItsUsersInFromTheFirstRequest() {
        Map<String, Map<String, String>> configuration = new LinkedHashMap<>();
        configuration.put("svc", values("group:ops"));
        registry.apply(configuration);

        Stanzas.online(host.registered().get("svc"), "svc.example.org", "impl@example.org/a");
        host.sent.clear();
        Stanzas.request(host.registered().get("svc"), "svc.example.org", "carol@example.org/desk", "c1");
        Stanzas.request(host.registered().get("svc"), "svc.example.org", "dave@example.org/desk", "d1");

        List<String> outcomes = host.sent.stream().map(packet -> ((IQ) packet).getType() + " " + packet.getTo()).toList();
        assertEquals(List.of("get impl@example.org/a", "error dave@example.org/desk"), outcomes);
    }

    @Test
    void groupsAreKeptWhileSomeRuleNamesThem() {
        Map<String, Map<String, String>> configuration = new LinkedHashMap<>();
        configuration.put("svc", values("group:ops"));
        configuration.put("off", values("group:dev, local"));
        configuration.put("bad", values("group:, group:never"));
        registry.apply(configuration);
        assertEquals(Set.of("ops", "dev"), Set.copyOf(loads), "an invalid rule names nothing");
        assertTrue(groups.isMember("ops", "carol@example.org"));

        configuration.put("svc", values(null));
        registry.apply(configuration);

        assertFalse(groups.isMember("ops", "carol@example.org"), "no rule names ops any more");
    }

    @Test
    void runningListsTheRunningProxies() {
        Map<String, Map<String, String>> configuration = new LinkedHashMap<>();
        configuration.put("svc", values(null));
        Map<String, String> disabled = values(null);
        disabled.put(ProxySettings.ENABLED, "false");
        configuration.put("off", disabled);
        registry.apply(configuration);

        assertEquals(1, registry.running().size());
        assertSame(host.registered().get("svc"), registry.running().get(0));
    }
}
