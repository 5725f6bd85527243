package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.BOB;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.TEST_NS;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.request;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;

/**
 * A resource that holds requests and stops answering: pinged at half the threshold, marked
 * unresponsive at the threshold, routed around, its gets re-sent, and used again once it answers.
 * The threshold is 2 s here, the timeout 30 s; round-robin makes the choice of resource predictable.
 */
class UnresponsiveResourceTest {
    static final Duration HALF = Duration.ofSeconds(1);
    static final Duration JUST_BEFORE_HALF = HALF.minusMillis(1);

    /** ClientProxyTest's in-memory server, clock and helpers, with a proxy of its own settings. */
    private final ClientProxyTest fixture = new ClientProxyTest();
    final ManualClock clock = fixture.clock;
    final RecordingComponentManager server = fixture.server;
    ClientProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = fixture.proxy = fixture.startedProxy(Map.of(ProxySettings.UNRESPONSIVE_MILLIS, "2000",
                ProxySettings.STRATEGY, "round-robin"));
    }

    void online(JID... resources) {
        fixture.online(resources);
    }

    IQ forward(IQ request) {
        return fixture.forward(request);
    }

    /** Advances the clock and runs the sweep; returns what the proxy sent. */
    List<Packet> after(Duration duration) {
        clock.advance(duration);
        proxy.expireOverdue();
        return server.takeAll();
    }

    static IQ assertPing(Packet packet, JID to) {
        IQ ping = (IQ) packet;
        assertEquals(IQ.Type.get, ping.getType(), packet::toXML);
        assertEquals(SERVICE, ping.getFrom(), "from the service's address");
        assertEquals(to, ping.getTo());
        assertEquals("ping", ping.getChildElement().getName());
        assertEquals("urn:xmpp:ping", ping.getChildElement().getNamespaceURI());
        return ping;
    }

    static IQ pong(IQ ping) {
        return IQ.createResultIQ(ping);
    }

    ProxySnapshot.Resource status(JID resource) {
        return proxy.status().resources().stream().filter(r -> r.address().equals(resource)).findFirst().orElseThrow();
    }

    /** A and B online; A holds the get {@code q1} and stays silent until it is marked unresponsive. */
    IQ freezeA() {
        online(IMPL_A, IMPL_B);
        IQ held = forward(get(ALICE, "q1"));
        assertEquals(IMPL_A, held.getTo());
        assertPing(after(HALF).get(0), IMPL_A);
        return held;
    }

    @Test
    void aFrozenResourceIsPingedThenMarkedAndItsGetIsResentToAResponsiveOne() {
        online(IMPL_A, IMPL_B);
        IQ held = forward(get(ALICE, "q1"));
        assertEquals(IMPL_A, held.getTo());
        IQ atB = forward(get(BOB, "q2"));
        assertEquals(IMPL_B, atB.getTo());
        proxy.processPacket(resultFor(atB, "fast"));
        server.takeAll();

        assertEquals(List.of(), after(JUST_BEFORE_HALF), "no ping before half the threshold");
        List<Packet> sent = after(Duration.ofMillis(1));
        assertEquals(1, sent.size(), "only A holds a request: only A is pinged");
        assertPing(sent.get(0), IMPL_A);
        assertTrue(status(IMPL_A).responsive(), "a ping is only a question");

        assertEquals(List.of(), after(JUST_BEFORE_HALF));
        Instant markedAt = clock.now().plusMillis(1);
        IQ resent = (IQ) after(Duration.ofMillis(1)).get(0);

        assertEquals(IMPL_B, resent.getTo());
        assertEquals(held.getFrom(), resent.getFrom(), "from the same translated address");
        assertEquals("q1", resent.getID());
        assertEquals(IQ.Type.get, resent.getType());
        assertEquals(held.getChildElement().asXML(), resent.getChildElement().asXML());
        assertEquals(markedAt, status(IMPL_A).unresponsiveSince());
        assertTrue(status(IMPL_B).responsive());
        assertEquals(0, status(IMPL_A).outstanding(), "the get moved to B");
        ProxySnapshot.Counters counters = proxy.status().counters();
        assertEquals(1, counters.markedUnresponsive());
        assertEquals(1, counters.retriedUnresponsive());
        assertEquals(0, counters.retried(), "not counted as a resource gone offline");

        for (int i = 0; i < 4; i++) {
            assertEquals(IMPL_B, forward(get(BOB, "later" + i)).getTo(), "only the responsive resource is chosen");
        }

        proxy.processPacket(resultFor(resent, "from B"));
        IQ relayed = server.takeOnly(IQ.class);
        assertEquals(ALICE, relayed.getTo());
        assertEquals("from B", relayed.getChildElement().getText());

        proxy.processPacket(resultFor(held, "late from A"));
        assertEquals(List.of(), server.takeAll(), "the second answer is dropped");
        assertEquals(1, proxy.status().counters().droppedReplies());
        assertTrue(status(IMPL_A).responsive(), "any stanza from A makes it responsive again");
    }

    @Test
    void whenTheFrozenResourceAnswersTheResentGetFirstItsReplyIsRelayedAndBsIsDropped() {
        IQ held = freezeA();
        IQ resent = (IQ) after(HALF).get(0);
        assertEquals(IMPL_B, resent.getTo());

        proxy.processPacket(resultFor(held, "from A"));
        assertEquals("from A", server.takeOnly(IQ.class).getChildElement().getText());
        proxy.processPacket(resultFor(resent, "from B"));

        assertEquals(List.of(), server.takeAll());
        assertEquals(1, proxy.status().counters().droppedReplies());
        assertEquals(0, proxy.status().outstanding());
        assertEquals(0, status(IMPL_B).outstanding());
    }

    @Test
    void aSlowResourceThatAnswersThePingIsNeverMarked() {
        online(IMPL_A, IMPL_B);
        IQ slow = forward(get(ALICE, "q1"));
        assertEquals(IMPL_A, slow.getTo());

        IQ ping = assertPing(after(HALF).get(0), IMPL_A);
        clock.advance(Duration.ofMillis(900));
        proxy.processPacket(pong(ping));
        assertEquals(List.of(), server.takeAll(), "a pong goes to no one");
        // Quiet for another half after the pong: asked again, and it answers with an error this time
        // (a client without XEP-0199 support): alive all the same, and an error is never answered.
        assertEquals(List.of(), after(JUST_BEFORE_HALF));
        IQ second = assertPing(after(Duration.ofMillis(1)).get(0), IMPL_A);
        IQ error = IQ.createResultIQ(second);
        error.setType(IQ.Type.error);
        error.setError(new PacketError(Condition.service_unavailable));
        clock.advance(HALF.minusMillis(100));
        proxy.processPacket(error);
        assertEquals(List.of(), server.takeAll());
        after(Duration.ofMillis(200));

        proxy.processPacket(resultFor(slow, "at last"));
        assertEquals("at last", server.takeOnly(IQ.class).getChildElement().getText());
        assertTrue(status(IMPL_A).responsive());
        ProxySnapshot.Counters counters = proxy.status().counters();
        assertEquals(0, counters.markedUnresponsive());
        assertEquals(0, counters.retriedUnresponsive());
        assertEquals(0, counters.droppedReplies(), "answers to the proxy's pings are not dropped replies");
    }

    @Test
    void aBusyResourceThatKeepsAnsweringIsNeverPinged() {
        online(IMPL_A);
        IQ previous = forward(get(ALICE, "q0"));
        for (int i = 1; i <= 40; i++) {
            // Always one request outstanding, each answered after 600 ms: it is never silent for 1 s.
            IQ next = forward(get(ALICE, "q" + i));
            assertEquals(List.of(), after(Duration.ofMillis(600)), "no ping to a resource that answers");
            proxy.processPacket(resultFor(previous, "answer"));
            server.takeAll();
            previous = next;
        }
        assertEquals(0, proxy.status().counters().markedUnresponsive());
    }

    @Test
    void anUnresponsiveResourceIsPingedNowAndThenAndComesBackWhenItAnswers() {
        freezeA();
        after(HALF);
        assertEquals(List.of(), after(HALF.minusMillis(1)));
        IQ probe = assertPing(after(Duration.ofMillis(1)).get(0), IMPL_A);

        proxy.processPacket(pong(probe));

        assertEquals(List.of(), server.takeAll());
        assertTrue(status(IMPL_A).responsive());
        assertEquals(Set.of(IMPL_A, IMPL_B), Set.of(forward(get(BOB, "b1")).getTo(), forward(get(BOB, "b2")).getTo()),
                "A is chosen again");
    }

    @Test
    void presenceFromAnUnresponsiveResourceMakesItResponsive() {
        freezeA();
        after(HALF);
        assertNull(status(IMPL_B).unresponsiveSince());

        online(IMPL_A);

        assertTrue(status(IMPL_A).responsive());
    }

    @Test
    void whenEveryResourceIsFrozenRequestsGoOnAndWaitForTheirTimeout() {
        online(IMPL_A, IMPL_B);
        IQ atA = forward(get(ALICE, "q1"));
        IQ atB = forward(get(BOB, "q2"));
        assertEquals(2, after(HALF).size(), "both pinged");
        assertEquals(List.of(), after(HALF), "both marked, and nothing to re-send to");
        assertTrue(!status(IMPL_A).responsive() && !status(IMPL_B).responsive());
        assertEquals(2, proxy.status().counters().markedUnresponsive());

        IQ meanwhile = forward(get(ALICE, "q3"));
        assertTrue(meanwhile.getTo().equals(IMPL_A) || meanwhile.getTo().equals(IMPL_B),
                "with no responsive resource, requests go on as before");

        // B comes back: A's gets move to it at the next sweep; B's own wait for B.
        proxy.processPacket(resultFor(atB, "B is back"));
        assertEquals("B is back", server.takeOnly(IQ.class).getChildElement().getText());
        List<Packet> resent = after(Duration.ofMillis(100));
        long toB = resent.stream().filter(packet -> IMPL_B.equals(packet.getTo())
                && ((IQ) packet).getChildElement().getNamespaceURI().equals(TEST_NS)).count();
        assertEquals(meanwhile.getTo().equals(IMPL_A) ? 2 : 1, toB);
        assertEquals(toB, proxy.status().counters().retriedUnresponsive());
        assertTrue(resent.stream().anyMatch(packet -> packet.getID().equals(atA.getID())), resent::toString);
    }

    @Test
    void whenEveryResourceStaysFrozenTheGetsTimeOut() {
        online(IMPL_A, IMPL_B);
        forward(get(ALICE, "q1"));
        forward(get(BOB, "q2"));
        after(HALF);
        after(HALF);

        List<Packet> answers = after(Duration.ofSeconds(28)).stream()
                .filter(packet -> ((IQ) packet).getType() == IQ.Type.error).toList();

        assertEquals(2, answers.size(), answers::toString);
        assertError(answers.get(0), Condition.remote_server_timeout, PacketError.Type.wait, SERVICE,
                answers.get(0).getTo(), answers.get(0).getID());
        assertEquals(0, proxy.status().counters().retriedUnresponsive());
    }

    @Test
    void aSetOnAFrozenResourceIsNeverResentAndWaitsForItsAnswerOrTimeout() {
        online(IMPL_A, IMPL_B);
        IQ set = forward(request(ALICE, "s1", IQ.Type.set, SERVICE));
        assertEquals(IMPL_A, set.getTo());
        forward(request(ALICE, "s2", IQ.Type.set, SERVICE)); // to B, which never answers either: wait
        IQ setAtA2 = forward(request(BOB, "s3", IQ.Type.set, SERVICE));
        assertEquals(IMPL_A, setAtA2.getTo());

        after(HALF);
        assertEquals(List.of(), after(HALF), "marked, nothing re-sent");
        assertEquals(2, proxy.status().counters().markedUnresponsive());
        assertEquals(0, proxy.status().counters().retriedUnresponsive());

        proxy.processPacket(resultFor(set, "late but done"));
        assertEquals("late but done", server.takeOnly(IQ.class).getChildElement().getText());
        List<Packet> timedOut = after(Duration.ofSeconds(28)).stream()
                .filter(packet -> ((IQ) packet).getType() == IQ.Type.error).toList();
        assertEquals(2, timedOut.size(), timedOut::toString);
        assertEquals(2, proxy.status().counters().timeouts());
    }

    @Test
    void aPingErrorOrPongIsNeverRelayedNorAnsweredEvenFromSomeoneElse() {
        online(IMPL_A);
        forward(get(ALICE, "q1"));
        IQ ping = assertPing(after(HALF).get(0), IMPL_A);

        IQ forged = pong(ping);
        forged.setFrom(BOB);
        proxy.processPacket(forged);
        IQ error = pong(ping);
        error.setType(IQ.Type.error);
        error.setFrom(BOB);
        proxy.processPacket(error);

        assertEquals(List.of(), server.takeAll());
        assertEquals(2, proxy.status().counters().droppedReplies(), "not from the target: counted as dropped");
        after(HALF);
        assertTrue(!status(IMPL_A).responsive(), "someone else's pong does not count for A");
    }
}
