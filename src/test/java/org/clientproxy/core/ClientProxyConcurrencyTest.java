package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.clientproxy.testing.StubComponentManager;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/**
 * Many requesters, an implementing client with several resources that answer on their own
 * threads (results, errors, duplicates, forgeries, silence), resources leaving and coming back or
 * freezing (answering nothing, not even the proxy's pings) and thawing, and a sweeper expiring
 * requests and marking frozen resources unresponsive, all at once. Whatever the interleaving: every request gets
 * exactly one answer, to its requester, from the address it was sent to, with its own payload,
 * and the counters account for every request and every reply.
 */
class ClientProxyConcurrencyTest {
    private static final String SERVER = "example.org";
    private static final String SERVICE = "svc.example.org";
    private static final String TARGET = "impl@example.org";
    private static final String NS = "urn:example:echo";
    /** The token of a reply sent in the name of another address, followed by that address. */
    private static final String FORGED = "FORGED by ";
    private static final int RESOURCES = 4;
    /** A requester whose JID does not fit in a resource of the service address (stringprep bidi rule). */
    private static final String UNTRANSLATABLE = "rtl@example.org/\u05d0\u05d1";

    private static final int REQUESTER_THREADS = 3;
    private static final int MIN_REQUESTS = 4_000;
    private static final int MAX_REQUESTS = 120_000;
    /**
     * How long the run may take to go through every path: far more than it needs (about a
     * second), so that a loaded machine makes it slower, not red. Bounds the waits below too.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SWEEP_STEP = Duration.ofMillis(5);

    /** A request as its requester sent it. */
    private record Sent(String requester, String id, String to, IQ.Type type, String token) {
    }

    private final ManualClock clock = new ManualClock();
    private final Network network = new Network();
    private final StubComponentManager server = new StubComponentManager(SERVER, network::route);
    private final SimulatedClient client = new SimulatedClient();
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Queue<IQ>> answers = new ConcurrentHashMap<>();
    /** The resources each request was forwarded to, first and on retry. */
    private final Map<String, Set<String>> forwardedTo = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> forwardCopies = new ConcurrentHashMap<>();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requestsSent = new AtomicInteger();
    private final AtomicLong forwardsSeen = new AtomicLong();
    private final AtomicLong repliesToProxy = new AtomicLong();
    private final AtomicLong pingsSeen = new AtomicLong();
    private final AtomicLong presenceChanges = new AtomicLong();
    /** Every session of the implementing client the proxy ever knew, online or gone. */
    private final Set<OnlineResources.Resource> sessions = ConcurrentHashMap.newKeySet();
    private ClientProxy proxy;

    private static String key(String requester, String id) {
        return requester + '\u0000' + id;
    }

    private static String resource(int index) {
        return TARGET + "/r" + index;
    }

    @AfterEach
    void stopTheClient() {
        client.threads.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    @Timeout(300)
    void everyRequestIsAnsweredExactlyOnceByTheRightAddress(Strategy strategy) throws Exception {
        // A frozen resource is marked before the gets it holds time out, so that they are re-sent.
        ProxySettings settings = new ProxySettings("svc", new JID(TARGET), strategy, Duration.ofMillis(400),
                Duration.ofMillis(ProxySettings.MIN_UNRESPONSIVE_MILLIS), 4, 24, true, AccessRule.EVERYONE);
        proxy = new ClientProxy(settings, clock);
        proxy.initialize(new JID(SERVICE), server);
        proxy.start();
        for (int i = 0; i < RESOURCES; i++) {
            client.comeOnline(i);
        }

        AtomicBoolean stopRequests = new AtomicBoolean();
        AtomicBoolean stopSweeping = new AtomicBoolean();
        List<Thread> requesters = new ArrayList<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        for (int t = 0; t < REQUESTER_THREADS; t++) {
            List<String> own = new ArrayList<>();
            for (int u = 0; u < 6; u++) {
                own.add("u" + t + "x" + u + "@example.org/r");
            }
            own.add("shared" + t + "@example.org/phone");    // two resources of one user:
            own.add("shared" + t + "@example.org/laptop");   // two requesters
            own.add("u" + t + "@other.example/" + "x".repeat(40));
            if (t == 0) {
                own.add(UNTRANSLATABLE);
            }
            requesters.add(thread("requesters-" + t, crash, () -> sendRequests(own, stopRequests)));
        }
        Thread churn = thread("churn", crash, () -> churnPresence(stopRequests));
        Thread sweeper = thread("sweeper", crash, () -> {
            while (!stopSweeping.get()) {
                clock.advance(SWEEP_STEP);
                proxy.expireOverdue();
                LockSupport.parkNanos(500_000);
            }
        });

        List<Thread> all = new ArrayList<>(requesters);
        all.add(churn);
        all.add(sweeper);
        all.forEach(Thread::start);

        // Run until enough requests went through and every path was taken (a bounded wait).
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline && crash.get() == null
                && (requestsSent.get() < MIN_REQUESTS || !everyPathTaken()) && requestsSent.get() < MAX_REQUESTS) {
            Thread.sleep(10);
        }
        stopRequests.set(true);
        for (Thread thread : requesters) {
            thread.join(PATIENCE.toMillis());
        }
        churn.join(PATIENCE.toMillis());
        stopSweeping.set(true);
        sweeper.join(PATIENCE.toMillis());
        for (Thread thread : all) {
            assertTrue(!thread.isAlive(), thread.getName() + " did not stop");
        }
        if (crash.get() != null) {
            throw new AssertionError("a test thread failed", crash.get());
        }
        client.awaitIdle();

        // Epilogue, with the clock stopped: every resource comes back, then all leave one after the
        // other. What the client still holds (requests it ignored) must be re-sent or answered as
        // each resource leaves, without waiting for a timeout.
        client.answerEverything = true;
        for (int i = 0; i < RESOURCES; i++) {
            if (!client.online[i].get()) {
                client.comeOnline(i);
            }
        }
        client.awaitIdle();
        long timeoutsBefore = proxy.status().counters().timeouts();
        for (int i = 0; i < RESOURCES; i++) {
            client.goOffline(i);
            client.awaitIdle();
        }
        client.finish();
        assertEquals(List.of(), proxy.status().resources());
        assertEquals(0, proxy.status().outstanding(), "requests still wait after every resource left");

        // A last sweep past every deadline finds nothing left to expire.
        clock.advance(Duration.ofHours(1));
        proxy.expireOverdue();
        assertEquals(timeoutsBefore, proxy.status().counters().timeouts(), "timeouts after the clock stopped");

        List<String> wrong = List.copyOf(violations);
        assertEquals(List.of(), wrong.subList(0, Math.min(wrong.size(), 10)),
                wrong.size() + " stanzas the proxy must never send");
        checkAnswers();
    }

    private boolean everyPathTaken() {
        ProxySnapshot.Counters counters = proxy.status().counters();
        return counters.resultsRelayed() > 0 && counters.errorsRelayed() > 0 && counters.timeouts() > 0
                && counters.noResource() > 0 && counters.resourceLost() > 0 && counters.retried() > 0
                && counters.rejectedByCaps() > 0 && counters.droppedReplies() > 0
                && counters.markedUnresponsive() > 0 && counters.retriedUnresponsive() > 0;
    }

    private void checkAnswers() {
        long results = 0;
        long clientErrors = 0;
        Map<Condition, Long> proxyErrors = new ConcurrentHashMap<>();
        List<String> problems = new ArrayList<>();

        for (Sent request : sent.values()) {
            Queue<IQ> received = answers.getOrDefault(key(request.requester(), request.id()), new ConcurrentLinkedQueue<>());
            if (received.size() != 1) {
                problems.add(received.size() + " answers to " + request + ": " + received);
                continue;
            }
            IQ answer = received.peek();
            if (!request.to().equals(answer.getElement().attributeValue("from"))) {
                problems.add("answer from " + answer.getFrom() + " to a request sent to " + request.to() + ": " + answer.toXML());
            }
            Element payload = answer.getChildElement();
            String token = payload == null ? null : payload.elementText("token");
            if (token != null && token.startsWith(FORGED)) {
                // Sent in another's name: deliverable only if the request had moved to that resource
                // (a retry), so that the "forgery" is indistinguishable from that resource's own reply.
                String forger = token.substring(FORGED.length());
                if (!forwardedTo.getOrDefault(key(request.requester(), request.id()), Set.of()).contains(forger)) {
                    problems.add("delivered a reply forged by " + forger + ", which was never asked: " + answer.toXML());
                }
                results++;
            } else if (answer.getType() == IQ.Type.result) {
                results++;
                if (!request.token().equals(token)) {
                    problems.add("result with the wrong payload for " + request + ": " + answer.toXML());
                }
            } else if (answer.getType() == IQ.Type.error && payload != null) {
                clientErrors++; // relayed from the implementing client (or the server's bounce for it)
                if (!request.token().equals(token)) {
                    problems.add("error with the wrong payload for " + request + ": " + answer.toXML());
                }
            } else if (answer.getType() == IQ.Type.error && answer.getError() != null) {
                proxyErrors.merge(answer.getError().getCondition(), 1L, Long::sum);
                boolean untranslatable = request.requester().equals(UNTRANSLATABLE);
                Condition condition = answer.getError().getCondition();
                if (untranslatable != (condition == Condition.jid_malformed)
                        && !(untranslatable && condition == Condition.service_unavailable)) {
                    problems.add("unexpected " + condition + " for " + request);
                }
            } else {
                problems.add("not an answer: " + answer.toXML());
            }
        }
        for (Map.Entry<String, Queue<IQ>> received : answers.entrySet()) {
            if (!sent.containsKey(received.getKey())) {
                problems.add("answers to a request nobody sent: " + received.getValue());
            }
        }
        assertEquals(List.of(), problems.subList(0, Math.min(problems.size(), 20)),
                problems.size() + " requests answered wrongly");

        ProxySnapshot status = proxy.status();
        ProxySnapshot.Counters counters = status.counters();
        assertTrue(everyPathTaken(), "the run did not take every path (a slow machine?): " + counters);
        assertEquals(0, status.outstanding(), "outstanding after the last sweep");
        for (ProxySnapshot.Resource resource : status.resources()) {
            assertEquals(0, resource.outstanding(), resource.address() + " still counts requests");
            assertTrue(resource.address().toString().startsWith(TARGET + "/r"), "not a resource of the target: " + resource);
        }
        assertTrue(sessions.size() > RESOURCES, "resources came back as new sessions");
        for (OnlineResources.Resource session : sessions) {
            assertEquals(0, session.outstanding.get(), "a session of " + session.addressString
                    + (status.resources().stream().anyMatch(r -> r.address().equals(session.address)
                            && r.onlineSince().equals(session.onlineSince)) ? " (online)" : " (gone)")
                    + " still counts requests");
        }

        long malformed = proxyErrors.getOrDefault(Condition.jid_malformed, 0L);
        String summary = "sent " + requestsSent + ", answers " + results + " results, " + clientErrors
                + " relayed errors, proxy errors " + proxyErrors + "; " + counters;
        System.out.println(proxy.settings().strategy() + ": " + summary + ", forwards seen " + forwardsSeen
                + ", replies to the proxy " + repliesToProxy + ", pings " + pingsSeen + ", presence changes "
                + presenceChanges);
        assertTrue(malformed > 0, summary);
        assertEquals(requestsSent.get(), sent.size());
        // Every request: refused at once, or forwarded; every forwarded request: answered one way.
        assertEquals(requestsSent.get(),
                counters.noResource() + counters.rejectedByCaps() + malformed + counters.forwarded(), summary);
        assertEquals(counters.forwarded(), counters.resultsRelayed() + counters.errorsRelayed()
                + counters.timeouts() + counters.resourceLost(), summary);
        // Each counter matches the answers the requesters saw.
        assertEquals(results, counters.resultsRelayed(), summary);
        assertEquals(clientErrors, counters.errorsRelayed(), summary);
        assertEquals(counters.timeouts(), proxyErrors.getOrDefault(Condition.remote_server_timeout, 0L), summary);
        assertEquals(counters.resourceLost(), proxyErrors.getOrDefault(Condition.recipient_unavailable, 0L), summary);
        assertEquals(counters.rejectedByCaps(), proxyErrors.getOrDefault(Condition.resource_constraint, 0L), summary);
        assertEquals(counters.noResource(), proxyErrors.getOrDefault(Condition.service_unavailable, 0L), summary);
        assertEquals(Map.of(), Map.copyOf(proxyErrors).entrySet().stream()
                .filter(e -> !List.of(Condition.jid_malformed, Condition.remote_server_timeout,
                        Condition.recipient_unavailable, Condition.resource_constraint,
                        Condition.service_unavailable).contains(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), summary);
        // Each copy the client received is a first forward or a retry; each reply is relayed or dropped.
        assertEquals(forwardsSeen.get(), counters.forwarded() + counters.retried() + counters.retriedUnresponsive(),
                summary);
        assertEquals(repliesToProxy.get(), counters.resultsRelayed() + counters.errorsRelayed()
                + counters.droppedReplies(), summary);
        // The final sweep came an hour after the last reply: nothing in the latency window is recent.
        assertEquals(0, status.latency().count(), summary);
    }

    // ---- The requesters ---------------------------------------------------------------------

    private void sendRequests(List<String> requesters, AtomicBoolean stop) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Every requester counts its ids from 0: many requesters use the same ids at the same time.
        Map<String, Integer> nextId = new ConcurrentHashMap<>();
        while (!stop.get()) {
            String requester = requesters.get(random.nextInt(requesters.size()));
            int burst = 1 + random.nextInt(6);
            for (int i = 0; i < burst && !stop.get(); i++) {
                int number = nextId.merge(requester, 1, Integer::sum);
                String id = "q" + number;
                String to = random.nextInt(4) == 0 ? SERVICE + "/node" + random.nextInt(3) : SERVICE;
                IQ.Type type = random.nextInt(3) == 0 ? IQ.Type.set : IQ.Type.get;
                String token = requester + "|" + id + "|" + random.nextLong();

                IQ request = new IQ(type, id);
                request.setFrom(requester);
                request.setTo(to);
                request.setChildElement("query", NS).addElement("token").setText(token);
                if (sent.putIfAbsent(key(requester, id), new Sent(requester, id, to, type, token)) != null) {
                    throw new IllegalStateException("id reused by the test itself");
                }
                requestsSent.incrementAndGet();
                proxy.processPacket(request);
            }
            LockSupport.parkNanos(random.nextInt(50_000, 400_000));
        }
    }

    // ---- The implementing client's presence ---------------------------------------------------

    private void churnPresence(AtomicBoolean stop) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            LockSupport.parkNanos(random.nextInt(1_000_000, 4_000_000));
            int choice = random.nextInt(100);
            if (choice < 3) {
                // The whole account goes away (as the server tells it: unavailable from the bare JID)...
                for (int i = 0; i < RESOURCES; i++) {
                    client.online[i].set(false);
                }
                Presence gone = new Presence(Presence.Type.unavailable);
                gone.setFrom(TARGET);
                gone.setTo(SERVICE);
                proxy.processPacket(gone);
                presenceChanges.incrementAndGet();
                LockSupport.parkNanos(3_000_000); // ...for a moment, while requests keep coming
                client.comeOnline(random.nextInt(RESOURCES));
            } else if (choice < 12) {
                // A resource freezes (its session stays open) or thaws.
                int index = random.nextInt(RESOURCES);
                client.frozen[index].set(!client.frozen[index].get());
            } else if (choice < 16) {
                // Presence from others never changes the set; a repeated presence changes nothing.
                Presence other = new Presence();
                other.setFrom(random.nextBoolean() ? "impl@example.org.evil/r1" : "implx@example.org/r1");
                other.setTo(SERVICE);
                proxy.processPacket(other);
                Presence again = new Presence();
                again.setFrom(resource(random.nextInt(RESOURCES)));
                again.setTo(SERVICE);
                if (client.online[indexOf(again.getFrom().toString())].get()) {
                    proxy.processPacket(again);
                }
            } else {
                int index = random.nextInt(RESOURCES);
                if (client.frozen[index].get() && random.nextInt(5) != 0) {
                    continue; // a frozen session lingers: the server keeps it open
                }
                if (client.online[index].get()) {
                    client.goOffline(index);
                } else {
                    client.comeOnline(index);
                }
            }
        }
        // Leave at least one resource online, as a service usually has.
        if (!client.anyOnline()) {
            client.comeOnline(0);
        }
    }

    private static int indexOf(String resourceAddress) {
        for (int i = 0; i < RESOURCES; i++) {
            if (resource(i).equals(resourceAddress)) {
                return i;
            }
        }
        return -1;
    }

    /** The implementing client: one account, {@link #RESOURCES} sessions, answering on a pool of threads. */
    private final class SimulatedClient {
        final AtomicBoolean[] online = new AtomicBoolean[RESOURCES];
        /** Answers nothing, pings included, until it thaws or its session ends. */
        final AtomicBoolean[] frozen = new AtomicBoolean[RESOURCES];
        /** From the epilogue on: every request is answered, at once. */
        volatile boolean answerEverything;
        private final AtomicInteger busy = new AtomicInteger();
        final ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "implementing-client");
            thread.setDaemon(true);
            return thread;
        });

        SimulatedClient() {
            for (int i = 0; i < RESOURCES; i++) {
                online[i] = new AtomicBoolean();
                frozen[i] = new AtomicBoolean();
            }
        }

        boolean anyOnline() {
            for (AtomicBoolean resource : online) {
                if (resource.get()) {
                    return true;
                }
            }
            return false;
        }

        /** The session opens (it can receive from now on), then its presence reaches the proxy. */
        void comeOnline(int index) {
            frozen[index].set(false);
            online[index].set(true);
            Presence available = new Presence();
            available.setFrom(resource(index));
            available.setTo(SERVICE);
            proxy.processPacket(available);
            presenceChanges.incrementAndGet();
            sessions.addAll(onlineTable().snapshot());
        }

        /** The session closes (the server bounces what reaches it now), then the server says so. */
        void goOffline(int index) {
            online[index].set(false);
            Presence unavailable = new Presence(Presence.Type.unavailable);
            unavailable.setFrom(resource(index));
            unavailable.setTo(SERVICE);
            proxy.processPacket(unavailable);
            presenceChanges.incrementAndGet();
        }

        /** A request reaches resource {@code index} (already copied, as if read off the wire). */
        void receive(IQ request, int index) {
            run(() -> {
                if (!online[index].get()) {
                    reply(bounce(request));
                } else {
                    answer(request, index);
                }
            }, request);
        }

        /** A ping from the proxy reaches resource {@code index}: a pong, or the server's bounce, or nothing. */
        void ping(IQ ping, int index) {
            run(() -> {
                if (!online[index].get()) {
                    proxy.processPacket(bounce(ping));
                } else if (answerEverything || !frozen[index].get()) {
                    proxy.processPacket(IQ.createResultIQ(ping));
                }
            }, ping);
        }

        private void run(Runnable task, IQ about) {
            busy.incrementAndGet();
            try {
                threads.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        busy.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                busy.decrementAndGet();
                violations.add("forwarded after the end of the run: " + about.toXML());
            }
        }

        /** Waits until every request that reached the client has been handled. */
        void awaitIdle() throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (busy.get() > 0) {
                if (System.nanoTime() > deadline) {
                    fail("the implementing client did not finish its work");
                }
                Thread.sleep(1);
            }
        }

        private void answer(IQ request, int index) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (answerEverything) {
                reply(result(request, index));
                return;
            }
            if (frozen[index].get()) {
                return; // kept and never answered: re-sent once the proxy marks it, or timed out
            }
            if (random.nextInt(50) == 0) {
                LockSupport.parkNanos(random.nextInt(100_000, 2_000_000)); // a slow answer, maybe too late
            }
            if (!online[index].get() && random.nextBoolean()) {
                return; // went offline meanwhile: the work is lost
            }
            int choice = random.nextInt(100);
            if (choice < 6) {
                return; // never answers: the proxy must time it out
            }
            if (choice < 12) {
                // Another resource of the same account, or someone else, answers in its place.
                int other = (index + 1 + random.nextInt(RESOURCES - 1)) % RESOURCES;
                String forger = switch (random.nextInt(3)) {
                    case 0 -> resource(other);
                    case 1 -> TARGET + "/never-online";
                    default -> "mallory@example.org/x";
                };
                reply(forged(request, forger));
                if (random.nextBoolean()) {
                    return;
                }
            }
            IQ reply = choice < 80 ? result(request, index) : error(request, index);
            if (choice >= 90) {
                IQ again = reply.createCopy(); // a second reply to the same request, racing the first
                run(() -> reply(again), again);
            }
            reply(reply);
        }

        private IQ result(IQ request, int index) {
            IQ result = IQ.createResultIQ(request);
            Element payload = request.getChildElement().createCopy();
            payload.addElement("by").setText("r" + index);
            result.setChildElement(payload);
            return result;
        }

        private IQ error(IQ request, int index) {
            IQ error = IQ.createResultIQ(request);
            error.setType(IQ.Type.error);
            error.setChildElement(request.getChildElement().createCopy());
            error.setError(new PacketError(Condition.item_not_found, PacketError.Type.cancel, "no such item at r" + index));
            return error;
        }

        /** What the server answers for a session that is gone. */
        private IQ bounce(IQ request) {
            IQ error = IQ.createResultIQ(request);
            error.setType(IQ.Type.error);
            error.setChildElement(request.getChildElement().createCopy());
            error.setError(new PacketError(Condition.service_unavailable, PacketError.Type.cancel));
            return error;
        }

        private IQ forged(IQ request, String from) {
            IQ forged = IQ.createResultIQ(request);
            forged.setFrom(from);
            forged.setChildElement("query", NS).addElement("token").setText(FORGED + from);
            return forged;
        }

        private void reply(IQ reply) {
            repliesToProxy.incrementAndGet();
            proxy.processPacket(reply);
        }

        void finish() throws InterruptedException {
            threads.shutdown();
            if (!threads.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                threads.shutdownNow();
                fail("the implementing client did not finish its work");
            }
        }
    }

    // ---- The server -------------------------------------------------------------------------

    /** Routes what the proxy sends: requests to the implementing client, answers to the requesters. */
    private class Network {
        void route(Packet original) {
            // Copied at once, as the server serialises the stanza before the proxy's thread goes on.
            Packet packet = original.createCopy();
            String to = packet.getElement().attributeValue("to");
            String from = packet.getElement().attributeValue("from");
            if (packet instanceof Presence presence) {
                if (!TARGET.equals(to) || !SERVICE.equals(from)) {
                    violations.add("presence to the wrong place: " + presence.toXML());
                }
                return;
            }
            if (!(packet instanceof IQ iq)) {
                violations.add("neither IQ nor presence: " + packet.toXML());
                return;
            }
            int resource = indexOf(to);
            Element child = iq.getChildElement();
            if (resource >= 0 && child != null && "urn:xmpp:ping".equals(child.getNamespaceURI())) {
                pingsSeen.incrementAndGet();
                if (!SERVICE.equals(from) || iq.getType() != IQ.Type.get) {
                    violations.add("a ping not from the service's address: " + iq.toXML());
                }
                client.ping(iq, resource);
            } else if (resource >= 0) {
                forwarded(iq, from, resource);
            } else {
                answered(iq, to);
            }
        }

        private void forwarded(IQ iq, String from, int resource) {
            forwardsSeen.incrementAndGet();
            String prefix = SERVICE + "/";
            String requester = from != null && from.startsWith(prefix) ? from.substring(prefix.length()) : null;
            Sent request = requester == null ? null : sent.get(key(requester, iq.getID()));
            if (request == null) {
                violations.add("forwarded a request nobody sent: " + iq.toXML());
                return;
            }
            Element payload = iq.getChildElement();
            if (iq.getType() != request.type() || payload == null
                    || !request.token().equals(payload.elementText("token"))) {
                violations.add("forwarded " + iq.toXML() + " for " + request);
                return;
            }
            int copies = forwardCopies.computeIfAbsent(key(requester, iq.getID()), k -> new AtomicInteger()).incrementAndGet();
            if (copies > (request.type() == IQ.Type.get ? 2 : 1)) {
                violations.add("forwarded " + copies + " times (a get is re-sent once, a set never): " + iq.toXML());
            }
            forwardedTo.computeIfAbsent(key(requester, iq.getID()), k -> ConcurrentHashMap.newKeySet()).add(resource(resource));
            client.receive(iq, resource);
        }

        private void answered(IQ iq, String to) {
            if (iq.getType() != IQ.Type.result && iq.getType() != IQ.Type.error) {
                violations.add("a request sent to someone other than a resource of the target: " + iq.toXML());
                return;
            }
            answers.computeIfAbsent(key(to, iq.getID()), key -> new ConcurrentLinkedQueue<>()).add(iq);
        }
    }

    // ---- The same races, pinned down --------------------------------------------------------

    /**
     * The windows the run above hits only now and then, forced open: another server thread
     * handles a presence or a reply at the worst moment of forwarding. The hooks run on the
     * proxy's own thread, inside its call to the clock or to the component manager, exactly where
     * the other thread would interleave.
     */
    @Nested
    class RacesPinnedDown {
        private final List<Packet> out = new ArrayList<>();
        private Runnable onClock;
        private Predicate<Packet> hookWhen = packet -> false;
        private Runnable onSend;
        private ClientProxy pinned;
        private long nanos = 1_000_000_000L;

        @BeforeEach
        void start() {
            ProxyClock hooked = new ProxyClock() {
                @Override
                public long nanoTime() {
                    Runnable hook = onClock;
                    onClock = null;
                    if (hook != null) {
                        hook.run();
                    }
                    return nanos;
                }

                @Override
                public Instant now() {
                    return Instant.EPOCH;
                }
            };
            pinned = new ClientProxy(new ProxySettings("svc", new JID(TARGET), Strategy.ROUND_ROBIN,
                    Duration.ofSeconds(30), Duration.ofMillis(ProxySettings.DEFAULT_UNRESPONSIVE_MILLIS), 10, 100,
                    true, AccessRule.EVERYONE), hooked);
            pinned.initialize(new JID(SERVICE), new StubComponentManager(SERVER, packet -> {
                out.add(packet.createCopy());
                if (hookWhen.test(packet)) {
                    hookWhen = p -> false;
                    onSend.run();
                }
            }));
            pinned.start();
            presence(null, resource(0)); // the oldest: round-robin asks it first
            presence(null, resource(1));
            out.clear();
        }

        private void presence(Presence.Type type, String from) {
            Presence presence = new Presence(type);
            presence.setFrom(from);
            presence.setTo(SERVICE);
            pinned.processPacket(presence);
        }

        private IQ request(IQ.Type type, String id) {
            IQ request = new IQ(type, id);
            request.setFrom("u@example.org/abc");
            request.setTo(SERVICE);
            request.setChildElement("query", NS).addElement("token").setText("payload-" + id);
            return request;
        }

        private IQ replyFrom(String resource, IQ forwarded) {
            IQ reply = IQ.createResultIQ(forwarded);
            reply.setFrom(resource);
            reply.setChildElement("query", NS).addElement("token").setText("answer-by-" + resource);
            return reply;
        }

        private List<IQ> sentTo(String address) {
            return out.stream().filter(IQ.class::isInstance).map(IQ.class::cast)
                    .filter(iq -> address.equals(iq.getElement().attributeValue("to"))).toList();
        }

        @Test
        void aGetWhoseResourceLeavesBeforeItIsRecordedGoesToAnotherResource() {
            // r0 is chosen; it leaves before the request is recorded as outstanding on it.
            onClock = () -> presence(Presence.Type.unavailable, resource(0));

            pinned.processPacket(request(IQ.Type.get, "1"));

            assertEquals(1, sentTo(resource(0)).size(), "sent to r0 before the proxy noticed");
            List<IQ> retried = sentTo(resource(1));
            assertEquals(1, retried.size(), "re-sent once to r1");
            assertEquals(List.of(), sentTo("u@example.org/abc"), "no answer yet");
            assertEquals(1, pinned.status().outstanding());
            assertEquals(1, pinned.status().resources().get(0).outstanding());

            pinned.processPacket(replyFrom(resource(0), sentTo(resource(0)).get(0))); // r0's bounce or late reply
            pinned.processPacket(replyFrom(resource(1), retried.get(0)));

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size());
            assertEquals("answer-by-" + resource(1), answers.get(0).getChildElement().elementText("token"));
            assertEquals(0, pinned.status().outstanding());
            assertEquals(0, pinned.status().resources().get(0).outstanding());
            assertEquals(1, pinned.status().counters().retried());
            assertEquals(1, pinned.status().counters().droppedReplies());
        }

        @Test
        void aSetWhoseResourceLeavesBeforeItIsRecordedIsAnsweredAtOnce() {
            onClock = () -> presence(Presence.Type.unavailable, resource(0));

            pinned.processPacket(request(IQ.Type.set, "1"));

            assertEquals(List.of(), sentTo(resource(1)), "a set is never re-sent");
            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size());
            assertEquals(Condition.recipient_unavailable, answers.get(0).getError().getCondition());
            assertEquals(PacketError.Type.wait, answers.get(0).getError().getType());
            assertEquals(SERVICE, answers.get(0).getElement().attributeValue("from"));
            assertEquals(0, pinned.status().outstanding());
            assertEquals(1, pinned.status().counters().resourceLost());
        }

        @Test
        void aGetWithNowhereElseToGoIsAnsweredAtOnce() {
            presence(Presence.Type.unavailable, resource(1));
            onClock = () -> presence(Presence.Type.unavailable, resource(0));

            pinned.processPacket(request(IQ.Type.get, "1"));

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size());
            assertEquals(Condition.recipient_unavailable, answers.get(0).getError().getCondition());
            assertEquals(0, pinned.status().outstanding());
        }

        @Test
        void aResourceThatLeavesWhileTheRequestIsSentToItHandsItOn() {
            hookWhen = packet -> resource(0).equals(packet.getElement().attributeValue("to"));
            onSend = () -> presence(Presence.Type.unavailable, resource(0));

            pinned.processPacket(request(IQ.Type.get, "1"));

            assertEquals(1, sentTo(resource(1)).size(), "re-sent exactly once, though both the presence and"
                    + " the forwarding thread noticed");
            assertEquals(List.of(), sentTo("u@example.org/abc"));
            assertEquals(1, pinned.status().counters().retried());
            assertEquals(1, pinned.status().resources().get(0).outstanding());
        }

        @Test
        void theOldResourcesReplyArrivingDuringTheRetryIsDropped() {
            pinned.processPacket(request(IQ.Type.get, "1"));
            IQ forwarded = sentTo(resource(0)).get(0);
            // r0 leaves; while the copy goes to r1, r0's reply (sent just before it left) arrives.
            hookWhen = packet -> resource(1).equals(packet.getElement().attributeValue("to"));
            onSend = () -> pinned.processPacket(replyFrom(resource(0), forwarded));

            presence(Presence.Type.unavailable, resource(0));
            pinned.processPacket(replyFrom(resource(1), sentTo(resource(1)).get(0)));

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size(), answers.toString());
            assertEquals("answer-by-" + resource(1), answers.get(0).getChildElement().elementText("token"));
            assertEquals(1, pinned.status().counters().droppedReplies());
        }

        @Test
        void theRetryTargetLeavingWhileTheCopyIsSentEndsTheRequest() {
            pinned.processPacket(request(IQ.Type.get, "1"));
            hookWhen = packet -> resource(1).equals(packet.getElement().attributeValue("to"));
            onSend = () -> presence(Presence.Type.unavailable, resource(1));

            presence(Presence.Type.unavailable, resource(0));

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size(), answers.toString());
            assertEquals(Condition.recipient_unavailable, answers.get(0).getError().getCondition());
            assertEquals(0, pinned.status().outstanding());
            assertEquals(1, pinned.status().counters().retried());
            assertEquals(1, pinned.status().counters().resourceLost());
        }

        @Test
        void aReplyArrivingWhileTheTimeoutIsSentIsDropped() {
            pinned.processPacket(request(IQ.Type.get, "1"));
            IQ forwarded = sentTo(resource(0)).get(0);
            hookWhen = packet -> "u@example.org/abc".equals(packet.getElement().attributeValue("to"));
            onSend = () -> pinned.processPacket(replyFrom(resource(0), forwarded));

            nanos += Duration.ofSeconds(30).toNanos();
            pinned.expireOverdue();

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size(), answers.toString());
            assertEquals(Condition.remote_server_timeout, answers.get(0).getError().getCondition());
            assertEquals(1, pinned.status().counters().timeouts());
            assertEquals(1, pinned.status().counters().droppedReplies());
            assertEquals(0, pinned.status().counters().resultsRelayed());
        }

        @Test
        void aSweepWhileTheReplyIsRelayedExpiresNothing() {
            pinned.processPacket(request(IQ.Type.get, "1"));
            IQ forwarded = sentTo(resource(0)).get(0);
            nanos += Duration.ofSeconds(30).toNanos(); // due, but the reply comes first
            hookWhen = packet -> "u@example.org/abc".equals(packet.getElement().attributeValue("to"));
            onSend = pinned::expireOverdue;

            pinned.processPacket(replyFrom(resource(0), forwarded));

            List<IQ> answers = sentTo("u@example.org/abc");
            assertEquals(1, answers.size(), answers.toString());
            assertEquals(IQ.Type.result, answers.get(0).getType());
            assertEquals(0, pinned.status().counters().timeouts());
            assertEquals(0, pinned.status().outstanding());
        }
    }

    // ---- Plumbing ---------------------------------------------------------------------------

    /** The proxy's table of online resources, to follow every session it creates (the status holds copies). */
    private OnlineResources onlineTable() {
        try {
            Field field = ClientProxy.class.getDeclaredField("resources");
            field.setAccessible(true);
            return (OnlineResources) field.get(proxy);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ClientProxy has no table of resources to inspect", e);
        }
    }

    private static Thread thread(String name, AtomicReference<Throwable> crash, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                crash.compareAndSet(null, e);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}
