package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.clientproxy.e2e.XmlAssert.assertSameXml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalProxy;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy as an external component of a real Prosody and a real ejabberd, driven by real
 * clients: an implementing client {@code impl@localhost} with resources {@code a} and {@code b}
 * (one shared inbox), two requesters and an outsider. Each test runs on each server (one of each
 * for the class) with fresh clients and a fresh proxy. The last tests cover the {@code allow} rule
 * and the {@code sticky} strategy.
 */
class ProxyE2ETest {
    private static final Duration QUIET = Duration.ofMillis(400);
    private static final String PAYLOAD = "<question lang='en' n='42'>What is <b>six</b> times seven &amp; why?</question>";

    @RegisterExtension
    static final EachServer SERVERS = EachServer.perClass(
            kind -> E2eProxy.serverWithApprovedService(kind, "impl", "req1", "req2", "mallory"));

    private final BlockingQueue<Received> implInbox = new LinkedBlockingQueue<>();
    private final List<XmppClient> clients = new ArrayList<>();
    private XmppServer server;
    private XmppClient implA;
    private XmppClient implB;
    private XmppClient req1;
    private XmppClient req2;
    private ExternalProxy external;

    @BeforeEach
    void logIn(XmppServer server) throws Exception {
        this.server = server;
        implA = client(XmppClient.login(server, "impl", PASSWORD, "a", implInbox));
        implB = client(XmppClient.login(server, "impl", PASSWORD, "b", implInbox));
        req1 = client(XmppClient.login(server, "req1", PASSWORD, "r1"));
        req2 = client(XmppClient.login(server, "req2", PASSWORD, "r2"));
    }

    @AfterEach
    void logOut() {
        if (external != null) {
            external.close();
        }
        clients.forEach(XmppClient::close);
    }

    @OnEachServer
    void requestAndReplyAreTranslatedWithIdAndPayloadIntact() throws Exception {
        external = E2eProxy.start(server, 2);
        for (IQ.Type type : List.of(IQ.Type.get, IQ.Type.set)) {
            PayloadIq request = req1.request(SERVICE, type, "rt-" + type, PAYLOAD);

            Received forwarded = nextRequest();
            IQ asked = forwarded.iq();
            assertEquals(type, asked.getType());
            assertEquals("rt-" + type, asked.getStanzaId());
            assertEquals(SERVICE + "/req1@localhost/r1", asked.getFrom().toString());
            assertEquals(forwarded.at().jid().toString(), asked.getTo().toString());
            assertSameXml(request.childXml(), XmppClient.childXml(asked));

            PayloadIq reply = forwarded.at().reply(asked, "<answer>42</answer>");
            IQ answered = req1.next();
            assertEquals(IQ.Type.result, answered.getType());
            assertEquals("rt-" + type, answered.getStanzaId());
            assertEquals(SERVICE, answered.getFrom().toString());
            assertEquals("req1@localhost/r1", answered.getTo().toString());
            assertSameXml(reply.childXml(), XmppClient.childXml(answered));
        }
        ProxySnapshot.Counters counters = external.proxy().status().counters();
        assertEquals(2, counters.forwarded());
        assertEquals(2, counters.resultsRelayed());
    }

    @OnEachServer
    void errorReplyIsPassedBackIntact() throws Exception {
        external = E2eProxy.start(server, 2);
        req1.request(SERVICE, IQ.Type.set, "err-1", PAYLOAD);
        Received forwarded = nextRequest();

        StandardExtensionElement detail = StandardExtensionElement.builder("detail", "urn:clientproxy:test:error")
                .addAttribute("code", "E42").setText("the answer is not ready").build();
        // No <text>: Smack 4.4 writes it without its namespace, so it would not survive even a direct exchange.
        StanzaError error = StanzaError.getBuilder(StanzaError.Condition.item_not_found)
                .setType(StanzaError.Type.CANCEL)
                .addExtension(detail)
                .build();
        forwarded.at().replyError(forwarded.iq(), error);

        IQ answered = req1.next();
        assertEquals(IQ.Type.error, answered.getType());
        assertEquals("err-1", answered.getStanzaId());
        assertEquals(SERVICE, answered.getFrom().toString());
        assertEquals("req1@localhost/r1", answered.getTo().toString());
        StanzaError relayed = answered.getError();
        assertEquals(StanzaError.Condition.item_not_found, relayed.getCondition());
        assertEquals(StanzaError.Type.CANCEL, relayed.getType());
        StandardExtensionElement relayedDetail = relayed.getExtension("detail", "urn:clientproxy:test:error");
        assertNotNull(relayedDetail, () -> "application-specific condition lost: " + answered.toXML());
        assertEquals("E42", relayedDetail.getAttributeValue("code"));
        assertEquals("the answer is not ready", relayedDetail.getText());
        assertSameXml(payload(PAYLOAD), XmppClient.childXml(answered));
        assertEquals(1, external.proxy().status().counters().errorsRelayed());
    }

    @OnEachServer
    void randomSpreadsRequestsOverBothResources() throws Exception {
        assertSpreadOverBothResources("random", 40, 1);
    }

    @OnEachServer
    void roundRobinSpreadsRequestsOverBothResources() throws Exception {
        assertSpreadOverBothResources("round-robin", 10, 5);
    }

    @OnEachServer
    void leastOutstandingSpreadsRequestsOverBothResources() throws Exception {
        assertSpreadOverBothResources("least-outstanding", 10, 5);
    }

    /** Requests held unanswered, then answered: the strategy must use both resources. */
    private void assertSpreadOverBothResources(String strategy, int requests, int atLeastEach) throws Exception {
        external = E2eProxy.start(server, 2, "strategy", strategy);
        for (int i = 0; i < requests; i++) {
            req1.request(SERVICE, IQ.Type.get, "spread-" + i, "<n>" + i + "</n>");
        }
        Map<XmppClient, Integer> perResource = new HashMap<>();
        List<Received> held = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Received forwarded = nextRequest();
            held.add(forwarded);
            perResource.merge(forwarded.at(), 1, Integer::sum);
        }
        assertTrue(perResource.getOrDefault(implA, 0) >= atLeastEach && perResource.getOrDefault(implB, 0) >= atLeastEach,
                () -> strategy + " spread " + requests + " requests as a=" + perResource.get(implA) + ", b=" + perResource.get(implB));

        for (Received forwarded : held) {
            forwarded.at().reply(forwarded.iq(), XmppClient.innerOf(XmppClient.childXml(forwarded.iq())));
        }
        List<String> answeredIds = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            IQ answer = req1.next();
            assertEquals(IQ.Type.result, answer.getType());
            answeredIds.add(answer.getStanzaId());
        }
        assertEquals(requests, answeredIds.stream().distinct().count(), "every request answered once: " + answeredIds);
    }

    @OnEachServer
    void twoRequestersMayUseTheSameIdAtOnce() throws Exception {
        external = E2eProxy.start(server, 2);
        req1.request(SERVICE, IQ.Type.get, "same-id", "<who>one</who>");
        req2.request(SERVICE, IQ.Type.get, "same-id", "<who>two</who>");
        Received first = nextRequest();
        Received second = nextRequest();
        assertEquals("same-id", first.iq().getStanzaId());
        assertEquals("same-id", second.iq().getStanzaId());

        // Answer in the opposite order, each with the asker's own name.
        for (Received forwarded : List.of(second, first)) {
            String asker = forwarded.iq().getFrom().getResourceOrEmpty().toString();
            forwarded.at().reply(forwarded.iq(), "<asker>" + asker + "</asker>");
        }
        IQ toReq1 = req1.next();
        IQ toReq2 = req2.next();
        assertSameXml(payload("<asker>req1@localhost/r1</asker>"), XmppClient.childXml(toReq1));
        assertSameXml(payload("<asker>req2@localhost/r2</asker>"), XmppClient.childXml(toReq2));
        assertEquals("same-id", toReq1.getStanzaId());
        assertEquals("same-id", toReq2.getStanzaId());
        req1.expectNothing(QUIET);
        req2.expectNothing(Duration.ZERO);
    }

    @OnEachServer
    void requestToAFullJidOfTheServiceIsAnsweredFromThatAddress() throws Exception {
        external = E2eProxy.start(server, 2);
        implA.echoRequests();
        implB.echoRequests();
        req1.request(SERVICE + "/x", IQ.Type.get, "to-x", PAYLOAD);

        IQ answer = req1.next();
        assertEquals(IQ.Type.result, answer.getType());
        assertEquals(SERVICE + "/x", answer.getFrom().toString());
        assertEquals("to-x", answer.getStanzaId());
        assertSameXml(payload(PAYLOAD), XmppClient.childXml(answer));
    }

    @OnEachServer
    void payloadOf64KiBPassesBothWays() throws Exception {
        external = E2eProxy.start(server, 2);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 64 * 1024; i++) {
            text.append("line ").append(i).append(": 0123456789 &amp; &lt;abcdef&gt;\n");
        }
        String big = "<blob encoding='text'>" + text + "</blob>";
        assertTrue(big.length() > 64 * 1024);

        PayloadIq request = req1.request(SERVICE, IQ.Type.set, "big", big);
        Received forwarded = nextRequest();
        assertSameXml(request.childXml(), XmppClient.childXml(forwarded.iq()));
        PayloadIq reply = forwarded.at().reply(forwarded.iq(), big);

        IQ answer = req1.next();
        assertEquals(IQ.Type.result, answer.getType());
        assertSameXml(reply.childXml(), XmppClient.childXml(answer));
    }

    @OnEachServer
    void noResourceOnlineIsServiceUnavailable() throws Exception {
        implA.close();
        implB.close();
        external = E2eProxy.start(server, 0);
        req1.request(SERVICE, IQ.Type.get, "nobody", PAYLOAD);

        assertError(req1.next(), "nobody", StanzaError.Condition.service_unavailable, StanzaError.Type.CANCEL);
        assertEquals(1, external.proxy().status().counters().noResource());
    }

    /**
     * Resource a holds what it gets and then drops its connection; b answers at once. Gets held by
     * a go to b; sets held by a fail; every request gets exactly one answer.
     */
    @OnEachServer
    void resourceThatLeavesWhileHoldingRequestsLeavesNoneUnanswered() throws Exception {
        external = E2eProxy.start(server, 2, "strategy", "round-robin");
        implB.echoRequests();
        List<String> ids = List.of("g1", "g2", "g3", "g4", "s1", "s2", "s3", "s4");
        for (String id : ids) {
            req1.request(SERVICE, id.startsWith("g") ? IQ.Type.get : IQ.Type.set, id, "<id>" + id + "</id>");
        }
        List<String> heldByA = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Received forwarded = nextRequest();
            if (forwarded.at() == implA) {
                heldByA.add(forwarded.iq().getStanzaId());
            }
        }
        assertEquals(4, heldByA.size(), () -> "round-robin gave a: " + heldByA);
        implA.crash();

        Map<String, IQ> answers = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            IQ answer = req1.next();
            assertEquals(null, answers.put(answer.getStanzaId(), answer), () -> "answered twice: " + answer.toXML());
        }
        req1.expectNothing(QUIET);
        for (String id : ids) {
            IQ answer = answers.get(id);
            if (id.startsWith("s") && heldByA.contains(id)) {
                assertError(answer, id, StanzaError.Condition.recipient_unavailable, StanzaError.Type.WAIT);
            } else {
                assertEquals(IQ.Type.result, answer.getType(), () -> id + " got " + answer.toXML());
                assertSameXml(payload("<id>" + id + "</id>"), XmppClient.childXml(answer));
            }
        }
        ProxySnapshot.Counters counters = external.proxy().status().counters();
        assertEquals(heldByA.stream().filter(id -> id.startsWith("g")).count(), counters.retried());
    }

    @OnEachServer
    void lastResourceLeavingAnswersItsGetsAndSetsWithRecipientUnavailable() throws Exception {
        implB.close();
        external = E2eProxy.start(server, 1);
        req1.request(SERVICE, IQ.Type.get, "last-get", PAYLOAD);
        req1.request(SERVICE, IQ.Type.set, "last-set", PAYLOAD);
        nextRequest();
        nextRequest();
        implA.crash();

        Map<String, IQ> answers = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            IQ answer = req1.next();
            answers.put(answer.getStanzaId(), answer);
        }
        assertError(answers.get("last-get"), "last-get", StanzaError.Condition.recipient_unavailable, StanzaError.Type.WAIT);
        assertError(answers.get("last-set"), "last-set", StanzaError.Condition.recipient_unavailable, StanzaError.Type.WAIT);
        req1.expectNothing(QUIET);
    }

    /**
     * Replies from an outsider, from the resource that was not asked, to an id never issued, and
     * a second reply: none reaches the requester, and each is counted as dropped.
     */
    @OnEachServer
    void onlyTheFirstReplyOfTheResourceAskedIsDelivered() throws Exception {
        external = E2eProxy.start(server, 2);
        XmppClient mallory = client(XmppClient.login(server, "mallory", PASSWORD, "m"));
        req1.request(SERVICE, IQ.Type.get, "guarded", PAYLOAD);
        Received forwarded = nextRequest();
        IQ asked = forwarded.iq();
        XmppClient other = forwarded.at() == implA ? implB : implA;

        mallory.reply(asked, "<forged>outsider</forged>");
        other.reply(asked, "<forged>other resource</forged>");
        PayloadIq neverIssued = new PayloadIq(IQ.Type.result, "<forged>unknown id</forged>");
        neverIssued.setTo(asked.getFrom());
        neverIssued.setStanzaId("never-issued");
        forwarded.at().send(neverIssued);
        forwarded.at().reply(asked, "<genuine/>");
        forwarded.at().reply(asked, "<forged>second reply</forged>");

        IQ answer = req1.next();
        assertEquals("guarded", answer.getStanzaId());
        assertSameXml(payload("<genuine/>"), XmppClient.childXml(answer));

        // A round trip behind the forgeries: the proxy handles its stanzas in order, so anything
        // it had relayed from them would have arrived before this.
        implA.echoRequests();
        implB.echoRequests();
        req1.request(SERVICE, IQ.Type.get, "barrier", "<barrier/>");
        IQ barrier = req1.next();
        assertEquals("barrier", barrier.getStanzaId(), () -> "a forged reply was delivered: " + barrier.toXML());
        req1.expectNothing(QUIET);
        assertEquals(4, external.proxy().status().counters().droppedReplies());
    }

    @OnEachServer
    void noReplyInTimeIsRemoteServerTimeoutAndTheLateReplyIsDropped() throws Exception {
        external = E2eProxy.start(server, 2, "timeoutMillis", "500");
        long start = System.nanoTime();
        req1.request(SERVICE, IQ.Type.get, "slow", PAYLOAD);
        Received forwarded = nextRequest();

        assertError(req1.next(), "slow", StanzaError.Condition.remote_server_timeout, StanzaError.Type.WAIT);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= 500, () -> "answered after " + elapsedMillis + " ms, before the timeout");

        forwarded.at().reply(forwarded.iq(), "<too>late</too>");
        req1.expectNothing(QUIET);
        ProxySnapshot.Counters counters = external.proxy().status().counters();
        assertEquals(1, counters.timeouts());
        assertEquals(1, counters.droppedReplies());
    }

    @OnEachServer
    void aRuleOfOneBareJidRefusesAnotherLocalAccountWithoutTheImplementingClientSeeingIt() throws Exception {
        external = E2eProxy.start(server, 2, "allow", "req1@localhost");

        req2.request(SERVICE, IQ.Type.get, "refused", "<q/>");
        assertError(req2.next(), "refused", StanzaError.Condition.forbidden, StanzaError.Type.AUTH);
        assertNull(implInbox.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "the implementing client saw the refused request");

        assertServed(req1, "allowed");
        assertEquals(1, external.proxy().status().counters().refusedByAccessRule());
        assertEquals(1, external.proxy().status().counters().forwarded());
    }

    @OnEachServer
    void localServesEveryLocalAccount() throws Exception {
        external = E2eProxy.start(server, 2, "allow", "local");

        assertServed(req1, "one");
        assertServed(req2, "two");
        assertEquals(0, external.proxy().status().counters().refusedByAccessRule());
    }

    @OnEachServer
    void stickyKeepsAnAccountsRequestsOnOneResourceAndMovesThemTogetherWhenItLeaves() throws Exception {
        external = E2eProxy.start(server, 2, "strategy", "sticky");
        XmppClient req1Laptop = client(XmppClient.login(server, "req1", PASSWORD, "laptop"));

        Set<XmppClient> first = thirtyRequests(req1, req1Laptop, "first-");
        assertEquals(1, first.size(), "30 requests of req1 from two resources went to " + first.size() + " resources");
        XmppClient chosen = first.iterator().next();

        chosen.close();
        E2eProxy.awaitResources(external, 1);
        Set<XmppClient> second = thirtyRequests(req1, req1Laptop, "second-");

        assertEquals(1, second.size());
        assertNotSame(chosen, second.iterator().next());
    }

    /** Sends 30 requests alternately from two resources of one account, answers each; returns which resources got them. */
    private Set<XmppClient> thirtyRequests(XmppClient one, XmppClient other, String prefix) throws Exception {
        Set<XmppClient> resources = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            XmppClient requester = i % 2 == 0 ? one : other;
            requester.request(SERVICE, IQ.Type.get, prefix + i, "<n>" + i + "</n>");
            Received forwarded = nextRequest();
            resources.add(forwarded.at());
            forwarded.at().reply(forwarded.iq(), "<ok/>");
            IQ answer = requester.next();
            assertEquals(IQ.Type.result, answer.getType(), () -> answer.toXML().toString());
            assertEquals(prefix + i, answer.getStanzaId());
        }
        return resources;
    }

    /** A request of {@code requester} reaches the implementing client and its reply comes back. */
    private void assertServed(XmppClient requester, String id) throws Exception {
        requester.request(SERVICE, IQ.Type.get, id, "<q/>");
        Received forwarded = nextRequest();
        assertEquals(SERVICE + "/" + requester.jid(), forwarded.iq().getFrom().toString());
        forwarded.at().reply(forwarded.iq(), "<a/>");
        IQ answer = requester.next();
        assertEquals(IQ.Type.result, answer.getType(), () -> answer.toXML().toString());
        assertEquals(id, answer.getStanzaId());
    }

    private XmppClient client(XmppClient client) {
        clients.add(client);
        return client;
    }

    /** The next request forwarded to either resource of the implementing client. */
    private Received nextRequest() throws InterruptedException {
        Received received = XmppClient.next(implInbox, XmppClient.WAIT);
        IQ.Type type = received.iq().getType();
        assertTrue(type == IQ.Type.get || type == IQ.Type.set, () -> "not a request: " + received.iq().toXML());
        return received;
    }

    private static String payload(String innerXml) {
        return new PayloadIq(IQ.Type.result, innerXml).childXml();
    }

    private static void assertError(IQ answer, String id, StanzaError.Condition condition, StanzaError.Type type) {
        assertNotNull(answer, () -> "no answer to " + id);
        assertEquals(IQ.Type.error, answer.getType(), () -> id + " got " + answer.toXML());
        assertEquals(id, answer.getStanzaId());
        assertEquals(SERVICE, answer.getFrom().toString());
        assertEquals(condition, answer.getError().getCondition(), () -> answer.toXML().toString());
        assertEquals(type, answer.getError().getType(), () -> answer.toXML().toString());
    }
}
