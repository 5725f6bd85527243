package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plugin in a real two-member Openfire cluster ({@link OpenfireCluster}: Openfire 5 with the
 * Hazelcast plugin, PostgreSQL), started once for the class; the tests run in order, each leaving
 * both members running. The senior runs the proxy and the other member stands by; when the
 * senior goes (SIGKILL or SIGTERM) the other takes over the requests the implementing client
 * holds: each held request of a requester that is still connected gets exactly one answer. The
 * operator has set the journal cache's lifetime to one second and its size to 1 KiB, which the
 * plugin must override (its journal holds requests far longer, and well past 1 MB).
 */
@ExtendWith(OpenfireExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FailoverClusterIT {
    private static final String SERVICE = "svc." + OpenfireServer.DOMAIN;
    /** How soon after the senior goes the other member serves again (generous: it takes about a second). */
    private static final Duration TAKEOVER = Duration.ofSeconds(5);
    private static final Duration LONG_WAIT = Duration.ofMinutes(3);
    private static final Pattern PROXY_LIFECYCLE = Pattern.compile("Client proxy svc (started|stopped|does not run)");
    private static OpenfireCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("plugin.clientproxy.proxies", "svc,later");
        properties.put("plugin.clientproxy.proxy.svc.target", "impl@" + OpenfireServer.DOMAIN);
        properties.put("plugin.clientproxy.proxy.svc.timeoutMillis", "120000");
        properties.put("plugin.clientproxy.proxy.svc.maxPerRequester", "20000");
        properties.put("plugin.clientproxy.proxy.svc.maxOutstanding", "20000");
        // Its account does not exist yet: it is created on the member that does not run the proxy.
        properties.put("plugin.clientproxy.proxy.later.target", "dave@" + OpenfireServer.DOMAIN);
        // An operator's cache settings that would drop every request held longer than a second.
        properties.put("cache.ClientProxyOutstandingRequests.maxLifetime", "1000");
        properties.put("cache.ClientProxyOutstandingRequests.size", "1024");
        cluster = OpenfireCluster.start(OpenfireExtension.pluginJar(), properties,
                List.of("impl", "alice", "bob", "carol"), List.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("The proxy runs on the senior only; requesters on both members are served")
    void servedFromBothMembers() throws Exception {
        OpenfireServer senior = cluster.senior();
        OpenfireServer standby = cluster.other(senior);
        assertRunsOnlyOn(senior);
        try (SmackClient impl = SmackClient.login(standby, "impl", "worker");
             SmackClient alice = SmackClient.login(senior, "alice", "on-senior");
             SmackClient bob = SmackClient.login(standby, "bob", "on-standby")) {
            impl.serve(Serving.ANSWER);
            awaitServed(alice);
            assertEquals(IQ.Type.result, bob.ask(SERVICE).getType());
            assertEquals(IQ.Type.result, alice.ask(SERVICE).getType());
        }
    }

    @Test
    @Order(2)
    @DisplayName("An account created on the member that does not run the proxy is noticed: served with no other step")
    void accountCreatedOnTheOtherMember() throws Exception {
        OpenfireServer standby = cluster.other(cluster.senior());
        // Openfire fires userCreated on the member where the account is created only.
        AdminConsole.login(standby).createUser("dave");
        try (SmackClient dave = SmackClient.login(standby, "dave", "worker");
             SmackClient bob = SmackClient.login(standby, "bob", "asks-later")) {
            dave.serve(Serving.ANSWER);
            awaitServed(bob, "later." + OpenfireServer.DOMAIN);
        }
    }

    @Test
    @Order(3)
    @DisplayName("SIGKILL of the senior: every held request of a requester still connected gets exactly one answer,"
            + " the other member serves within 5 s, and the killed member rejoins and stands by")
    void killedSenior() throws Exception {
        failover(50, "kill", OpenfireServer::kill);
    }

    @Test
    @Order(4)
    @DisplayName("SIGTERM of the senior: the same")
    void stoppedSenior() throws Exception {
        failover(50, "stop", OpenfireServer::stop);
    }

    @Test
    @Order(5)
    @DisplayName("10,000 held requests (a journal of several MB, past the operator's 1 KiB and one second) all get"
            + " exactly one answer after a SIGKILL")
    void tenThousandHeldRequests() throws Exception {
        failover(10_000, "x".repeat(200), OpenfireServer::kill);
    }

    @Test
    @Order(6)
    @DisplayName("The plugin reloaded on the senior while the requests are held, then SIGKILL: the requests the new"
            + " instance took over still get exactly one answer from the other member")
    void reloadedThenKilled() throws Exception {
        failover(50, "reloaded", senior -> {
            reload(senior);
            senior.kill();
        });
    }

    /** Reload on the Plugins page, as an operator presses it; waits until the new instance runs the proxy. */
    private static void reload(OpenfireServer member) throws Exception {
        AdminConsole console = AdminConsole.login(member);
        long mark = member.logMark();
        console.reloadPlugin();
        member.awaitPluginLoaded(mark);
        member.awaitLog(mark, Pattern.compile("Client proxy svc took over \\d+ outstanding requests and its address"),
                LONG_WAIT);
    }

    private interface Stop {
        void stop(OpenfireServer member) throws Exception;
    }

    /**
     * The implementing client and a requester on the standby member, another requester on the
     * senior; {@code held} requests held by the implementing client when the senior is stopped;
     * then the implementing client answers them all. The stopped member is started again.
     */
    private static void failover(int held, String resource, Stop stop) throws Exception {
        OpenfireServer senior = cluster.senior();
        OpenfireServer standby = cluster.other(senior);
        try (SmackClient impl = SmackClient.login(standby, "impl", "worker");
             SmackClient alice = SmackClient.login(standby, "alice", "survives-" + resource);
             SmackClient bob = SmackClient.login(senior, "bob", "goes")) {
            impl.serve(Serving.ANSWER);
            awaitServed(alice);
            impl.serve(Serving.HOLD);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < held; i++) {
                ids.add(alice.send(SERVICE, IQ.Type.get, "<n>" + i + "</n>"));
            }
            for (int i = 0; i < 5; i++) {
                bob.send(SERVICE, IQ.Type.get, "");
            }
            Waits.until(LONG_WAIT, () -> "the implementing client to hold " + (held + 5) + " requests (holds "
                    + impl.received().size() + ")", () -> impl.received().size() == held + 5);
            assertTrue(ids.stream().allMatch(id -> alice.responses(id).isEmpty()), "answered before the failover");

            long standbyMark = standby.logMark();
            stop.stop(senior);
            long stopped = System.nanoTime();
            impl.serve(Serving.ANSWER);
            Duration takeover = awaitServedAgain(alice, stopped);
            assertTrue(takeover.compareTo(TAKEOVER) <= 0, "served again after " + takeover);
            standby.awaitLog(standbyMark, Pattern.compile("Client proxy svc took over " + held
                    + " outstanding requests"), LONG_WAIT);

            for (IQ request; (request = impl.received().poll()) != null; ) {
                impl.answer(request, "<late/>");
            }
            for (String id : ids) {
                Waits.until(LONG_WAIT, () -> "an answer to " + id, () -> !alice.responses(id).isEmpty());
            }
            // Nothing is left that could answer any of them again (a timeout, a second relay).
            assertEquals(0, outstanding(standby), "outstanding on the new senior");
            for (String id : ids) {
                List<IQ> answers = alice.responses(id);
                assertEquals(1, answers.size(), () -> id + ": " + answers);
                assertEquals(IQ.Type.result, answers.get(0).getType(), () -> id + ": " + answers.get(0).toXML());
            }
            assertEquals(List.of(), alice.responsesToOthers());
            assertEquals(List.of(), standby.pluginProblemsSince(standbyMark), "the plugin's WARN and ERROR lines");
        }
        rejoinAndStandBy(senior);
    }

    /** The stopped member starts again, joins and stands by; each request is forwarded and answered once. */
    private static void rejoinAndStandBy(OpenfireServer member) throws Exception {
        cluster.start(member);
        OpenfireServer senior = cluster.senior();
        assertFalse(senior == member, "the member that came back is not the senior");
        assertRunsOnlyOn(senior);
        try (SmackClient impl = SmackClient.login(member, "impl", "back");
             SmackClient carol = SmackClient.login(member, "carol", "on-rejoined");
             SmackClient alice = SmackClient.login(senior, "alice", "on-senior")) {
            impl.serve(Serving.ANSWER);
            awaitServed(carol);
            impl.serve(Serving.HOLD);
            List<String> carols = new ArrayList<>();
            List<String> alices = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                carols.add(carol.send(SERVICE, IQ.Type.get, ""));
                alices.add(alice.send(SERVICE, IQ.Type.get, ""));
            }
            Waits.until(LONG_WAIT, () -> "the implementing client to hold 20 requests", () -> impl.received().size() >= 20);
            for (IQ request; (request = impl.received().poll()) != null; ) {
                impl.answer(request, "<once/>");
            }
            for (String id : carols) {
                assertEquals(IQ.Type.result, carol.response(id).getType());
            }
            for (String id : alices) {
                assertEquals(IQ.Type.result, alice.response(id).getType());
            }
            assertEquals(0, outstanding(senior));
            assertEquals(List.of(), impl.received().stream().map(IQ::getStanzaId).toList(), "forwarded twice");
            for (String id : carols) {
                assertEquals(1, carol.responses(id).size(), id);
            }
            for (String id : alices) {
                assertEquals(1, alice.responses(id).size(), id);
            }
        }
    }

    /** Asks until the proxy answers with a result (the implementing client's presence may still be on its way). */
    private static void awaitServed(SmackClient requester) throws Exception {
        awaitServed(requester, SERVICE);
    }

    private static void awaitServed(SmackClient requester, String service) throws Exception {
        Waits.until(LONG_WAIT, () -> "a result from " + service, () -> {
            try {
                String id = requester.send(service, IQ.Type.get, "");
                Waits.until(SmackClient.WAIT, () -> "an answer", () -> !requester.responses(id).isEmpty());
                return requester.responses(id).get(0).getType() == IQ.Type.result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Sends a request every 100 ms until one gets a result; how long after {@code since} that one
     * was sent. A request sent while the cluster has not noticed the loss yet may get no answer at
     * all (Openfire routes it to the member that is gone), or an error.
     */
    private static Duration awaitServedAgain(SmackClient requester, long since) throws Exception {
        List<String> ids = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            sentAt.add(System.nanoTime());
            ids.add(requester.send(SERVICE, IQ.Type.get, ""));
            Thread.sleep(100);
            for (int i = 0; i < ids.size(); i++) {
                List<IQ> answers = requester.responses(ids.get(i));
                if (!answers.isEmpty() && answers.get(0).getType() == IQ.Type.result) {
                    return Duration.ofNanos(sentAt.get(i) - since);
                }
            }
        }
        throw new AssertionError("not served again within " + LONG_WAIT);
    }

    /** The requests the proxy on {@code senior} holds now, as its monitor shows them. */
    private static long outstanding(OpenfireServer senior) throws Exception {
        ProxyPages pages = new ProxyPages(AdminConsole.login(senior));
        Element box = pages.monitor().document().getElementById("proxy-svc");
        String label = PluginTexts.get("clientproxy.monitor.outstanding");
        for (Element row : box.select("tr")) {
            if (row.select("td").size() >= 2 && row.select("td").get(0).text().equals(label)) {
                return Long.parseLong(row.select("td").get(1).text().replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no " + label + " on the monitor: " + box.text());
    }

    /** The proxy runs on {@code senior}, and the other member, if running, stands by: what each last logged of it. */
    private static void assertRunsOnlyOn(OpenfireServer senior) throws Exception {
        Waits.until(LONG_WAIT, () -> "the proxy to run on " + senior.home(), () -> lastOfProxy(senior).contains("started"));
        OpenfireServer other = cluster.other(senior);
        if (other.isRunning()) {
            // A member that has just joined says so a moment after the cluster does.
            Waits.until(LONG_WAIT, () -> "the other member to stand by (" + lastOfProxy(other) + ")",
                    () -> lastOfProxy(other).contains("does not run: standing by"));
        }
    }

    /** The last line a member logged about starting or stopping the proxy. */
    private static String lastOfProxy(OpenfireServer member) {
        try {
            List<String> lines = member.logSince(0).stream().filter(line -> PROXY_LIFECYCLE.matcher(line).find()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
