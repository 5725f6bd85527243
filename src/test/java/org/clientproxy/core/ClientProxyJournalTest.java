package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.resultFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/** What a proxy tells its journal, and how another instance takes over what it left outstanding. */
class ClientProxyJournalTest {
    private final ClientProxyTest base = new ClientProxyTest();
    private final List<String> journal = new CopyOnWriteArrayList<>();
    /** Whether the journal holds what it is given before sending it (a slow cluster), or sends at once. */
    private boolean holding;
    private final List<RequestJournal.Forward> held = new CopyOnWriteArrayList<>();
    private final RequestJournal recording = new RequestJournal() {
        @Override
        public void forwarded(String requester, String id, JID service, JID resource, Duration remaining,
                              Forward forward) {
            journal.add("forwarded " + requester + " " + id + " " + service + " " + resource + " " + remaining);
            if (holding) {
                held.add(forward);
            } else {
                forward.send();
            }
        }

        @Override
        public void settled(String requester, String id) {
            journal.add("settled " + requester + " " + id);
        }
    };

    @BeforeEach
    void start() {
        base.startProxy();
        base.proxy.setJournal(recording);
    }

    @Test
    void everyForwardedRequestIsJournaledAndSettledOnce() {
        base.online(IMPL_A);
        IQ forwarded = base.forward(get(ALICE, "r1"));
        base.proxy.processPacket(resultFor(forwarded, "done"));
        base.proxy.processPacket(resultFor(forwarded, "again"));
        base.server.takeAll();
        base.forward(get(ALICE, "r2"));
        base.clock.advance(Duration.ofMinutes(1));
        base.proxy.expireOverdue();

        assertEquals(List.of("forwarded " + ALICE + " r1 " + SERVICE + " " + IMPL_A + " PT30S",
                "settled " + ALICE + " r1",
                "forwarded " + ALICE + " r2 " + SERVICE + " " + IMPL_A + " PT30S",
                "settled " + ALICE + " r2"), journal);
    }

    @Test
    void aRetryIsJournaledWithItsNewResource() {
        base.online(IMPL_A, IMPL_B);
        IQ forwarded = base.forward(get(ALICE, "r1"));
        JID first = forwarded.getTo();
        JID second = first.equals(IMPL_A) ? IMPL_B : IMPL_A;
        base.clock.advance(Duration.ofSeconds(10));
        base.offline(first);

        assertEquals(List.of("forwarded " + ALICE + " r1 " + SERVICE + " " + first + " PT30S",
                "forwarded " + ALICE + " r1 " + SERVICE + " " + second + " PT20S"), journal);
    }

    @Test
    void aRequestIsSentOnlyWhenTheJournalSaysItHoldsIt() {
        base.online(IMPL_A);
        holding = true;
        base.proxy.processPacket(get(ALICE, "r1"));
        assertEquals(List.of(), base.server.takeAll(), "not before the journal holds it");
        assertEquals(1, held.size());
        assertTrue(held.get(0).outstanding());

        held.get(0).send();
        IQ forwarded = base.server.takeOnly(IQ.class);
        assertEquals(IMPL_A, forwarded.getTo());
        assertEquals("r1", forwarded.getID());
    }

    @Test
    void aRequestAnsweredBeforeTheJournalHoldsItIsNotSent() {
        base.online(IMPL_A);
        holding = true;
        base.proxy.processPacket(get(ALICE, "r1"));
        base.proxy.requesterGone(ALICE);

        RequestJournal.Forward forward = held.get(0);
        assertFalse(forward.outstanding());
        forward.send();
        assertEquals(List.of(), base.server.takeAll());
        assertEquals(List.of("forwarded " + ALICE + " r1 " + SERVICE + " " + IMPL_A + " PT30S",
                "settled " + ALICE + " r1"), journal);
    }

    @Test
    void aRequestWhoseResourceLeftBeforeTheJournalHeldItIsResentWhenItIs() {
        base.online(IMPL_A, IMPL_B);
        holding = true;
        base.proxy.processPacket(get(ALICE, "r1"));
        JID first = journal.get(0).endsWith(IMPL_A + " PT30S") ? IMPL_A : IMPL_B;
        JID second = first.equals(IMPL_A) ? IMPL_B : IMPL_A;
        base.offline(first);

        assertFalse(held.get(0).outstanding(), "the re-sent get replaced it");
        held.get(0).send();
        assertEquals(List.of(), base.server.takeAll(), "nothing to the resource that left");
        held.get(1).send();
        assertEquals(second, base.server.takeOnly(IQ.class).getTo());
    }

    @Test
    void anAdoptedRequestTakesTheLateReplyOfItsResourceOnly() {
        // This instance has not even seen the resource's presence yet: a new senior right after a failover.
        assertTrue(base.proxy.adopt(ALICE.toString(), "r1", SERVICE, IMPL_A, Duration.ofSeconds(10)));
        assertFalse(base.proxy.adopt(ALICE.toString(), "r1", SERVICE, IMPL_A, Duration.ofSeconds(10)), "once");
        JID translated = new JID(null, SERVICE.getDomain(), ALICE.toString());

        IQ fromOther = new IQ(IQ.Type.result, "r1");
        fromOther.setFrom(IMPL_B);
        fromOther.setTo(translated);
        base.proxy.processPacket(fromOther);
        assertEquals(List.of(), base.server.takeAll(), "only the resource that was asked may answer");

        IQ late = new IQ(IQ.Type.result, "r1");
        late.setFrom(IMPL_A);
        late.setTo(translated);
        base.proxy.processPacket(late);
        IQ relayed = base.server.takeOnly(IQ.class);
        assertEquals(IQ.Type.result, relayed.getType());
        assertEquals(SERVICE, relayed.getFrom());
        assertEquals(ALICE, relayed.getTo());
        assertEquals("r1", relayed.getID());
        assertEquals(List.of("settled " + ALICE + " r1"), journal);

        base.clock.advance(Duration.ofMinutes(1));
        base.proxy.expireOverdue();
        assertEquals(List.of(), base.server.takeAll(), "one answer");
    }

    @Test
    void anAdoptedRequestNobodyAnswersTimesOutAtItsDeadline() {
        base.proxy.adopt(ALICE.toString(), "r1", SERVICE, IMPL_A, Duration.ofSeconds(3));
        base.clock.advance(Duration.ofSeconds(2));
        base.proxy.expireOverdue();
        assertEquals(List.of(), base.server.takeAll());

        base.clock.advance(Duration.ofSeconds(1));
        base.proxy.expireOverdue();
        assertError(base.server.takeOnly(IQ.class), PacketError.Condition.remote_server_timeout,
                PacketError.Type.wait, SERVICE, ALICE, "r1");
        assertEquals(List.of("settled " + ALICE + " r1"), journal);
    }

    @Test
    void anAdoptedRequestGetsAnErrorWhenItsResourceLeaves() {
        base.online(IMPL_A);
        base.proxy.adopt(ALICE.toString(), "known", SERVICE, IMPL_A, Duration.ofSeconds(30));
        // Adopted before this instance saw the resource online: a new senior right after a failover.
        base.proxy.adopt(ALICE.toString(), "unseen", SERVICE, IMPL_B, Duration.ofSeconds(30));
        base.online(IMPL_B);
        assertEquals(1, base.proxy.status().resources().stream()
                .filter(resource -> resource.address().equals(IMPL_A)).findFirst().orElseThrow().outstanding(),
                "counted with the resource it went to");

        base.offline(IMPL_A);
        base.offline(IMPL_B);
        List<IQ> errors = base.server.takeAll().stream().map(IQ.class::cast).toList();
        assertEquals(2, errors.size(), errors::toString);
        for (IQ error : errors) {
            assertError(error, PacketError.Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE,
                    error.getID());
        }
        assertEquals(List.of("known", "unseen"), errors.stream().map(IQ::getID).sorted().toList());
    }
}
