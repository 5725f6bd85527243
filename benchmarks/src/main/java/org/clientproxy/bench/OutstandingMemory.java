package org.clientproxy.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxySnapshot;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;

/**
 * Issue 5, part 2: the heap that 100 000 outstanding requests hold, and that all of it is freed
 * when they are answered or time out. Each request is a fresh {@code get} from one of
 * {@code requesters} full JIDs, built as the server's parser builds a stanza, so the proxy keeps
 * whatever of it it holds on to. The heap is measured after full collections (the live heap as
 * {@link java.lang.management.MemoryMXBean} reports it), before and after each step, in several
 * rounds after one warm-up round that fills the JVM's and Tinder's caches.
 *
 * <p>Usage: {@code OutstandingMemory [requests [requesters [rounds]]]}, defaults 100000 10000 5.
 */
public final class OutstandingMemory {

    /** A clock that moves only when told, so that timeouts happen exactly when the program says. */
    static final class ManualClock implements ProxyClock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return Instant.EPOCH.plusNanos(nanos.get());
        }
    }

    private final int requests;
    private final int requesters;
    private final ManualClock clock = new ManualClock();
    private final BenchServer server = new BenchServer();
    private final ClientProxy proxy;
    /** The resource each request went to, so that the right one answers. */
    private final byte[] resourceOf;
    private int current;

    OutstandingMemory(int requests, int requesters) {
        this.requests = requests;
        this.requesters = requesters;
        this.resourceOf = new byte[requests];
        server.delivered = packet -> {
            if (packet instanceof IQ iq && iq.getType() == IQ.Type.get) {
                resourceOf[current] = (byte) BenchServer.resourceIndex(packet);
            }
        };
        proxy = server.startProxy(Map.of(
                ProxySettings.MAX_OUTSTANDING, Integer.toString(requests),
                ProxySettings.MAX_PER_REQUESTER, Integer.toString(Math.max(1, (requests + requesters - 1) / requesters)),
                ProxySettings.TIMEOUT_MILLIS, "30000"), clock);
    }

    private String requester(int n) {
        return "user" + (n % requesters) + "@" + BenchServer.DOMAIN + "/phone";
    }

    private static String id(int n) {
        return "req-" + n;
    }

    private void forwardAll() {
        for (int n = 0; n < requests; n++) {
            current = n;
            proxy.processPacket(BenchServer.parsed("get", id(n), requester(n), BenchServer.SERVICE.toString(), true, n));
        }
        expect(requests, "outstanding after forwarding");
    }

    private void answerAll() {
        for (int n = 0; n < requests; n++) {
            String to = BenchServer.SERVICE.getDomain() + "/" + requester(n);
            proxy.processPacket(BenchServer.parsed("result", id(n), BenchServer.RESOURCES[resourceOf[n]].toString(),
                    to, false, n));
        }
        expect(0, "outstanding after answering");
    }

    private void timeOutAll() {
        clock.nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        proxy.expireOverdue();
        expect(0, "outstanding after the timeout");
    }

    private void expect(int outstanding, String what) {
        ProxySnapshot status = proxy.status();
        if (status.outstanding() != outstanding || status.counters().droppedReplies() != 0
                || status.counters().rejectedByCaps() != 0) {
            throw new IllegalStateException(what + ": expected " + outstanding + ", got " + status);
        }
    }

    /** The live heap: used heap after full collections, once it no longer shrinks. */
    static long liveHeap() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    record Round(long held, long afterAnswer, long heldAgain, long afterTimeout) {
    }

    Round round() throws InterruptedException {
        long empty = liveHeap();
        forwardAll();
        long held = liveHeap() - empty;
        answerAll();
        long afterAnswer = liveHeap() - empty;
        forwardAll();
        long heldAgain = liveHeap() - empty;
        timeOutAll();
        long afterTimeout = liveHeap() - empty;
        return new Round(held, afterAnswer, heldAgain, afterTimeout);
    }

    public static void main(String[] args) throws InterruptedException {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int requesters = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        OutstandingMemory bench = new OutstandingMemory(requests, requesters);
        System.out.printf(Locale.ROOT, "%d outstanding get requests from %d requesters; heap %s, GC %s%n",
                requests, requesters, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(gc -> gc.getName()).toList());
        Round warmUp = bench.round();
        print("warm-up", warmUp, requests);
        List<Round> measured = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            Round round = bench.round();
            measured.add(round);
            print("round " + i, round, requests);
        }
        long[] held = measured.stream().mapToLong(r -> r.held).sorted().toArray();
        long[] heldAgain = measured.stream().mapToLong(r -> r.heldAgain).sorted().toArray();
        long maxResidual = measured.stream().mapToLong(r -> Math.max(r.afterAnswer, r.afterTimeout)).max().orElse(0);
        long median = held[held.length / 2];
        System.out.printf(Locale.ROOT, "RESULT held by %d outstanding: median %.1f MB (%d bytes/request), range %.1f..%.1f MB;"
                        + " held again before the timeout: median %.1f MB; largest residual after answering or timing out: %.2f MB%n",
                requests, mb(median), median / requests, mb(held[0]), mb(held[held.length - 1]),
                mb(heldAgain[heldAgain.length / 2]), mb(maxResidual));
    }

    private static void print(String name, Round round, int requests) {
        System.out.printf(Locale.ROOT, "%-8s held %7.2f MB (%4d B/request), after answering %6.2f MB,"
                        + " held again %7.2f MB, after timeout %6.2f MB%n",
                name, mb(round.held), round.held / requests, mb(round.afterAnswer), mb(round.heldAgain),
                mb(round.afterTimeout));
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }
}
