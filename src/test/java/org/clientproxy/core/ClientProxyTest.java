package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dom4j.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/** The forwarding rules, one at a time, against an in-memory server. */
class ClientProxyTest {
    static final JID SERVICE = new JID("svc.example.org");
    static final JID TARGET = new JID("impl@example.org");
    static final JID IMPL_A = new JID("impl@example.org/a");
    static final JID IMPL_B = new JID("impl@example.org/b");
    static final JID ALICE = new JID("alice@example.org/phone");
    static final JID BOB = new JID("bob@example.net/laptop");
    static final String TEST_NS = "urn:example:test";

    final ManualClock clock = new ManualClock();
    final RecordingComponentManager server = new RecordingComponentManager();
    ClientProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = startedProxy(Map.of());
    }

    ClientProxy startedProxy(Map<String, String> overrides) {
        ClientProxy started = new ClientProxy(settings(overrides), clock);
        started.initialize(SERVICE, server);
        started.start();
        server.takeAll();
        return started;
    }

    static ProxySettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(ProxySettings.TARGET, TARGET.toString()));
        values.putAll(overrides);
        try {
            return ProxySettings.parse("svc", values::get);
        } catch (InvalidSettingsException e) {
            throw new AssertionError(e);
        }
    }

    void online(JID... resources) {
        for (JID resource : resources) {
            presence(proxy, null, resource);
        }
    }

    void offline(JID resource) {
        presence(proxy, Presence.Type.unavailable, resource);
    }

    /** A presence of {@code from} to the service ({@code null}: available). */
    static void presence(ClientProxy proxy, Presence.Type type, JID from) {
        Presence presence = new Presence(type);
        presence.setFrom(from);
        presence.setTo(SERVICE);
        proxy.processPacket(presence);
    }

    /** Reconfigures and forgets the presence the proxy sends to ask for the target's again. */
    void reconfigureQuietly(Map<String, String> overrides) {
        proxy.reconfigure(settings(overrides));
        server.takeAll();
    }

    static IQ request(JID from, String id, IQ.Type type, JID to) {
        IQ request = new IQ(type, id);
        request.setFrom(from);
        request.setTo(to);
        request.setChildElement("query", TEST_NS).addElement("data").setText("payload of " + id);
        return request;
    }

    static IQ get(JID from, String id) {
        return request(from, id, IQ.Type.get, SERVICE);
    }

    /** Sends a request and returns what the proxy forwarded. */
    IQ forward(IQ request) {
        proxy.processPacket(request);
        return server.takeOnly(IQ.class);
    }

    static IQ resultFor(IQ forwarded, String answer) {
        IQ result = IQ.createResultIQ(forwarded);
        result.setChildElement("answer", TEST_NS).setText(answer);
        return result;
    }

    static void assertError(Packet packet, Condition condition, PacketError.Type type, JID from, JID to, String id) {
        assertEquals(condition, packet.getError().getCondition(), packet::toXML);
        assertEquals(type, packet.getError().getType(), packet::toXML);
        assertEquals(from, packet.getFrom(), "answered from the address the request went to");
        assertEquals(to, packet.getTo());
        assertEquals(id, packet.getID());
    }

    // ---- Forwarding and relaying ---------------------------------------------------------

    @Test
    void forwardsRequestFromTranslatedAddressWithSameIdAndPayload() {
        online(IMPL_A);
        IQ request = request(ALICE, "q1", IQ.Type.set, SERVICE);

        IQ forwarded = forward(request);

        assertEquals(new JID("svc.example.org/alice@example.org/phone"), forwarded.getFrom());
        assertEquals(IMPL_A, forwarded.getTo());
        assertEquals("q1", forwarded.getID());
        assertEquals(IQ.Type.set, forwarded.getType());
        assertEquals(request.getChildElement().asXML(), forwarded.getChildElement().asXML());
        assertEquals(SERVICE, request.getTo(), "the requester's stanza is not modified");
    }

    @Test
    void relaysResultToRequesterFromServiceAddress() {
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));

        proxy.processPacket(resultFor(forwarded, "42"));

        IQ relayed = server.takeOnly(IQ.class);
        assertEquals(IQ.Type.result, relayed.getType());
        assertEquals(SERVICE, relayed.getFrom());
        assertEquals(ALICE, relayed.getTo());
        assertEquals("q1", relayed.getID());
        assertEquals("42", relayed.getChildElement().getText());
        assertEquals(1, proxy.status().counters().resultsRelayed());
        assertEquals(0, proxy.status().outstanding());
    }

    @Test
    void replyComesFromTheFullServiceAddressTheRequestWentTo() {
        online(IMPL_A);
        JID serviceResource = new JID("svc.example.org/x");
        IQ forwarded = forward(request(ALICE, "q1", IQ.Type.get, serviceResource));

        proxy.processPacket(resultFor(forwarded, "ok"));

        assertEquals(serviceResource, server.takeOnly(IQ.class).getFrom());
    }

    @Test
    void relaysErrorReplyIntact() {
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));
        IQ error = IQ.createResultIQ(forwarded);
        error.setType(IQ.Type.error);
        error.setError(new PacketError(Condition.item_not_found, PacketError.Type.cancel, "no such thing"));

        proxy.processPacket(error);

        IQ relayed = server.takeOnly(IQ.class);
        assertError(relayed, Condition.item_not_found, PacketError.Type.cancel, SERVICE, ALICE, "q1");
        assertEquals("no such thing", relayed.getError().getText());
        assertEquals(1, proxy.status().counters().errorsRelayed());
    }

    @Test
    void twoRequestersMayUseTheSameIdAtOnce() {
        online(IMPL_A);
        IQ fromAlice = forward(get(ALICE, "same"));
        IQ fromBob = forward(get(BOB, "same"));

        proxy.processPacket(resultFor(fromBob, "for bob"));
        proxy.processPacket(resultFor(fromAlice, "for alice"));

        List<Packet> relayed = server.takeAll();
        assertEquals(2, relayed.size());
        assertEquals(BOB, relayed.get(0).getTo());
        assertEquals("for bob", ((IQ) relayed.get(0)).getChildElement().getText());
        assertEquals(ALICE, relayed.get(1).getTo());
        assertEquals("for alice", ((IQ) relayed.get(1)).getChildElement().getText());
    }

    @Test
    void disco_infoFromUsersIsForwarded() {
        online(IMPL_A);
        IQ disco = new IQ(IQ.Type.get, "d1");
        disco.setFrom(ALICE);
        disco.setTo(SERVICE);
        disco.setChildElement("query", "http://jabber.org/protocol/disco#info");

        assertEquals(IMPL_A, forward(disco).getTo());
    }

    @Test
    void serverQueriesAtRegistrationAreAnsweredLocally() {
        for (String from : new String[] {"example.org", "component.example.org"}) {
            for (String namespace : new String[] {"http://jabber.org/protocol/disco#info", "jabber:iq:version"}) {
                IQ query = new IQ(IQ.Type.get, "s-" + namespace);
                query.setFrom(from);
                query.setTo(SERVICE);
                query.setChildElement("query", namespace);

                proxy.processPacket(query);

                IQ answer = server.takeOnly(IQ.class);
                assertEquals(IQ.Type.result, answer.getType());
                assertEquals(new JID(from), answer.getTo());
                assertEquals(SERVICE, answer.getFrom());
                assertEquals(namespace, answer.getChildElement().getNamespaceURI());
            }
        }
        assertEquals(0, proxy.status().counters().forwarded());
    }

    @Test
    void localDiscoInfoNamesTheComponent() {
        IQ query = new IQ(IQ.Type.get, "s1");
        query.setFrom("example.org");
        query.setTo(SERVICE);
        query.setChildElement("query", "http://jabber.org/protocol/disco#info");

        proxy.processPacket(query);

        Element identity = server.takeOnly(IQ.class).getChildElement().element("identity");
        assertEquals("component", identity.attributeValue("category"));
        assertEquals("Client Proxy", identity.attributeValue("name"));
    }

    // ---- Replies that must not be delivered ----------------------------------------------

    @Test
    void dropsRepliesFromAnyoneButTheResourceAsked() {
        online(IMPL_A, IMPL_B);
        IQ forwarded = forward(get(ALICE, "q1"));
        JID otherResource = forwarded.getTo().equals(IMPL_A) ? IMPL_B : IMPL_A;

        for (JID forger : new JID[] {otherResource, BOB, TARGET}) {
            IQ forged = resultFor(forwarded, "forged");
            forged.setFrom(forger);
            proxy.processPacket(forged);
        }

        assertEquals(List.of(), server.takeAll());
        assertEquals(3, proxy.status().counters().droppedReplies());
        proxy.processPacket(resultFor(forwarded, "genuine"));
        assertEquals("genuine", server.takeOnly(IQ.class).getChildElement().getText());
    }

    @Test
    void dropsSecondReplyAndRepliesToIdsNeverIssued() {
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));
        proxy.processPacket(resultFor(forwarded, "first"));
        server.takeAll();

        proxy.processPacket(resultFor(forwarded, "second"));
        IQ unknownId = resultFor(forwarded, "unknown");
        unknownId.setID("never-issued");
        proxy.processPacket(unknownId);
        IQ toBareService = resultFor(forwarded, "untranslated");
        toBareService.setTo(SERVICE);
        proxy.processPacket(toBareService);

        assertEquals(List.of(), server.takeAll());
        assertEquals(3, proxy.status().counters().droppedReplies());
    }

    @Test
    void neverAnswersAnErrorWithAnError() {
        online(IMPL_A);
        IQ strayError = new IQ(IQ.Type.error, "e1");
        strayError.setFrom(BOB);
        strayError.setTo(SERVICE);
        strayError.setError(Condition.bad_request);
        Message errorMessage = new Message();
        errorMessage.setType(Message.Type.error);
        errorMessage.setFrom(BOB);
        errorMessage.setTo(SERVICE);

        proxy.processPacket(strayError);
        proxy.processPacket(errorMessage);

        assertEquals(List.of(), server.takeAll());
    }

    // ---- Every request gets exactly one answer -------------------------------------------

    @Test
    void noResourceOnlineIsServiceUnavailableAtOnce() {
        proxy.processPacket(get(ALICE, "q1"));

        assertError(server.takeOnly(IQ.class), Condition.service_unavailable, PacketError.Type.cancel, SERVICE, ALICE, "q1");
        assertEquals(1, proxy.status().counters().noResource());
    }

    @Test
    void getIsResentOnceToAnotherResourceWhenItsResourceLeaves() {
        online(IMPL_A, IMPL_B);
        IQ first = forward(get(ALICE, "q1"));
        JID other = first.getTo().equals(IMPL_A) ? IMPL_B : IMPL_A;

        offline(first.getTo());

        IQ resent = server.takeOnly(IQ.class);
        assertEquals(other, resent.getTo());
        assertEquals(first.getFrom(), resent.getFrom());
        assertEquals("q1", resent.getID());
        assertEquals(first.getChildElement().asXML(), resent.getChildElement().asXML());
        assertEquals(1, proxy.status().counters().retried());

        proxy.processPacket(resultFor(resent, "from the other one"));
        assertEquals(ALICE, server.takeOnly(IQ.class).getTo());
    }

    @Test
    void retriedGetWhoseSecondResourceLeavesTooIsRecipientUnavailable() {
        online(IMPL_A, IMPL_B);
        IQ first = forward(get(ALICE, "q1"));
        offline(first.getTo());
        IQ resent = server.takeOnly(IQ.class);
        online(first.getTo());

        offline(resent.getTo());

        assertError(server.takeOnly(IQ.class), Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "q1");
        assertEquals(1, proxy.status().counters().resourceLost());
    }

    @Test
    void setIsRecipientUnavailableWhenItsResourceLeaves() {
        online(IMPL_A, IMPL_B);
        IQ forwarded = forward(request(ALICE, "s1", IQ.Type.set, SERVICE));

        offline(forwarded.getTo());

        assertError(server.takeOnly(IQ.class), Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "s1");
    }

    @Test
    void getWithNowhereElseToGoIsRecipientUnavailable() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));

        offline(IMPL_A);

        assertError(server.takeOnly(IQ.class), Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "q1");
        assertEquals(0, proxy.status().outstanding());
    }

    @Test
    void requestsOfOtherResourcesStayWhenOneLeaves() {
        online(IMPL_A, IMPL_B);
        reconfigureQuietly(Map.of(ProxySettings.STRATEGY, "round-robin"));
        IQ one = forward(get(ALICE, "q1"));
        IQ two = forward(get(ALICE, "q2"));
        assertNotEquals(one.getTo(), two.getTo());

        offline(one.getTo());
        server.takeAll();

        proxy.processPacket(resultFor(two, "still here"));
        assertEquals("still here", server.takeOnly(IQ.class).getChildElement().getText());
    }

    @Test
    void timeoutIsRemoteServerTimeoutAndTheLateReplyIsDropped() {
        // Pinged only after the timeout, so that nothing else is sent while the request waits.
        proxy = startedProxy(Map.of(ProxySettings.TIMEOUT_MILLIS, "5000", ProxySettings.UNRESPONSIVE_MILLIS, "12000"));
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));

        clock.advance(Duration.ofMillis(4999));
        proxy.expireOverdue();
        assertEquals(List.of(), server.takeAll());

        clock.advance(Duration.ofMillis(1));
        proxy.expireOverdue();
        assertError(server.takeOnly(IQ.class), Condition.remote_server_timeout, PacketError.Type.wait, SERVICE, ALICE, "q1");

        proxy.processPacket(resultFor(forwarded, "late"));
        assertEquals(List.of(), server.takeAll());
        ProxySnapshot.Counters counters = proxy.status().counters();
        assertEquals(1, counters.timeouts());
        assertEquals(1, counters.droppedReplies());
    }

    @Test
    void perRequesterCapIsResourceConstraint() {
        proxy = startedProxy(Map.of(ProxySettings.MAX_PER_REQUESTER, "2"));
        online(IMPL_A);
        IQ first = forward(get(ALICE, "q1"));
        forward(get(ALICE, "q2"));

        proxy.processPacket(get(ALICE, "q3"));
        assertError(server.takeOnly(IQ.class), Condition.resource_constraint, PacketError.Type.wait, SERVICE, ALICE, "q3");
        forward(get(BOB, "b1"));

        proxy.processPacket(resultFor(first, "done"));
        server.takeAll();
        forward(get(ALICE, "q4"));
        assertEquals(1, proxy.status().counters().rejectedByCaps());
    }

    @Test
    void proxyCapIsResourceConstraint() {
        proxy = startedProxy(Map.of(ProxySettings.MAX_OUTSTANDING, "1"));
        online(IMPL_A);
        forward(get(ALICE, "q1"));

        proxy.processPacket(get(BOB, "b1"));

        assertError(server.takeOnly(IQ.class), Condition.resource_constraint, PacketError.Type.wait, SERVICE, BOB, "b1");
    }

    @Test
    void sameIdFromSameRequesterWhileOutstandingIsConflict() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));

        proxy.processPacket(request(ALICE, "q1", IQ.Type.get, new JID("svc.example.org/x")));

        assertError(server.takeOnly(IQ.class), Condition.conflict, PacketError.Type.cancel,
                new JID("svc.example.org/x"), ALICE, "q1");
        assertEquals(1, proxy.status().outstanding());
    }

    @Test
    void requesterThatCannotBeTranslatedGetsAnError() {
        online(IMPL_A);
        // A valid JID (its resource fits in 1023 bytes) that, whole, does not.
        JID longRequester = new JID("alice", "example.org", "r".repeat(1010));

        proxy.processPacket(get(longRequester, "q1"));

        assertError(server.takeOnly(IQ.class), Condition.jid_malformed, PacketError.Type.modify, SERVICE, longRequester, "q1");
        assertEquals(0, proxy.status().outstanding());
    }

    @Test
    void replyReachesARequesterWhoseAddressWasNotWrittenInCanonicalForm() {
        online(IMPL_A);
        IQ request = get(ALICE, "q1");
        // As a remote server may write it: a fullwidth letter, which resourceprep maps to ASCII.
        request.getElement().addAttribute("from", "alice@example.org/\uff50hone");
        IQ forwarded = forward(request);
        assertEquals("svc.example.org/alice@example.org/phone", forwarded.getElement().attributeValue("from"));

        proxy.processPacket(resultFor(forwarded, "ok"));

        IQ relayed = server.takeOnly(IQ.class);
        assertEquals(IQ.Type.result, relayed.getType());
        assertEquals("ok", relayed.getChildElement().getText());
    }

    @Test
    void requestsFailedByANewTargetAreCountedAsResourceLost() {
        online(IMPL_A, IMPL_B);
        forward(get(ALICE, "q1"));
        forward(request(ALICE, "q2", IQ.Type.set, SERVICE));

        proxy.reconfigure(settings(Map.of(ProxySettings.TARGET, "other@example.org")));

        ProxySnapshot status = proxy.status();
        assertEquals(0, status.outstanding());
        assertEquals(2, status.counters().resourceLost());
        assertEquals(2, server.takeMatching(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.error).size());
    }

    @Test
    void replyFromThePreviousTargetIsDroppedAfterARetarget() {
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));
        JID newTarget = new JID("other@example.org/x");
        proxy.reconfigure(settings(Map.of(ProxySettings.TARGET, newTarget.toBareJID())));
        server.takeAll();
        online(newTarget);

        proxy.processPacket(resultFor(forwarded, "too late"));

        assertEquals(List.of(), server.takeAll());
    }

    @Test
    void shutdownAnswersEverythingOutstanding() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));

        proxy.shutdown();

        List<Packet> sent = server.takeAll();
        IQ error = (IQ) sent.stream().filter(IQ.class::isInstance).findFirst().orElseThrow();
        assertError(error, Condition.service_unavailable, PacketError.Type.cancel, SERVICE, ALICE, "q1");
        assertEquals(0, proxy.status().outstanding());
    }

    /** The Openfire adapter ends the component itself when Openfire may not have: the second time does nothing. */
    @Test
    void aSecondShutdownSendsNothing() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));
        proxy.shutdown();
        server.takeAll();

        proxy.shutdown();

        assertEquals(List.of(), server.takeAll());
    }

    // ---- Everything else -----------------------------------------------------------------

    @Test
    void requestsFromTheTargetAreRefusedNeverForwarded() {
        online(IMPL_A, IMPL_B);
        for (JID to : new JID[] {SERVICE, new JID("svc.example.org/alice@example.org/phone")}) {
            proxy.processPacket(request(IMPL_B, "loop", IQ.Type.get, to));

            assertError(server.takeOnly(IQ.class), Condition.feature_not_implemented, PacketError.Type.cancel, to, IMPL_B, "loop");
        }
        assertEquals(0, proxy.status().counters().forwarded());
    }

    @Test
    void messagesAreFeatureNotImplemented() {
        Message message = new Message();
        message.setFrom(ALICE);
        message.setTo(SERVICE);
        message.setID("m1");
        message.setBody("hello");

        proxy.processPacket(message);

        Message error = server.takeOnly(Message.class);
        assertEquals(Message.Type.error, error.getType());
        assertError(error, Condition.feature_not_implemented, PacketError.Type.cancel, SERVICE, ALICE, "m1");
    }

    // ---- Presence and subscription -------------------------------------------------------

    @Test
    void startSubscribesAndProbesOnceTheSubscriptionIsGranted() {
        ClientProxy fresh = new ClientProxy(settings(Map.of()), clock);
        fresh.initialize(SERVICE, server);
        assertEquals(SubscriptionState.NONE, fresh.status().subscription());

        fresh.start();

        Presence subscribe = server.takeOnly(Presence.class);
        assertEquals(Presence.Type.subscribe, subscribe.getType());
        assertEquals(TARGET, subscribe.getTo());
        assertEquals(SERVICE, subscribe.getFrom());
        assertEquals(SubscriptionState.PENDING, fresh.status().subscription());

        // What the server answers by itself when the target approved earlier (RFC 6121 3.1.3).
        Presence subscribed = new Presence(Presence.Type.subscribed);
        subscribed.setFrom(TARGET);
        subscribed.setTo(SERVICE);
        fresh.processPacket(subscribed);

        Presence probe = server.takeOnly(Presence.class);
        assertEquals(Presence.Type.probe, probe.getType());
        assertEquals(TARGET, probe.getTo());
        assertEquals(SubscriptionState.GRANTED, fresh.status().subscription());
    }

    @Test
    void resubscribingWhenGrantedAlsoProbes() {
        online(IMPL_A);

        proxy.resubscribe();

        assertEquals(List.of(Presence.Type.subscribe, Presence.Type.probe),
                server.takeAll().stream().map(packet -> ((Presence) packet).getType()).toList());
    }

    @Test
    void tracksOnlineResourcesOfTheTargetOnly() {
        online(IMPL_A, IMPL_B, new JID("stranger@example.org/a"));
        offline(IMPL_A);

        ProxySnapshot status = proxy.status();
        assertEquals(List.of(IMPL_B), status.resources().stream().map(ProxySnapshot.Resource::address).toList());
        assertEquals(SubscriptionState.GRANTED, status.subscription());
    }

    @Test
    void subscribedGrantsAndUnsubscribedRevokesAndFailsOutstanding() {
        Presence subscribed = new Presence(Presence.Type.subscribed);
        subscribed.setFrom(TARGET);
        proxy.processPacket(subscribed);
        assertEquals(SubscriptionState.GRANTED, proxy.status().subscription());
        server.takeAll();
        online(IMPL_A);
        forward(request(ALICE, "s1", IQ.Type.set, SERVICE));

        Presence unsubscribed = new Presence(Presence.Type.unsubscribed);
        unsubscribed.setFrom(TARGET);
        proxy.processPacket(unsubscribed);

        assertEquals(SubscriptionState.REVOKED, proxy.status().subscription());
        assertEquals(List.of(), proxy.status().resources());
        assertError(server.takeOnly(IQ.class), Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "s1");
    }

    @Test
    void answersTheTargetsSubscriptionRequestAndProbe() {
        Presence subscribe = new Presence(Presence.Type.subscribe);
        subscribe.setFrom(TARGET);
        proxy.processPacket(subscribe);
        Presence answer = server.takeOnly(Presence.class);
        assertEquals(Presence.Type.subscribed, answer.getType());
        assertEquals(TARGET, answer.getTo());

        Presence probe = new Presence(Presence.Type.probe);
        probe.setFrom(IMPL_A);
        proxy.processPacket(probe);
        Presence own = server.takeOnly(Presence.class);
        assertNull(own.getType());
        assertEquals(IMPL_A, own.getTo());
        assertEquals(SERVICE, own.getFrom());
    }

    // ---- Strategies and reconfiguration --------------------------------------------------

    @Test
    void roundRobinAlternatesAndRandomUsesEveryResource() {
        online(IMPL_A, IMPL_B);
        reconfigureQuietly(Map.of(ProxySettings.STRATEGY, "round-robin"));
        JID first = forward(get(ALICE, "r1")).getTo();
        JID second = forward(get(ALICE, "r2")).getTo();
        JID third = forward(get(ALICE, "r3")).getTo();
        assertNotEquals(first, second);
        assertEquals(first, third);

        reconfigureQuietly(Map.of(ProxySettings.STRATEGY, "random", ProxySettings.MAX_PER_REQUESTER, "1000"));
        Set<JID> used = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            used.add(forward(get(BOB, "x" + i)).getTo());
        }
        assertEquals(Set.of(IMPL_A, IMPL_B), used);
    }

    @Test
    void leastOutstandingPrefersTheLessBusyResource() {
        proxy = startedProxy(Map.of(ProxySettings.STRATEGY, "least-outstanding"));
        online(IMPL_A);
        forward(get(ALICE, "q1"));
        forward(get(ALICE, "q2"));
        online(IMPL_B);

        assertEquals(IMPL_B, forward(get(ALICE, "q3")).getTo());
        assertEquals(IMPL_B, forward(get(ALICE, "q4")).getTo());
    }

    @Test
    void newTargetFailsOutstandingAndSubscribesToIt() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));
        JID newTarget = new JID("other@example.org");

        proxy.reconfigure(settings(Map.of(ProxySettings.TARGET, newTarget.toString())));

        List<Packet> sent = server.takeAll();
        IQ error = (IQ) sent.get(0);
        assertError(error, Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "q1");
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof Presence presence
                && presence.getType() == Presence.Type.unsubscribe && presence.getTo().equals(TARGET)));
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof Presence presence
                && presence.getType() == Presence.Type.subscribe && presence.getTo().equals(newTarget)));
        assertEquals(List.of(), proxy.status().resources());
        online(IMPL_A);
        assertEquals(List.of(), proxy.status().resources(), "the old target's presence no longer counts");
    }

    @Test
    void everyReconfigurationAsksForThePresenceAgain() {
        Presence unsubscribed = new Presence(Presence.Type.unsubscribed);
        unsubscribed.setFrom(TARGET);
        proxy.processPacket(unsubscribed);
        assertEquals(SubscriptionState.REVOKED, proxy.status().subscription());

        proxy.reconfigure(settings(Map.of(ProxySettings.TIMEOUT_MILLIS, "5000")));

        Presence subscribe = server.takeOnly(Presence.class);
        assertEquals(Presence.Type.subscribe, subscribe.getType());
        assertEquals(TARGET, subscribe.getTo());
        assertEquals(SubscriptionState.PENDING, proxy.status().subscription());
    }

    @Test
    void newTimeoutAppliesToNewRequests() {
        online(IMPL_A);
        reconfigureQuietly(Map.of(ProxySettings.TIMEOUT_MILLIS, "1000"));
        forward(get(ALICE, "q1"));

        clock.advance(Duration.ofSeconds(1));
        proxy.expireOverdue();

        assertError(server.takeOnly(IQ.class), Condition.remote_server_timeout, PacketError.Type.wait, SERVICE, ALICE, "q1");
    }

    @Test
    void subdomainCannotChangeInPlace() {
        ProxySettings other;
        try {
            other = ProxySettings.parse("other", Map.of(ProxySettings.TARGET, TARGET.toString())::get);
        } catch (InvalidSettingsException e) {
            throw new AssertionError(e);
        }
        assertThrows(IllegalArgumentException.class, () -> proxy.reconfigure(other));
    }

    @Test
    void statusShowsResourcesWithTheirOutstandingRequestsAndLatency() {
        online(IMPL_A);
        IQ forwarded = forward(get(ALICE, "q1"));
        forward(get(ALICE, "q2"));
        ProxySnapshot.Resource resource = proxy.status().resources().get(0);
        assertEquals(IMPL_A, resource.address());
        assertEquals(2, resource.outstanding());

        clock.advance(Duration.ofMillis(3));
        proxy.processPacket(resultFor(forwarded, "ok"));

        ProxySnapshot status = proxy.status();
        assertEquals(1, status.outstanding());
        assertEquals(1, status.latency().count());
        assertEquals(Duration.ofMillis(3), status.latency().p50(), "as measured");
        assertEquals(2, status.lastHour().get(0).counters().forwarded());
        proxy.resetCounters();
        assertEquals(0, proxy.status().counters().forwarded());
        assertEquals(1, proxy.status().latency().count(), "the latency counts by time, not since the reset");
        assertEquals(2, proxy.status().lastHour().get(0).counters().forwarded(), "and so does the last hour");
    }
}
