package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.testing.LogCapture;
import org.clientproxy.testing.StubComponentManager;
import org.clientproxy.testing.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * A proxy with its cluster journal under load: requesters on two threads, the implementing client
 * answering on a third, requesters leaving and coming back on a fourth, the journal writing on its
 * own. Whatever the interleaving: every request reaches the implementing client only after the
 * cluster holds it, gets at most one answer (exactly one unless its requester left), and once all
 * are answered the cluster holds nothing (an entry left behind would be timed out by the next
 * member: a second answer).
 */
@Timeout(180)
class ClusteredRequestJournalConcurrencyTest {
    private static final JID SERVICE = new JID("focus.example.org");
    private static final List<JID> RESOURCES = List.of(new JID("impl@example.org/a"), new JID("impl@example.org/b"));
    private static final int REQUESTERS = 16;
    /** Each sender sends at least this many, and goes on until both ways were taken this often. */
    private static final int REQUESTS_PER_THREAD = 15_000;
    private static final int EACH_WAY = REQUESTS_PER_THREAD / 10;
    /** ... but no more than this many: a run that cannot take both ways fails instead of going on. */
    private static final int MAX_REQUESTS_PER_THREAD = 40 * REQUESTS_PER_THREAD;

    private final SharedMap shared = new SharedMap();
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private final BlockingQueue<IQ> toAnswer = new LinkedBlockingQueue<>();
    /** Request ids (unique across requesters) to the answers their requester got. */
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Set<String> ofRequestersThatLeft = ConcurrentHashMap.newKeySet();
    private final Queue<String> sentBeforeWritten = new ConcurrentLinkedQueue<>();
    /** Per requester, its requests so far (until it leaves). */
    private final List<Queue<String>> idsOf = Stream.<Queue<String>>generate(ConcurrentLinkedQueue::new)
            .limit(REQUESTERS).toList();
    private volatile ClientProxy proxy;
    private volatile boolean sendersDone;
    private volatile boolean answeringDone;
    /** What a test thread threw: the test fails with it. */
    private final Queue<Throwable> crashes = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() {
        writer.shutdownNow();
    }

    @Test
    void everyRequestIsWrittenBeforeItIsSentAndNothingIsLeftBehind() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            run();
            // A request the journal failed to write or to send is logged at WARN, and may still
            // pass the counts below when its requester happened to leave afterwards.
            assertFalse(log.text().contains(" WARN ") || log.text().contains(" ERROR "), () -> "logged: " + log.text());
        }
    }

    private void run() throws Exception {
        proxy = new ClientProxy(ProxySettings.parse("focus", Map.of("target", "impl@example.org",
                "maxPerRequester", "100000", "maxOutstanding", "1000000")::get));
        proxy.initialize(SERVICE, new StubComponentManager("example.org", this::route));
        proxy.start();
        ClusteredRequestJournal journal = new ClusteredRequestJournal("focus", shared, System::currentTimeMillis, writer,
                requester -> false);
        proxy.setJournal(journal);
        for (JID resource : RESOURCES) {
            Presence available = new Presence();
            available.setFrom(resource);
            available.setTo(SERVICE);
            proxy.processPacket(available);
        }

        Thread implementingClient = thread(() -> {
            while (!answeringDone) {
                for (IQ request; (request = toAnswer.poll(100, TimeUnit.MILLISECONDS)) != null; ) {
                    proxy.processPacket(IQ.createResultIQ(request));
                }
            }
        });
        List<Thread> senders = List.of(thread(() -> send("x")), thread(() -> send("y")));
        Thread leaving = thread(() -> {
            while (!sendersDone) {
                int requester = ThreadLocalRandom.current().nextInt(REQUESTERS);
                proxy.requesterGone(requester(requester));
                // Any request of it that was dropped was noted here before it was admitted.
                for (String id; (id = idsOf.get(requester).poll()) != null; ) {
                    ofRequestersThatLeft.add(id);
                }
                LockSupport.parkNanos(1_000_000); // a requester leaves now and then, not all the time
            }
        });
        for (Thread thread : senders) {
            thread.join();
        }
        sendersDone = true;
        leaving.join();
        Waits.until(Duration.ofSeconds(120), () -> "every request answered or dropped (outstanding: "
                + proxy.status().outstanding() + ")", () -> proxy.status().outstanding() == 0 || !crashes.isEmpty());
        answeringDone = true;
        implementingClient.join();
        writer.submit(() -> { }).get(); // the removals queued by the last answers
        if (!crashes.isEmpty()) {
            AssertionError failure = new AssertionError("a test thread failed");
            crashes.forEach(failure::addSuppressed);
            throw failure;
        }

        assertEquals(List.of(), List.copyOf(sentBeforeWritten), "sent before the cluster held them");
        assertEquals(0, proxy.status().outstanding());
        assertEquals(Map.of(), shared, "left behind in the cluster");
        int answered = 0;
        for (Map.Entry<String, AtomicInteger> request : answers.entrySet()) {
            int count = request.getValue().get();
            assertTrue(count <= 1, () -> request.getKey() + " got " + count + " answers");
            if (!ofRequestersThatLeft.contains(request.getKey())) {
                assertEquals(1, count, () -> request.getKey() + " got no answer");
            }
            answered += count;
        }
        // Both ways were taken many times: answered, and dropped because the requester left.
        assertTrue(answered >= EACH_WAY, "answered: " + answered);
        assertTrue(answers.size() - answered >= EACH_WAY, "dropped: " + (answers.size() - answered));
    }

    /** Whether the proxy answered, and dropped as their requester's, enough requests yet. */
    private boolean bothWaysTaken() {
        ProxySnapshot.Counters counters = proxy.status().counters();
        return counters.resultsRelayed() >= EACH_WAY && counters.requesterGone() >= EACH_WAY;
    }

    private void send(String thread) {
        for (int i = 0; i < MAX_REQUESTS_PER_THREAD && crashes.isEmpty(); i++) {
            if (i >= REQUESTS_PER_THREAD && i % 1_000 == 0 && bothWaysTaken()) {
                return;
            }
            JID requester = requester(i % REQUESTERS);
            String id = requester.getNode() + "-" + thread + i;
            answers.put(id, new AtomicInteger());
            idsOf.get(i % REQUESTERS).add(id);
            IQ request = new IQ(IQ.Type.get, id);
            request.setFrom(requester);
            request.setTo(SERVICE);
            request.setChildElement("query", "urn:example:echo");
            proxy.processPacket(request);
        }
    }

    /** What the proxy sends: a request to the implementing client, or an answer to a requester. */
    private void route(Packet packet) {
        if (!(packet instanceof IQ iq)) {
            return;
        }
        if (iq.getType() == IQ.Type.get && RESOURCES.contains(iq.getTo())) {
            if (!held(iq.getFrom().getResource(), iq.getID())) {
                sentBeforeWritten.add(iq.getID());
            }
            toAnswer.add(iq);
        } else if (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error) {
            AtomicInteger count = answers.get(iq.getID());
            if (count == null) { // thrown here, it would be caught and logged by the proxy that sends it
                crashes.add(new AssertionError("an answer to a request never sent: " + iq.toXML()));
            } else {
                count.incrementAndGet();
            }
        }
    }

    /** Whether an entry of the cluster holds the request (only the journal's thread, which is the caller, changes them). */
    private boolean held(String requester, String id) {
        return shared.holds(requester + "\n" + id);
    }

    /**
     * The members' map, counting which requests its entries hold, so that checking a request
     * stays cheap however many are outstanding (a loaded run can hold tens of thousands). Only the
     * journal's thread writes it.
     */
    private static final class SharedMap extends ConcurrentHashMap<String, Object> {
        private final Map<String, Integer> held = new ConcurrentHashMap<>();

        boolean holds(String request) {
            return held.containsKey(request);
        }

        @Override
        public Object put(String key, Object value) {
            Object earlier = super.put(key, value);
            count(key, value, 1);
            count(key, earlier, -1);
            return earlier;
        }

        @Override
        public Object remove(Object key) {
            Object earlier = super.remove(key);
            count((String) key, earlier, -1);
            return earlier;
        }

        private void count(String key, Object value, int change) {
            if (value == null) {
                return;
            }
            for (RequestRecord request : RequestRecord.decode("focus\n", key, value)) {
                held.merge(request.requester() + "\n" + request.id(), change, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
    }

    private static JID requester(int n) {
        return new JID("r" + n, "example.org", "phone");
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread thread(Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                crashes.add(e);
                sendersDone = true; // the others end too
            }
        });
        thread.start();
        return thread;
    }
}
