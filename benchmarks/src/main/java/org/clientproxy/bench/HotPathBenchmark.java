package org.clientproxy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * Issue 5, part 1: one request forwarded and its reply relayed back, through the core alone, per
 * operation. The stanzas come in as the server hands them over (packets with their JIDs parsed),
 * from 1000 requesters per thread, each request with its own id, to two online resources (random
 * strategy, the default, and the default caps), with a small payload each way, while 1000 other
 * requests are outstanding.
 *
 * <p>Besides JMH's wall-clock throughput, each thread prints its throughput per second of its own
 * CPU time ({@code CPU-TIME} lines): on a machine that other work shares, that is the figure for
 * "one core", as it leaves out the time the thread waited for a core (and the GC threads' work).
 *
 * <p>{@code copiesOnly} is the floor: the two {@code IQ.createCopy()} calls and the from/to
 * rewrites that any proxy built on Tinder packets must do, on the same stanzas.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HotPathBenchmark {

    /** What the proxy sent last on this thread: the server's delivery, seen by the thread that caused it. */
    private static final ThreadLocal<Packet[]> SENT = ThreadLocal.withInitial(() -> new Packet[1]);

    private final BenchServer server = new BenchServer();
    private ClientProxy proxy;

    /**
     * Requests from other requesters that stay outstanding all along, as on a busy server, where
     * the proxy's maps are never near empty (and their tables, which never shrink, are sized for it).
     */
    static final int BACKGROUND = 1000;

    @Setup(Level.Trial)
    public void startProxy() {
        proxy = server.startProxy(Map.of(), ProxyClock.SYSTEM);
        for (int n = 0; n < BACKGROUND; n++) {
            proxy.processPacket(BenchServer.parsed("get", "background-" + n, "waiting" + n + "@" + BenchServer.DOMAIN + "/r",
                    BenchServer.SERVICE.toString(), true, n));
        }
        server.delivered = packet -> SENT.get()[0] = packet;
    }

    /** Every request was answered by its reply, and nothing else happened. */
    @TearDown(Level.Trial)
    public void check() {
        ProxySnapshot.Counters counters = proxy.status().counters();
        if (counters.resultsRelayed() != counters.forwarded() - BACKGROUND || counters.droppedReplies() != 0
                || counters.errorsRelayed() != 0 || counters.noResource() != 0 || counters.rejectedByCaps() != 0
                || proxy.status().outstanding() != BACKGROUND) {
            throw new IllegalStateException("The proxy did not relay every reply: " + proxy.status());
        }
    }

    /** One benchmark thread's requesters, their requests and the replies to them, built once. */
    @State(Scope.Thread)
    public static class Traffic {
        static final int REQUESTERS = 1000;
        static final int IDS = 1 << 10;

        final IQ[] requests = new IQ[REQUESTERS];
        final JID[] requesters = new JID[REQUESTERS];
        final JID[] translated = new JID[REQUESTERS];
        /** The reply from each resource to each requester's request. */
        final IQ[][] replies = new IQ[REQUESTERS][BenchServer.RESOURCES.length];
        final String[] ids = new String[IDS];
        private int requester;
        private int id;

        @Setup(Level.Trial)
        public void build(ThreadParams thread) {
            int t = thread.getThreadIndex();
            for (int i = 0; i < REQUESTERS; i++) {
                String from = "user" + i + "@" + BenchServer.DOMAIN + "/bench-" + t;
                requesters[i] = new JID(from);
                translated[i] = new JID(null, BenchServer.SERVICE.getDomain(), from);
                requests[i] = BenchServer.parsed("get", "-", from, BenchServer.SERVICE.toString(), true, i);
                for (int r = 0; r < BenchServer.RESOURCES.length; r++) {
                    replies[i][r] = BenchServer.parsed("result", "-", BenchServer.RESOURCES[r].toString(),
                            translated[i].toString(), false, i);
                }
            }
            for (int n = 0; n < IDS; n++) {
                ids[n] = "t" + t + "-" + n;
            }
        }

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private long cpuStart;
        private long operations;
        private long measuredOperations;
        private long measuredCpuNanos;
        private String name;

        @Setup(Level.Iteration)
        public void startCpuClock() {
            operations = 0;
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stopCpuClock(IterationParams iteration) {
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            if (iteration.getType() == IterationType.MEASUREMENT) {
                measuredOperations += operations;
                measuredCpuNanos += cpu;
            }
            name = Thread.currentThread().getName();
        }

        @TearDown(Level.Trial)
        public void printCpuThroughput() {
            System.out.printf(Locale.ROOT, "%nCPU-TIME %s: %.0f ops per CPU-second (%d ops in %.2f s of this thread's CPU time"
                            + " over the measurement iterations)%n", name, measuredOperations / (measuredCpuNanos / 1e9),
                    measuredOperations, measuredCpuNanos / 1e9);
        }

        /** Moves on to the next requester and id. */
        int next() {
            operations++;
            requester = requester + 1 == REQUESTERS ? 0 : requester + 1;
            id = (id + 1) & (IDS - 1);
            return requester;
        }

        String id() {
            return ids[id];
        }
    }

    private static Packet takeSent() {
        Packet[] slot = SENT.get();
        Packet sent = slot[0];
        if (sent == null) {
            throw new IllegalStateException("The proxy sent nothing");
        }
        slot[0] = null;
        return sent;
    }

    private Packet roundTrip(Traffic traffic) {
        int i = traffic.next();
        String id = traffic.id();
        IQ request = traffic.requests[i];
        request.setID(id);
        proxy.processPacket(request);
        Packet forwarded = takeSent();

        IQ reply = traffic.replies[i][BenchServer.resourceIndex(forwarded)];
        reply.setID(id);
        proxy.processPacket(reply);
        return takeSent();
    }

    private static IQ copiesOnly(Traffic traffic, Blackhole blackhole) {
        int i = traffic.next();
        int r = i & 1;
        String id = traffic.id();
        IQ request = traffic.requests[i];
        request.setID(id);
        IQ forwarded = request.createCopy();
        forwarded.setFrom(traffic.translated[i]);
        forwarded.setTo(BenchServer.RESOURCES[r]);
        blackhole.consume(forwarded);

        IQ reply = traffic.replies[i][r];
        reply.setID(id);
        IQ relayed = reply.createCopy();
        relayed.setFrom(BenchServer.SERVICE);
        relayed.setTo(traffic.requesters[i]);
        return relayed;
    }

    @Benchmark
    @Threads(1)
    public Packet proxy1Thread(Traffic traffic) {
        return roundTrip(traffic);
    }

    @Benchmark
    @Threads(2)
    public Packet proxy2Threads(Traffic traffic) {
        return roundTrip(traffic);
    }

    @Benchmark
    @Threads(1)
    public IQ copiesOnly1Thread(Traffic traffic, Blackhole blackhole) {
        return copiesOnly(traffic, blackhole);
    }

    @Benchmark
    @Threads(2)
    public IQ copiesOnly2Threads(Traffic traffic, Blackhole blackhole) {
        return copiesOnly(traffic, blackhole);
    }
}
