package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
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
    private static final String ALICE = "alice@example.org/phone";

    /** What happened, in order: the cluster's writes and the requests sent. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SharedMap shared = new SharedMap();
    private long now = 1_000_000;
    /** What the journal asked its writer thread to run. */
    private final Queue<Runnable> writer = new ConcurrentLinkedQueue<>();
    private final ClusteredRequestJournal journal = new ClusteredRequestJournal("focus", shared, () -> now, writer::add);

    @Test
    void aRequestIsSentOnlyOnceTheClusterHoldsIt() {
        Request request = forward("r1");
        assertEquals(List.of(), events, "the proxy's thread neither writes nor sends");

        runWriter();
        assertEquals(List.of("write [r1]", "sent r1"), events);
        assertEquals(Map.of("focus\n" + ALICE + "\nr1", SERVICE + "\n" + IMPL + "\n" + (now + 30_000)), shared);

        request.answer();
        runWriter();
        assertEquals(Map.of(), shared);
    }

    @Test
    void requestsForwardedMeanwhileAreWrittenTogether() {
        forward("r1");
        forward("r2");
        forward("r3");
        assertEquals(1, writer.size(), "one task");

        runWriter();
        assertEquals(List.of("write [r1, r2, r3]", "sent r1", "sent r2", "sent r3"), events);
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
        Request second = forward("r2");
        runWriter();
        first.answer();
        second.answer();
        events.clear();
        // A request forwarded while the writer removes r1.
        shared.onRemove = () -> forward("r3");

        runWriter();
        assertEquals(List.of("remove r1", "write [r3]", "sent r3", "remove r2"), events);
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
    void theNextInstanceAdoptsItsSubdomainsRequestsAndRemovesThemWhenAnswered() throws Exception {
        ClusteredRequestJournal before = new ClusteredRequestJournal("focus", shared, () -> now, writer::add);
        forward(before, "late");
        forward(before, "never");
        runWriter();
        shared.put("other\n" + ALICE + "\nx", SERVICE + "\n" + IMPL + "\n" + now);
        shared.put("focus\n" + ALICE + "\nbroken", "not a journal entry");

        Queue<Packet> sent = new ConcurrentLinkedQueue<>();
        ClientProxy next = new ClientProxy(ProxySettings.parse("focus", Map.of("target", "impl@example.org")::get));
        next.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
        next.start();
        next.setJournal(journal);
        now += 2_000;
        try (LogCapture log = LogCapture.start()) {
            assertEquals(2, journal.adoptInto(next));
            assertTrue(log.text().contains("Skipped an outstanding request of focus that cannot be read"), log.text());
        }
        assertEquals(List.of("focus\n" + ALICE + "\nlate", "focus\n" + ALICE + "\nnever", "other\n" + ALICE + "\nx"),
                shared.keySet().stream().sorted().toList(), "another proxy's entry and the unreadable one's removal");

        IQ late = new IQ(IQ.Type.result, "late");
        late.setFrom(IMPL);
        late.setTo(new JID(null, SERVICE.getDomain(), ALICE));
        sent.clear();
        next.processPacket(late);
        assertTrue(sent.stream().anyMatch(packet -> packet instanceof IQ iq && iq.getType() == IQ.Type.result
                && "late".equals(iq.getID()) && ALICE.equals(String.valueOf(iq.getTo()))), sent::toString);
        runWriter();
        assertEquals(List.of("focus\n" + ALICE + "\nnever", "other\n" + ALICE + "\nx"),
                shared.keySet().stream().sorted().toList());
    }

    private Request forward(String id) {
        return forward(journal, id);
    }

    private Request forward(ClusteredRequestJournal to, String id) {
        Request request = new Request(to, id);
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
        private final String id;
        private volatile boolean answered;

        Request(ClusteredRequestJournal journal, String id) {
            this.journal = journal;
            this.id = id;
        }

        void answer() {
            answered = true;
            journal.settled(ALICE, id);
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

    /** The members' map, noting the journal's writes as events (by request id). */
    private final class SharedMap extends HashMap<String, String> {
        boolean failing;
        Runnable onRemove = () -> { };

        @Override
        public String put(String key, String value) {
            putAll(Map.of(key, value));
            return null;
        }

        @Override
        public void putAll(Map<? extends String, ? extends String> entries) {
            if (failing) {
                throw new IllegalStateException("Hazelcast instance is not active");
            }
            events.add("write " + entries.keySet().stream().map(key -> key.substring(key.lastIndexOf('\n') + 1))
                    .sorted().toList());
            entries.forEach(super::put);
        }

        @Override
        public String remove(Object key) {
            events.add("remove " + ((String) key).substring(((String) key).lastIndexOf('\n') + 1));
            Runnable then = onRemove;
            onRemove = () -> { };
            then.run();
            return super.remove(key);
        }
    }
}
