package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.BOB;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.clientproxy.core.ClientProxyTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/** A requester whose session ends: its requests are dropped, and a new session of its address starts clean. */
class RequesterGoneTest {
    private static final JID ALICE_LAPTOP = new JID("alice@example.org/laptop");

    private final ManualClock clock = new ManualClock();
    private final RecordingComponentManager server = new RecordingComponentManager();
    private ClientProxy proxy;

    private void start(Map<String, String> overrides, JID... online) {
        proxy = new ClientProxy(settings(overrides), clock);
        proxy.initialize(SERVICE, server);
        proxy.start();
        for (JID resource : online) {
            presence(null, resource);
        }
        server.takeAll();
    }

    private void presence(Presence.Type type, JID from) {
        ClientProxyTest.presence(proxy, type, from);
    }

    private IQ forward(JID from, String id) {
        proxy.processPacket(get(from, id));
        IQ forwarded = server.takeOnly(IQ.class);
        assertEquals(IQ.Type.get, forwarded.getType(), forwarded::toXML);
        return forwarded;
    }

    @Test
    void onlyThatFullJidsRequestsAreDroppedUnansweredAndTheirLateRepliesNeverRelayed() {
        start(Map.of(), IMPL_A);
        IQ one = forward(ALICE, "q1");
        IQ two = forward(ALICE, "q2");
        IQ laptop = forward(ALICE_LAPTOP, "q1");
        IQ bob = forward(BOB, "b1");

        proxy.requesterGone(ALICE);

        assertEquals(List.of(), server.takeAll(), "nobody is there to answer");
        assertEquals(2, proxy.status().outstanding());
        assertEquals(2, proxy.status().counters().requesterGone());

        proxy.processPacket(resultFor(one, "late"));
        proxy.processPacket(resultFor(two, "late"));
        assertEquals(List.of(), server.takeAll());
        assertEquals(2, proxy.status().counters().droppedReplies());

        proxy.processPacket(resultFor(laptop, "for the laptop"));
        proxy.processPacket(resultFor(bob, "for bob"));
        assertEquals(List.of(ALICE_LAPTOP, BOB), server.takeAll().stream().map(packet -> packet.getTo()).toList());
    }

    @Test
    void aNewSessionOfTheSameAddressIsServedAtOnceAndNeverGetsTheOldAnswers() {
        start(Map.of(ProxySettings.MAX_PER_REQUESTER, "3"), IMPL_A);
        List<IQ> old = List.of(forward(ALICE, "old-1"), forward(ALICE, "old-2"), forward(ALICE, "old-3"));
        proxy.processPacket(get(ALICE, "old-4"));
        assertError(server.takeOnly(IQ.class), Condition.resource_constraint, PacketError.Type.wait, SERVICE, ALICE, "old-4");

        proxy.requesterGone(ALICE);
        IQ fresh = forward(ALICE, "new-1");
        for (IQ request : old) {
            proxy.processPacket(resultFor(request, "old answer"));
        }
        assertEquals(List.of(), server.takeAll(), "the old session's answers are dropped");

        proxy.processPacket(resultFor(fresh, "new answer"));
        IQ relayed = server.takeOnly(IQ.class);
        assertEquals("new answer", relayed.getChildElement().getText());
        assertEquals(ALICE, relayed.getTo());
    }

    @Test
    void aNewRequestWithTheIdOfADroppedOneStillWithTheServiceIsRefusedUntilThatIsAnswered() {
        start(Map.of(), IMPL_A);
        IQ old = forward(ALICE, "q1");
        proxy.requesterGone(ALICE);

        proxy.processPacket(get(ALICE, "q1"));
        assertError(server.takeOnly(IQ.class), Condition.conflict, PacketError.Type.cancel, SERVICE, ALICE, "q1");
        assertEquals(0, proxy.status().outstanding(), "the refused request holds nothing");

        proxy.processPacket(resultFor(old, "old answer"));
        assertEquals(List.of(), server.takeAll(), "recognised as the old answer and dropped");

        IQ again = forward(ALICE, "q1");
        proxy.processPacket(resultFor(again, "new answer"));
        assertEquals("new answer", server.takeOnly(IQ.class).getChildElement().getText());
    }

    @Test
    void aDroppedRequestIsForgottenAtItsDeadlineWithoutATimeoutError() {
        start(Map.of(ProxySettings.TIMEOUT_MILLIS, "5000"), IMPL_A);
        forward(ALICE, "q1");
        proxy.requesterGone(ALICE);

        clock.advance(Duration.ofMillis(5000));
        proxy.expireOverdue();

        assertEquals(List.of(), server.takeAll());
        assertEquals(0, proxy.status().counters().timeouts());
        forward(ALICE, "q1");
    }

    @Test
    void aDroppedRequestIsForgottenWhenItsResourceLeaves() {
        start(Map.of(), IMPL_A, IMPL_B);
        IQ old = forward(ALICE, "q1");
        proxy.requesterGone(ALICE);

        presence(Presence.Type.unavailable, old.getTo());

        assertEquals(List.of(), server.takeAll(), "neither retried nor answered");
        forward(ALICE, "q1");
    }

    @Test
    void onlyRequestsAdmittedByTheHostsReadingAreDropped() {
        start(Map.of(), IMPL_A);
        IQ earlier = forward(ALICE, "q1");
        clock.advance(Duration.ofMillis(1));
        IQ sameTick = forward(ALICE, "q2");
        long checked = proxy.nanoTime();
        clock.advance(Duration.ofNanos(1));
        // A newer session of the address, admitted after the host took its reading.
        IQ after = forward(ALICE, "q3");

        proxy.requesterGone(ALICE, checked);

        assertEquals(1, proxy.status().outstanding());
        for (IQ forwarded : List.of(earlier, sameTick, after)) {
            proxy.processPacket(resultFor(forwarded, forwarded.getID()));
        }
        assertEquals(List.of("q3"), server.takeAll().stream()
                .map(packet -> ((IQ) packet).getChildElement().getText()).toList());
    }

    @Test
    void aRequesterWithNothingOutstandingChangesNothing() {
        start(Map.of(), IMPL_A);
        proxy.requesterGone(BOB);
        assertEquals(0, proxy.status().counters().requesterGone());

        ClientProxy uninitialized = new ClientProxy(settings(Map.of()), clock);
        uninitialized.requesterGone(BOB);
        assertEquals(0, uninitialized.status().counters().requesterGone());
    }

    @Test
    void aRetargetForgetsTheDroppedRequests() {
        start(Map.of(), IMPL_A);
        forward(ALICE, "q1");
        proxy.requesterGone(ALICE);

        proxy.reconfigure(settings(Map.of(ProxySettings.TARGET, "other@example.org")));
        presence(null, new JID("other@example.org/x"));
        server.takeAll();

        IQ forwarded = forward(ALICE, "q1");
        assertEquals(new JID("other@example.org/x"), forwarded.getTo());
    }
}
