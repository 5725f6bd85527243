package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.RequestJournal;
import org.clientproxy.testing.LogCapture;
import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/** The shared journal of outstanding requests, over a plain map as the members' cache. */
class ClusteredRequestJournalTest {
    private static final JID SERVICE = new JID("focus.example.org");
    private static final JID IMPL = new JID("impl@example.org/a");
    private static final JID OTHER_IMPL = new JID("impl@example.org/b");
    private static final String ALICE = "alice@example.org/phone";
    /** A requester connected to this member. */
    private static final String BOB = "bob@example.org/laptop";

    /** What happened, in order: the cluster's writes and the requests sent. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SharedMap shared = new SharedMap();
    private long now = 1_000_000;
    /** What the journal asked its writer thread to run. */
    private final Queue<Runnable> writer = new ConcurrentLinkedQueue<>();
    private final ClusteredRequestJournal journal = journal();

    @Test
    void aRequestIsSentOnlyOnceTheClusterHoldsIt() {
        Request request = forward("r1");
        assertEquals(List.of(), events, "the proxy's thread neither writes nor sends");

        runWriter();
        assertEquals(List.of("write [r1]", "sent r1"), events);
        assertEquals(List.of(new RequestRecord(ALICE, "r1", SERVICE, IMPL, now + 30_000)),
                shared.requests());

        request.answer();
        runWriter();
        assertEquals(Map.of(), shared);
    }

    @Test
    void requestsForwardedMeanwhileAreWrittenTogetherAsOneEntry() {
        forward("r1");
        forward("r2");
        forward("r3");
        assertEquals(1, writer.size(), "one task");

        runWriter();
        assertEquals(List.of("write [r1, r2, r3]", "sent r1", "sent r2", "sent r3"), events);
        assertEquals(1, shared.size());
    }

    @Test
    void aBurstIsSplitSoThatAnAnswerWritesOnlyItsOwnEntryAgain() {
        int burst = 2 * ClusteredRequestJournal.MAX_PER_ENTRY + 5;
        List<Request> requests = new java.util.ArrayList<>();
        for (int i = 0; i < burst; i++) {
            requests.add(forward("r" + i));
        }
        runWriter();
        assertEquals(3, events.stream().filter(event -> event.startsWith("write")).count(), events::toString);
        assertEquals(burst, events.stream().filter(event -> event.startsWith("sent")).count());
        assertEquals(burst, shared.requests().size());
        events.clear();

        requests.get(burst - 1).answer();
        runWriter();
        assertEquals(1, events.size(), events::toString);
        assertEquals(burst - 1, shared.ids().size());
        assertEquals("write [r" + (burst - 5) + ", r" + (burst - 4) + ", r" + (burst - 3) + ", r" + (burst - 2) + "]",
                events.get(0), "only the last entry, written again without it");
    }

    @Test
    void anEntryIsWrittenAgainWithoutItsAnsweredRequestsAndRemovedWithItsLast() {
        Request first = forward("r1");
        Request second = forward("r2");
        Request third = forward("r3");
        runWriter();
        events.clear();

        second.answer();
        runWriter();
        assertEquals(List.of("write [r1, r3]"), events);

        first.answer();
        third.answer();
        runWriter();
        assertEquals(List.of("write [r1, r3]", "remove [r1, r3]"), events, "one removal for both");
        assertEquals(Map.of(), shared);
    }

    @Test
    void aRequestAnsweredBeforeItsWriteIsNeitherWrittenNorSentNorRemoved() {
        forward("r1").answer();
        forward("r2");
        runWriter();
        assertEquals(List.of("write [r2]", "sent r2"), events, "no removal for what the cluster never had");
    }

    @Test
    void newRequestsGoBeforeTheRemovalOfAnsweredOnes() {
        Request first = forward("r1");
        runWriter();
        Request second = forward("r2");
        runWriter();
        first.answer();
        second.answer();
        events.clear();
        // A request forwarded while the writer removes r1's entry.
        shared.onRemove = () -> forward("r3");

        runWriter();
        assertEquals(List.of("remove [r1]", "write [r3]", "sent r3", "remove [r2]"), events);
    }

    @Test
    void aRequestOfAClientOfThisMemberIsSentAtOnceAndNeverWritten() {
        Request request = new Request(journal, BOB, "r1");
        journal.forwarded(BOB, "r1", SERVICE, IMPL, Duration.ofSeconds(30), request);
        assertEquals(List.of("sent r1"), events, "on the proxy's thread: its session ends with this member");
        request.answer();
        assertEquals(List.of(), List.copyOf(writer), "nothing to write or remove");
        assertEquals(Map.of(), shared);
    }

    @Test
    void aGetReSentToAnotherResourceReplacesItsFirstCopy() {
        Request first = forward("r1");
        runWriter();
        first.answered = true; // the proxy hands the get on: the first copy is no longer outstanding
        Request again = new Request(journal, ALICE, "r1");
        journal.forwarded(ALICE, "r1", SERVICE, OTHER_IMPL, Duration.ofSeconds(20), again);
        runWriter();
        assertEquals(List.of("write [r1]", "sent r1", "write [r1]", "sent r1", "remove [r1]"), events);
        assertEquals(List.of(new RequestRecord(ALICE, "r1", SERVICE, OTHER_IMPL, now + 20_000)),
                shared.requests());

        again.answer();
        runWriter();
        assertEquals(Map.of(), shared);
    }

    @Test
    void aRequestTheClusterDoesNotTakeInTimeIsSentWithoutAndWrittenLater() {
        forward("r1");
        now += ClusteredRequestJournal.WRITE_PATIENCE.toMillis() - 1;
        journal.sendWhatWaitsTooLong();
        assertEquals(List.of(), events);

        try (LogCapture log = LogCapture.start()) {
            now += 1;
            journal.sendWhatWaitsTooLong();
            journal.sendWhatWaitsTooLong();
            assertEquals(List.of("sent r1"), events);
            assertEquals(1, log.text().lines().filter(line -> line.contains("WARN")).count(), log.text());
            assertTrue(log.text().contains("has not taken the outstanding requests of client proxy focus"), log.text());
        }
        runWriter();
        assertEquals(List.of("sent r1", "write [r1]"), events, "written once the cluster takes it, sent once");
    }

    @Test
    void aWriteThatFailsStillSendsAndIsLoggedOnceAMinute() {
        shared.failing = true;
        try (LogCapture log = LogCapture.start()) {
            forward("r1");
            runWriter();
            forward("r2");
            runWriter();
            assertEquals(List.of("sent r1", "sent r2"), events);
            assertEquals(1, log.text().lines().filter(line -> line.contains("WARN")).count(), log.text());

            now += ClusteredRequestJournal.WARNING_INTERVAL.toMillis();
            forward("r3");
            runWriter();
            assertEquals(2, log.text().lines().filter(line -> line.contains("WARN")).count(), "again a minute later");
        }
    }

    @Test
    void theNextInstanceAdoptsItsSubdomainsRequestsAndAnswersForTheirEntries() throws Exception {
        ClusteredRequestJournal before = journal();
        forward(before, "late");
        forward(before, "never");
        runWriter();
        // What version 1.1.1 wrote: one request per entry, as text.
        shared.put("focus\n" + ALICE + "\nold", SERVICE + "\n" + IMPL + "\n" + (now + 30_000));
        // A second copy of "never" (a get re-sent just before the failover), in an entry of its own.
        shared.put("focus\nearlier\n0", RequestRecord.encode(List.of(
                new RequestRecord(ALICE, "never", SERVICE, OTHER_IMPL, now + 30_000))));
        shared.put("other\n" + ALICE + "\nx", new String[] {ALICE, "x", SERVICE.toString(), IMPL.toString(), "0"});
        shared.put("focus\n" + ALICE + "\nbroken", "not a journal entry");

        Queue<Packet> sent = new ConcurrentLinkedQueue<>();
        ClientProxy next = new ClientProxy(ProxySettings.parse("focus", Map.of("target", "impl@example.org")::get));
        next.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
        next.start();
        next.setJournal(journal);
        now += 2_000;
        events.clear();
        try (LogCapture log = LogCapture.start()) {
            assertEquals(3, journal.adoptInto(next), "late, never (once) and old");
            assertTrue(log.text().contains("Skipped an outstanding request of focus that cannot be read"), log.text());
        }
        assertEquals(List.of("remove [never]", "remove broken"), events.stream().sorted().toList());
        assertEquals(List.of("late", "never", "old", "x"), shared.ids());

        IQ late = new IQ(IQ.Type.result, "late");
        late.setFrom(IMPL);
        late.setTo(new JID(null, SERVICE.getDomain(), ALICE));
        sent.clear();
        next.processPacket(late);
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.result
                && "late".equals(iq.getID()) && ALICE.equals(String.valueOf(iq.getTo()))), sent::toString);
        runWriter();
        assertEquals(List.of("never", "old", "x"), shared.ids(), "late's entry written again without it");
    }

    @Test
    void aRequestTheProxyHasAlreadyFromAnUpgradeKeepsItsEntryUntilAnswered() throws Exception {
        ClusteredRequestJournal before = journal();
        forward(before, "held");
        runWriter();

        Queue<Packet> sent = new ConcurrentLinkedQueue<>();
        ClientProxy next = new ClientProxy(ProxySettings.parse("focus", Map.of("target", "impl@example.org")::get));
        next.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
        next.start();
        // The plugin's previous instance on this member handed it over before the journal is attached.
        assertTrue(next.adopt(ALICE, "held", SERVICE, IMPL, Duration.ofSeconds(30)));
        next.setJournal(journal);
        events.clear();

        assertEquals(0, journal.adoptInto(next), "the proxy has it already");
        assertEquals(List.of("held"), shared.ids(), "its entry stays: the next senior needs it if this member dies");

        IQ held = new IQ(IQ.Type.result, "held");
        held.setFrom(IMPL);
        held.setTo(new JID(null, SERVICE.getDomain(), ALICE));
        next.processPacket(held);
        runWriter();
        assertEquals(List.of(), shared.ids(), "removed once answered");
    }

    private ClusteredRequestJournal journal() {
        return new ClusteredRequestJournal("focus", shared, () -> now, writer::add, BOB::equals);
    }

    private Request forward(String id) {
        return forward(journal, id);
    }

    private Request forward(ClusteredRequestJournal to, String id) {
        Request request = new Request(to, ALICE, id);
        to.forwarded(ALICE, id, SERVICE, IMPL, Duration.ofSeconds(30), request);
        return request;
    }

    private void runWriter() {
        for (Runnable task; (task = writer.poll()) != null; ) {
            task.run();
        }
    }

    /** A request as the proxy hands it over: outstanding until answered, which settles it. */
    private final class Request implements RequestJournal.Forward {
        private final ClusteredRequestJournal journal;
        private final String requester;
        private final String id;
        volatile boolean answered;

        Request(ClusteredRequestJournal journal, String requester, String id) {
            this.journal = journal;
            this.requester = requester;
            this.id = id;
        }

        void answer() {
            answered = true;
            journal.settled(requester, id);
        }

        @Override
        public boolean outstanding() {
            return !answered;
        }

        @Override
        public void send() {
            events.add("sent " + id);
        }
    }

    /** The members' map, noting the journal's writes as events (by the ids of the requests an entry holds). */
    private final class SharedMap extends LinkedHashMap<String, Object> {
        boolean failing;
        Runnable onRemove = () -> { };

        @Override
        public Object put(String key, Object value) {
            if (failing) {
                throw new IllegalStateException("Hazelcast instance is not active");
            }
            if (key.startsWith("focus\n") && value instanceof String[]) {
                events.add("write " + ids(key, value));
            }
            return super.put(key, value);
        }

        @Override
        public Object remove(Object key) {
            Object value = get(key);
            events.add("remove " + (value instanceof String[] ? ids((String) key, value) : "broken"));
            Runnable then = onRemove;
            onRemove = () -> { };
            then.run();
            return super.remove(key);
        }

        List<RequestRecord> requests() {
            return entrySet().stream().flatMap(entry -> RequestRecord.decode("focus\n", entry.getKey(),
                    entry.getValue()).stream()).toList();
        }

        /** The ids of the requests every entry holds, sorted. */
        List<String> ids() {
            return entrySet().stream().flatMap(entry -> ids(entry.getKey().substring(0, entry.getKey().indexOf('\n') + 1),
                    entry.getKey(), entry.getValue()).stream()).sorted().toList();
        }

        private List<String> ids(String key, Object value) {
            return ids("focus\n", key, value);
        }

        private List<String> ids(String prefix, String key, Object value) {
            return RequestRecord.decode(prefix, key, value).stream().map(RequestRecord::id).sorted().toList();
        }
    }
}
