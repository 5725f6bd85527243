package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/** The shared journal of outstanding requests, over a plain map as the members' cache. */
class ClusteredRequestJournalTest {
    private static final JID SERVICE = new JID("focus.example.org");
    private static final JID IMPL = new JID("impl@example.org/a");
    private static final String ALICE = "alice@example.org/phone";

    private final Map<String, String> shared = new HashMap<>();
    private long now = 1_000_000;
    /** What the journal asked the plugin's worker to run. */
    private final Queue<Runnable> worker = new ConcurrentLinkedQueue<>();
    private final ClusteredRequestJournal journal = new ClusteredRequestJournal("focus", shared, () -> now, worker::add);

    @Test
    void aRequestAnsweredBeforeTheNextWriteNeverReachesTheCluster() {
        journal.forwarded(ALICE, "fast", SERVICE, IMPL, Duration.ofSeconds(30));
        journal.settled(ALICE, "fast");
        journal.flush();
        assertEquals(Map.of(), shared);
    }

    @Test
    void aSlowRequestIsWrittenThenRemovedOnceSettled() {
        journal.forwarded(ALICE, "slow", SERVICE, IMPL, Duration.ofSeconds(30));
        journal.flush();
        assertEquals(Map.of("focus\n" + ALICE + "\nslow", SERVICE + "\n" + IMPL + "\n" + (now + 30_000)), shared);

        journal.settled(ALICE, "slow");
        journal.flush();
        assertEquals(Map.of(), shared);
    }

    @Test
    void anAnsweredRequestThatWasWrittenIsRemovedByTheWorkerAtOnceNotAtTheNextWrite() {
        journal.forwarded(ALICE, "slow", SERVICE, IMPL, Duration.ofSeconds(30));
        journal.forwarded(ALICE, "slower", SERVICE, IMPL, Duration.ofSeconds(30));
        journal.forwarded(ALICE, "fast", SERVICE, IMPL, Duration.ofSeconds(30));
        journal.flush();
        journal.forwarded(ALICE, "new", SERVICE, IMPL, Duration.ofSeconds(30));

        journal.settled(ALICE, "slow");
        journal.settled(ALICE, "slower");
        assertEquals(3, shared.size(), "the proxy's thread writes nothing itself");
        assertEquals(1, worker.size(), "one task for both removals");

        worker.poll().run();
        assertEquals(List.of("focus\n" + ALICE + "\nfast"), List.copyOf(shared.keySet()),
                "removed, and the new request is still left for the next write");
    }

    @Test
    void theNextInstanceAdoptsItsSubdomainsRequestsAndRemovesThemWhenAnswered() throws Exception {
        ClusteredRequestJournal before = new ClusteredRequestJournal("focus", shared, () -> now, worker::add);
        before.forwarded(ALICE, "late", SERVICE, IMPL, Duration.ofSeconds(30));
        before.forwarded(ALICE, "never", SERVICE, IMPL, Duration.ofSeconds(5));
        before.flush();
        shared.put("other\n" + ALICE + "\nx", SERVICE + "\n" + IMPL + "\n" + now);
        shared.put("focus\n" + ALICE + "\nbroken", "not a journal entry");

        Queue<Packet> sent = new ConcurrentLinkedQueue<>();
        ClientProxy next = new ClientProxy(ProxySettings.parse("focus", Map.of("target", "impl@example.org")::get));
        next.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
        next.start();
        next.setJournal(journal);
        now += 2_000;
        assertEquals(2, journal.adoptInto(next));
        assertEquals(List.of("focus\n" + ALICE + "\nlate", "focus\n" + ALICE + "\nnever", "other\n" + ALICE + "\nx"),
                shared.keySet().stream().sorted().toList(), "another proxy's entry and the unreadable one's removal");

        IQ late = new IQ(IQ.Type.result, "late");
        late.setFrom(IMPL);
        late.setTo(new JID(null, SERVICE.getDomain(), ALICE));
        sent.clear();
        next.processPacket(late);
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.result
                && "late".equals(iq.getID()) && ALICE.equals(String.valueOf(iq.getTo()))), sent::toString);
        journal.flush();
        assertEquals(List.of("focus\n" + ALICE + "\nnever", "other\n" + ALICE + "\nx"),
                shared.keySet().stream().sorted().toList());
    }
}
