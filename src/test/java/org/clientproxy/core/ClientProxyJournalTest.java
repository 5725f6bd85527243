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
    private final RequestJournal recording = new RequestJournal() {
        @Override
        public void forwarded(String requester, String id, JID service, JID resource, Duration remaining) {
            journal.add("forwarded " + requester + " " + id + " " + service + " " + resource + " " + remaining);
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
}
