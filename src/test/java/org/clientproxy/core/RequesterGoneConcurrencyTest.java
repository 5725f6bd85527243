package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.clientproxy.testing.Waits;
import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Requesters whose sessions keep ending and starting again with the same full JID and the same
 * few ids, while the implementing client answers on other threads and the sweeper expires: no
 * request is answered twice, every one not dropped as its requester's is answered, and nothing
 * leaks (caps, per-resource counts, departed requests).
 */
class RequesterGoneConcurrencyTest {
    private static final String SERVICE = "svc.example.org";
    private static final List<String> IDS = List.of("a", "b", "c", "d");
    /** The run goes on until this many requests were sent and this many dropped as their requester's. */
    private static final int MIN_REQUESTS = 20_000;
    private static final int MIN_DROPPED = 200;
    /** ... or fails after this long: far more than it needs (about a second), so that a loaded machine makes it slower, not red. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final ManualClock clock = new ManualClock();
    /** Requests the implementing client received and has not answered yet. */
    private final Queue<IQ> toAnswer = new ConcurrentLinkedQueue<>();
    /** Answers per requester and id, counted per request token (its payload). */
    private final Map<String, AtomicInteger> answersPerToken = new ConcurrentHashMap<>();
    private final AtomicInteger answersToRequesters = new AtomicInteger();
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private ClientProxy proxy;

    private void route(Packet packet) {
        if (packet instanceof IQ iq && iq.getTo() != null && iq.getTo().toBareJID().equals("impl@example.org")) {
            toAnswer.add(iq.createCopy());
        } else if (packet instanceof IQ iq) {
            answersToRequesters.incrementAndGet();
            if (iq.getType() == IQ.Type.result) {
                String token = iq.getChildElement().getText();
                if (answersPerToken.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet() > 1) {
                    crash.compareAndSet(null, new AssertionError("answered twice: " + token));
                }
            }
        }
    }

    @Test
    @Timeout(300)
    void sessionsComeAndGoWithoutLeaksOrDoubleAnswers() throws Exception {
        proxy = new ClientProxy(ClientProxyTest.settings(Map.of(ProxySettings.MAX_PER_REQUESTER, "3",
                ProxySettings.TIMEOUT_MILLIS, "100", ProxySettings.STRATEGY, "sticky")), clock);
        proxy.initialize(new JID(SERVICE), new StubComponentManager("example.org", this::route));
        proxy.start();
        for (String resource : List.of("impl@example.org/a", "impl@example.org/b")) {
            Presence available = new Presence();
            available.setFrom(new JID(resource));
            available.setTo(new JID(SERVICE));
            proxy.processPacket(available);
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger tokens = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            JID requester = new JID("user" + t + "@example.org/phone");
            threads.add(thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    if (random.nextInt(8) == 0) {
                        proxy.requesterGone(requester); // a new session of the same full JID
                    }
                    IQ request = new IQ(IQ.Type.get, IDS.get(random.nextInt(IDS.size())));
                    request.setFrom(requester);
                    request.setTo(new JID(SERVICE));
                    request.setChildElement("q", "urn:example").setText("token-" + tokens.incrementAndGet());
                    proxy.processPacket(request);
                }
            }));
        }
        threads.add(thread(() -> {
            while (!stop.get()) {
                IQ request = toAnswer.poll();
                if (request != null) {
                    answer(request);
                }
            }
        }));
        threads.add(thread(() -> {
            while (!stop.get()) {
                clock.advance(Duration.ofMillis(1));
                proxy.expireOverdue();
                Thread.onSpinWait();
            }
        }));
        try {
            Waits.until(PATIENCE, () -> "enough requests sent and dropped", () -> crash.get() != null || tokens.get() >= MIN_REQUESTS
                    && proxy.status().counters().requesterGone() >= MIN_DROPPED);
        } finally {
            stop.set(true);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (crash.get() != null) {
            throw new AssertionError(crash.get());
        }

        // Quiet now: what is left is answered or expires, and the departed ones are forgotten.
        for (IQ request; (request = toAnswer.poll()) != null; ) {
            answer(request);
        }
        clock.advance(Duration.ofSeconds(1));
        proxy.expireOverdue();

        ProxySnapshot status = proxy.status();
        assertEquals(0, status.outstanding());
        status.resources().forEach(resource -> assertEquals(0, resource.outstanding(), resource.address().toString()));
        ProxySnapshot.Counters counters = status.counters();
        // Every request was answered once, or dropped as its requester's: answers = requests - dropped.
        assertEquals(tokens.get() - counters.requesterGone(), answersToRequesters.get(), counters::toString);
        List<String> reused = IDS.subList(0, 3); // the cap per requester
        for (String id : reused) {
            IQ request = new IQ(IQ.Type.get, id);
            request.setFrom(new JID("user0@example.org/phone"));
            request.setTo(new JID(SERVICE));
            proxy.processPacket(request);
        }
        assertEquals(reused.size(), proxy.status().outstanding(), "no id is held by a departed request any more");
    }

    /** The implementing client's result, echoing the request's token. */
    private void answer(IQ request) {
        IQ result = IQ.createResultIQ(request);
        result.setChildElement("q", "urn:example").setText(request.getChildElement().getText());
        proxy.processPacket(result);
    }

    private Thread thread(Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                crash.compareAndSet(null, e);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
