package org.clientproxy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.clientproxy.e2e.ProsodyServer;

/**
 * The end-to-end load comparison (issue 5, part 3), run by {@code scripts/bench-e2e}, never by
 * the test suite. Against one throwaway Prosody it measures IQ round trips
 * <ul>
 *   <li><b>proxied</b>: requester → {@code svc.localhost} → the proxy (the real external
 *       component, {@code target/clientproxy-external.jar} in its own JVM) → the implementing
 *       client's resource → back the same way, and</li>
 *   <li><b>direct</b>: requester → {@code impl@localhost/r} → back,</li>
 * </ul>
 * and, as a control, <b>relayed</b>: requester → {@code relay.localhost}, a bare external
 * component in this JVM that only rewrites the addresses (no bookkeeping, no object tree) →
 * the implementing client → back. The relay shows what any external component costs on this
 * server, so that the proxy's own cost can be told apart from the extra hop through Prosody.
 *
 * <p>Each level (1, 16 and 64 requests in flight) runs rounds of one phase per mode, the order
 * going through all permutations so that drift (JIT, other load on the machine) hits every mode
 * alike. All modes use the same two client connections and the same client code
 * ({@link RawXmppClient}); the implementing client answers every get at once with the same
 * small result. With N in flight, one requester connection keeps N requests outstanding: each
 * reply sends the next request (a closed loop of N virtual requesters).
 *
 * <p>For each phase it also reads the CPU time of Prosody, the proxy's JVM (and its socket
 * reader thread, which does all of the proxy's stanza work), the relay's thread, this JVM, and
 * the whole machine from {@code /proc}, so that a gap between the modes can be attributed.
 */
public final class LoadComparison {
    private static final String SERVICE = "svc." + ProsodyServer.DOMAIN;
    private static final String RELAY = "relay." + ProsodyServer.DOMAIN;
    private static final String RELAY_THREAD = "bare relay";
    private static final String IMPL_RESOURCE = "r";
    private static final String IMPL = "impl@" + ProsodyServer.DOMAIN + "/" + IMPL_RESOURCE;
    private static final String PASSWORD = "load-password";
    private static final String SECRET = "load-secret-" + System.nanoTime();
    private static final String REQUEST_PAYLOAD = "<payload xmlns='urn:clientproxy:bench'/>";
    private static final String RESULT_PAYLOAD = "<payload xmlns='urn:clientproxy:bench'>42</payload>";
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long TICK_NANOS = 1_000_000_000L / 100; // USER_HZ; checked in main

    enum Mode {
        DIRECT("direct", IMPL), PROXIED("proxied", SERVICE), RELAYED("relayed", RELAY);

        final String label;
        final String to;

        Mode(String label, String to) {
            this.label = label;
            this.to = to;
        }
    }

    private final Options options;
    /** The modes measured: all three on Prosody; direct and proxied on an already-running server. */
    private final List<Mode> modes;
    /** The address each mode's requests go to. */
    private final Map<Mode, String> addresses = new EnumMap<>(Mode.class);
    private final Driver driver = new Driver();
    private final AtomicInteger phaseNumbers = new AtomicInteger();
    private ProsodyServer prosody;
    private Process proxy;
    private RawXmppClient implementing;
    private RawXmppClient requester;
    private RawXmppClient relay;
    private CpuProbe cpu;

    private LoadComparison(Options options) {
        this.options = options;
        if (options.server == null) {
            modes = List.of(Mode.values());
            for (Mode mode : modes) {
                addresses.put(mode, mode.to);
            }
        } else {
            modes = options.only != null ? List.of(options.only)
                    : options.relay != null ? List.of(Mode.values()) : List.of(Mode.DIRECT, Mode.PROXIED);
            addresses.put(Mode.DIRECT, options.impl.user + "@" + options.domain + "/" + IMPL_RESOURCE);
            addresses.put(Mode.PROXIED, options.service);
            addresses.put(Mode.RELAYED, options.relay);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LoadComparison comparison = new LoadComparison(options);
        Thread cleanup = new Thread(comparison::stopAll, "stop everything");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            comparison.run();
        } finally {
            comparison.stopAll();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        String clockTicks = new String(new ProcessBuilder("getconf", "CLK_TCK").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).trim();
        if (!clockTicks.equals("100")) {
            throw new IllegalStateException("CPU times assume 100 clock ticks per second, not " + clockTicks);
        }
        System.out.printf("Load comparison, %s: levels %s, warm-up %d ms, then per level %d ms warm-up per mode and"
                        + " %d rounds of %d ms per mode (%s; order permuted each round)%n",
                ZonedDateTime.now(), options.levels, options.warmup.toMillis(), options.levelWarmup.toMillis(),
                options.rounds, options.phase.toMillis(),
                String.join(", ", modes.stream().map(mode -> mode.label).toList()));

        if (options.server != null) {
            connectToServer();
        } else {
            startProsody();
        }
        System.out.println("Load before: " + loadAverage());

        System.out.printf("%nWarm-up: %d ms alternating at %d in flight%n", options.warmup.toMillis(), options.warmupLevel);
        long warmupPhases = Math.max(modes.size(), options.warmup.toMillis() / 1000);
        for (int i = 0; i < warmupPhases; i++) {
            runPhase(modes.get(i % modes.size()), options.warmupLevel, Duration.ofMillis(1000));
        }

        List<LevelResult> results = new ArrayList<>();
        for (int level : options.levels) {
            System.out.printf("%n== %d in flight%n", level);
            for (Mode mode : modes) {
                runPhase(mode, level, options.levelWarmup);
            }
            LevelResult result = new LevelResult(level);
            for (int round = 0; round < options.rounds; round++) {
                for (Mode mode : ORDERS[round % ORDERS.length]) {
                    if (!modes.contains(mode)) {
                        continue;
                    }
                    PhaseResult phase = runPhase(mode, level, options.phase);
                    result.add(phase);
                    System.out.println(phase.line(serverLabel()));
                }
            }
            results.add(result);
        }
        System.out.println();
        System.out.println("Load after: " + loadAverage());
        System.out.println();
        if (options.server != null) {
            printServerSummary(results, serverLabel());
        } else {
            printSummary(results);
        }
    }

    private String serverLabel() {
        return options.server == null ? "prosody" : "server";
    }

    /**
     * An already-running server (e.g. Openfire with the plugin installed and configured, the proxy
     * an internal component): only the two clients are connected, no relay and no proxy JVM; the
     * server's CPU is read from {@code --server-pid} if given.
     */
    private void connectToServer() throws Exception {
        System.out.println("Server " + options.server.host + ":" + options.server.port + ", domain " + options.domain
                + ", service " + options.service + ", server pid " + (options.serverPid > 0 ? options.serverPid : "not given"));
        implementing = RawXmppClient.login(options.server.host, options.server.port, options.domain, options.impl.user,
                options.impl.password, IMPL_RESOURCE);
        // Approve the service's subscription in advance (RFC 6121 3.4), then go online; answer later subscribes too.
        implementing.sendAndSync("<presence type='subscribed' to='" + options.service + "'/>");
        implementing.sendAndSync("<presence/>");
        implementing.start("implementing client", LoadComparison::answer);

        Options.HostPort requesterServer = options.requesterServer != null ? options.requesterServer : options.server;
        requester = RawXmppClient.login(requesterServer.host, requesterServer.port, options.domain, options.requester.user,
                options.requester.password, "load");
        requester.start("requester", driver);
        for (Mode mode : modes) {
            awaitAnswer(mode);
        }
        cpu = CpuProbe.ofServer(options.serverPid, options.otherPid);
        System.out.println("This JVM pid " + cpu.selfPid);
    }

    private void startProsody() throws Exception {
        prosody = ProsodyServer.start(Map.of(SERVICE, SECRET, RELAY, SECRET),
                Map.of("impl", PASSWORD, "user", PASSWORD), "info");
        System.out.println("Prosody pid " + prosody.pid() + ", c2s port " + prosody.clientPort()
                + ", component port " + prosody.componentPort() + ", files in " + prosody.directory());

        implementing = RawXmppClient.login(prosody.clientPort(), ProsodyServer.DOMAIN, "impl", PASSWORD, IMPL_RESOURCE);
        // Approve the service's subscription in advance (RFC 6121 3.4), then go online.
        implementing.sendAndSync("<presence type='subscribed' to='" + SERVICE + "'/>");
        implementing.sendAndSync("<presence/>");
        implementing.start("implementing client", LoadComparison::answer);

        requester = RawXmppClient.login(prosody.clientPort(), ProsodyServer.DOMAIN, "user", PASSWORD, "load");
        requester.start("requester", driver);

        relay = RawXmppClient.component(prosody.componentPort(), RELAY, SECRET);
        relay.writeLikeWhack(options.relayFlushEach, options.relayNagle);
        relay.start(RELAY_THREAD, LoadComparison::relay);

        proxy = startProxy();
        for (Mode mode : modes) {
            awaitAnswer(mode);
        }
        cpu = new CpuProbe(prosody.pid(), proxy.pid());
        System.out.println("Proxy (java -jar " + options.jar + ") pid " + proxy.pid() + ", its socket reader thread "
                + cpu.proxyReaderTid + "; this JVM pid " + cpu.selfPid + ", the relay's thread " + cpu.relayTid);
    }

    // ---- Phases ------------------------------------------------------------------------------

    /** The order of the modes in successive rounds: every permutation, so each mode is in each place alike. */
    private static final Mode[][] ORDERS = {
            {Mode.DIRECT, Mode.PROXIED, Mode.RELAYED}, {Mode.RELAYED, Mode.PROXIED, Mode.DIRECT},
            {Mode.PROXIED, Mode.RELAYED, Mode.DIRECT}, {Mode.DIRECT, Mode.RELAYED, Mode.PROXIED},
            {Mode.RELAYED, Mode.DIRECT, Mode.PROXIED}, {Mode.PROXIED, Mode.DIRECT, Mode.RELAYED}};

    private PhaseResult runPhase(Mode mode, int inFlight, Duration length) throws Exception {
        Phase phase = new Phase(phaseNumbers.incrementAndGet(), mode, addresses.get(mode), inFlight, length);
        CpuSample before = cpu.sample();
        driver.phase = phase;
        synchronized (requester.lock()) {
            phase.startNanos = System.nanoTime();
            phase.endNanos = phase.startNanos + length.toNanos();
            for (int slot = 0; slot < inFlight; slot++) {
                phase.send(requester, slot, System.nanoTime());
            }
            requester.flush();
        }
        long sleep = phase.endNanos - System.nanoTime();
        if (sleep > 0) {
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
        CpuSample after = cpu.sample();
        if (!phase.drained.await(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(phase.outstanding.get() + " requests of " + mode.label + " at " + inFlight
                    + " in flight unanswered after " + DRAIN_TIMEOUT);
        }
        driver.phase = null;
        if (phase.errors > 0) {
            throw new IllegalStateException(phase.errors + " bad replies in " + mode.label + " at " + inFlight
                    + " in flight, the first: " + phase.firstError);
        }
        return new PhaseResult(mode, inFlight, length, phase.completed, phase.latencies.sorted(), after.minus(before));
    }

    /** One timed run of one mode: {@code inFlight} slots, each sending its next request when its reply arrives. */
    private static final class Phase {
        final String prefix;
        final Mode mode;
        final String to;
        final String expectedFrom;
        final long[] sentAt;
        final int[] sequence;
        final LongList latencies = new LongList();
        final AtomicInteger outstanding;
        final CountDownLatch drained = new CountDownLatch(1);
        final Duration length;
        long startNanos;
        long endNanos;
        int completed;
        int errors;
        String firstError;

        Phase(int number, Mode mode, String to, int inFlight, Duration length) {
            this.prefix = "p" + number + "-";
            this.mode = mode;
            this.to = to;
            this.expectedFrom = to;
            this.sentAt = new long[inFlight];
            this.sequence = new int[inFlight];
            this.outstanding = new AtomicInteger(inFlight);
            this.length = length;
        }

        void send(RawXmppClient client, int slot, long now) throws IOException {
            sentAt[slot] = now;
            client.write("<iq type='get' id='" + prefix + slot + "-" + sequence[slot]++ + "' to='" + to + "'>"
                    + REQUEST_PAYLOAD + "</iq>");
        }

        /** On the requester's reader thread, under its lock. */
        void reply(RawXmppClient client, RawXmppClient.Stanza stanza, String id) throws IOException {
            long now = System.nanoTime();
            int slot = 0;
            for (int i = prefix.length(); id.charAt(i) != '-'; i++) {
                slot = slot * 10 + id.charAt(i) - '0';
            }
            if (!stanza.attributeIs("type", "result") || !stanza.attributeIs("from", expectedFrom)) {
                if (errors++ == 0) {
                    firstError = stanza.toString();
                }
            }
            if (now - endNanos <= 0) {
                latencies.add(now - sentAt[slot]);
                completed++;
                send(client, slot, now);
            } else if (outstanding.decrementAndGet() == 0) {
                drained.countDown();
            }
        }
    }

    /** The requester's handler: replies go to the running phase or to a readiness check. */
    private static final class Driver implements RawXmppClient.Handler {
        volatile Phase phase;
        volatile String checkId;
        volatile CompletableFuture<String> check;

        @Override
        public void stanza(RawXmppClient client, RawXmppClient.Stanza stanza) throws IOException {
            if (!stanza.is("iq")) {
                return;
            }
            if (stanza.attributeIs("type", "get") || stanza.attributeIs("type", "set")) {
                // The server's own requests (pings): an empty result.
                client.write("<iq type='result' id='" + stanza.attribute("id") + "' to='" + stanza.attribute("from") + "'/>");
                return;
            }
            String id = stanza.attribute("id");
            Phase current = phase;
            if (current != null && id.startsWith(current.prefix)) {
                current.reply(client, stanza, id);
            } else if (id.equals(checkId)) {
                check.complete(stanza.toString());
            }
        }
    }

    /** The implementing client: every benchmark get answered at once with the same small result; other gets and sets with an empty one. */
    private static void answer(RawXmppClient client, RawXmppClient.Stanza stanza) throws IOException {
        if (stanza.is("iq")) {
            if (stanza.attributeIs("type", "get") && stanza.toString().contains("urn:clientproxy:bench")) {
                client.write("<iq type='result' id='" + stanza.attribute("id") + "' to='" + stanza.attribute("from") + "'>"
                        + RESULT_PAYLOAD + "</iq>");
            } else if (stanza.attributeIs("type", "get")) {
                // The server's own requests (pings): an empty result. Openfire closes the stream on a result
                // with a child it has no handler for.
                client.write("<iq type='result' id='" + stanza.attribute("id") + "' to='" + stanza.attribute("from") + "'/>");
            } else if (stanza.attributeIs("type", "set")) {
                client.write("<iq type='result' id='" + stanza.attribute("id") + "' to='" + stanza.attribute("from") + "'/>");
            }
        } else if (stanza.is("presence") && stanza.attributeIs("type", "subscribe")) {
            client.write("<presence type='subscribed' to='" + stanza.attribute("from") + "'/>");
        }
    }

    /**
     * The bare relay: a request to {@code relay.localhost} goes on to the implementing client from
     * {@code relay.localhost/<requester>}, its reply back to the requester, nothing remembered.
     */
    private static void relay(RawXmppClient client, RawXmppClient.Stanza stanza) throws IOException {
        if (!stanza.is("iq")) {
            return;
        }
        if (stanza.attributeIs("type", "get")) {
            client.write("<iq type='get' id='" + stanza.attribute("id") + "' from='" + RELAY + "/" + stanza.attribute("from")
                    + "' to='" + IMPL + "'>" + stanza.inner() + "</iq>");
        } else if (stanza.attributeIs("type", "result")) {
            String to = stanza.attribute("to");
            if (to.startsWith(RELAY + "/")) {
                client.write("<iq type='result' id='" + stanza.attribute("id") + "' from='" + RELAY + "' to='"
                        + to.substring(RELAY.length() + 1) + "'>" + stanza.inner() + "</iq>");
            }
        }
    }

    /** Asks until a request to {@code mode}'s address gets a result: the proxy is connected and knows the resource. */
    private void awaitAnswer(Mode mode) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = null;
        for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
            String id = "check-" + mode.label + "-" + attempt;
            CompletableFuture<String> answer = new CompletableFuture<>();
            driver.check = answer;
            driver.checkId = id;
            synchronized (requester.lock()) {
                requester.write("<iq type='get' id='" + id + "' to='" + addresses.get(mode) + "'>" + REQUEST_PAYLOAD + "</iq>");
                requester.flush();
            }
            try {
                last = answer.get(2, TimeUnit.SECONDS);
                if (last.contains("type='result'") || last.contains("type=\"result\"")) {
                    return;
                }
            } catch (TimeoutException e) {
                last = "no answer within 2 s";
            }
            if (proxy != null && !proxy.isAlive()) {
                throw new IllegalStateException("The proxy exited with " + proxy.exitValue() + "; see " + proxyLog());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(addresses.get(mode) + " does not answer: " + last);
    }

    // ---- Processes ---------------------------------------------------------------------------

    private Process startProxy() throws IOException {
        Path properties = prosody.directory().resolve("proxy.properties");
        Files.writeString(properties, String.join("\n",
                "serverHost=127.0.0.1",
                "componentPort=" + prosody.componentPort(),
                "domain=" + ProsodyServer.DOMAIN,
                "secret=" + SECRET,
                "subdomain=svc",
                "target=impl@" + ProsodyServer.DOMAIN,
                ""), StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options.proxyJvmOptions);
        command.addAll(List.of("-jar", options.jar.toString(), properties.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(proxyLog().toFile())
                .start();
    }

    private Path proxyLog() {
        return prosody.directory().resolve("proxy.log");
    }

    private synchronized void stopAll() {
        for (RawXmppClient client : new RawXmppClient[] {requester, implementing, relay}) {
            if (client != null) {
                try {
                    client.close();
                } catch (IOException ignored) {
                    // going anyway
                }
            }
        }
        requester = null;
        implementing = null;
        relay = null;
        if (proxy != null) {
            proxy.destroy();
            try {
                if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                proxy.destroyForcibly();
            }
            proxy = null;
        }
        if (prosody != null) {
            try {
                prosody.stop();
            } catch (InterruptedException ignored) {
                // best effort
            }
            prosody = null;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }

    // ---- CPU time ----------------------------------------------------------------------------

    /**
     * CPU time from /proc in nanoseconds: of single threads (Prosody's only thread, the proxy's
     * reader thread, the relay's thread) exactly from {@code schedstat}; of whole JVMs and the
     * machine as user + system clock ticks (10 ms) from {@code stat}, which also count threads
     * that have ended (the JIT's come and go).
     */
    private static final class CpuProbe {
        final long prosodyPid;
        final long proxyPid;
        final long proxyReaderTid;
        final long selfPid = ProcessHandle.current().pid();
        final long relayTid;
        final boolean wholeServer;

        /**
         * For an already-running server: its whole JVM (pid 0: not measured), and in a cluster the
         * other member's whole JVM in place of the proxy's; no relay.
         */
        static CpuProbe ofServer(long serverPid, long otherMemberPid) {
            return new CpuProbe(serverPid, otherMemberPid, 0, 0, true);
        }

        private CpuProbe(long prosodyPid, long proxyPid, long proxyReaderTid, long relayTid, boolean wholeServer) {
            this.prosodyPid = prosodyPid;
            this.proxyPid = proxyPid;
            this.proxyReaderTid = proxyReaderTid;
            this.relayTid = relayTid;
            this.wholeServer = wholeServer;
        }

        CpuProbe(long prosodyPid, long proxyPid) throws IOException {
            this.wholeServer = false;
            this.prosodyPid = prosodyPid;
            this.proxyPid = proxyPid;
            this.proxyReaderTid = findThread(proxyPid, "Component socke"); // Whack's "Component socket reader", cut to 15
            this.relayTid = findThread(selfPid, RELAY_THREAD);
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + prosodyPid + "/task"))) {
                if (tasks.count() != 1) {
                    throw new IllegalStateException("Prosody (pid " + prosodyPid + ") runs more than one thread");
                }
            }
        }

        CpuSample sample() throws IOException {
            if (wholeServer) {
                return new CpuSample(System.nanoTime(), prosodyPid > 0 ? ticks("/proc/" + prosodyPid + "/stat") : 0,
                        proxyPid > 0 ? ticks("/proc/" + proxyPid + "/stat") : 0, 0, 0,
                        ticks("/proc/" + selfPid + "/stat"), machine());
            }
            return new CpuSample(System.nanoTime(), runtime("/proc/" + prosodyPid + "/task/" + prosodyPid),
                    ticks("/proc/" + proxyPid + "/stat"), runtime("/proc/" + proxyPid + "/task/" + proxyReaderTid),
                    runtime("/proc/" + selfPid + "/task/" + relayTid), ticks("/proc/" + selfPid + "/stat"), machine());
        }

        /** User + system time of a process, all its threads, from its clock ticks. */
        private static long ticks(String statFile) throws IOException {
            String stat = Files.readString(Path.of(statFile));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS; // utime, stime (fields 14, 15)
        }

        /** The time a thread ran on a CPU, to the nanosecond. */
        private static long runtime(String task) throws IOException {
            String schedstat = Files.readString(Path.of(task, "schedstat"));
            return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        }

        /** Busy and steal time of all CPUs together. */
        private static long[] machine() throws IOException {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            long[] values = Stream.of(line.substring(3).trim().split(" +")).mapToLong(Long::parseLong).toArray();
            long total = 0;
            for (int i = 0; i < 8; i++) {
                total += values[i];
            }
            long idle = values[3] + values[4];
            long steal = values[7];
            return new long[] {(total - idle - steal) * TICK_NANOS, steal * TICK_NANOS};
        }

        private static long findThread(long pid, String name) throws IOException {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                return tasks.filter(task -> {
                    try {
                        return Files.readString(task.resolve("comm")).trim().equals(name);
                    } catch (IOException e) {
                        return false;
                    }
                }).map(task -> Long.parseLong(task.getFileName().toString())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no thread " + name + " in process " + pid));
            }
        }
    }

    /**
     * CPU time in nanoseconds at one moment, or (after {@link #minus}) over an interval: Prosody, the proxy's JVM
     * and its reader thread, the relay's thread, this JVM (the relay included), and the machine's
     * busy and steal ticks.
     */
    private record CpuSample(long nanos, long prosody, long proxy, long proxyReader, long relay, long self,
                             long[] machine) {
        CpuSample minus(CpuSample earlier) {
            return new CpuSample(nanos - earlier.nanos, prosody - earlier.prosody, proxy - earlier.proxy,
                    proxyReader - earlier.proxyReader, relay - earlier.relay, self - earlier.self,
                    new long[] {machine[0] - earlier.machine[0], machine[1] - earlier.machine[1]});
        }

        CpuSample plus(CpuSample other) {
            return new CpuSample(nanos + other.nanos, prosody + other.prosody, proxy + other.proxy,
                    proxyReader + other.proxyReader, relay + other.relay, self + other.self,
                    new long[] {machine[0] + other.machine[0], machine[1] + other.machine[1]});
        }

        /** The two clients: this JVM without the relay. */
        long clients() {
            return self - relay;
        }

        /** Busy time of everything else on the machine (other processes, kernel softirq work). */
        long other() {
            return machine[0] - prosody - proxy - self;
        }

        static final CpuSample ZERO = new CpuSample(0, 0, 0, 0, 0, 0, new long[2]);
    }

    // ---- Results -----------------------------------------------------------------------------

    private record PhaseResult(Mode mode, int inFlight, Duration length, int completed, long[] latencies, CpuSample cpu) {
        double throughput() {
            return completed / (length.toNanos() / 1e9);
        }

        String line(String server) {
            double wall = cpu.nanos;
            return String.format(Locale.ROOT, "  %-7s %2d in flight: %6.0f rt/s  p50 %7.1f µs  p99 %7.1f µs"
                            + " | core %%: %s %3.0f proxy %3.0f (reader %3.0f) relay %3.0f clients %3.0f other %3.0f steal %2.0f"
                            + " | µs/rt: %s %5.1f proxy %5.1f relay %5.1f clients %5.1f",
                    mode.label, inFlight, throughput(), percentile(latencies, 0.50) / 1e3, percentile(latencies, 0.99) / 1e3, server,
                    100 * cpu.prosody / wall, 100 * cpu.proxy / wall, 100 * cpu.proxyReader / wall,
                    100 * cpu.relay / wall, 100 * cpu.clients() / wall, 100 * cpu.other() / wall,
                    100 * cpu.machine[1] / wall, server, perRoundTrip(cpu.prosody, completed),
                    perRoundTrip(cpu.proxy, completed), perRoundTrip(cpu.relay, completed),
                    perRoundTrip(cpu.clients(), completed));
        }
    }

    private static final class LevelResult {
        final int inFlight;
        final Map<Mode, List<PhaseResult>> phases = new EnumMap<>(Mode.class);

        LevelResult(int inFlight) {
            this.inFlight = inFlight;
            for (Mode mode : Mode.values()) {
                phases.put(mode, new ArrayList<>());
            }
        }

        void add(PhaseResult result) {
            phases.get(result.mode).add(result);
        }

        double throughput(Mode mode) {
            long nanos = phases.get(mode).stream().mapToLong(phase -> phase.length.toNanos()).sum();
            return completed(mode) / (nanos / 1e9);
        }

        long completed(Mode mode) {
            return phases.get(mode).stream().mapToLong(PhaseResult::completed).sum();
        }

        long[] latencies(Mode mode) {
            long[] all = phases.get(mode).stream().flatMapToLong(phase -> Arrays.stream(phase.latencies)).toArray();
            Arrays.sort(all);
            return all;
        }

        String latency(Mode mode) {
            long[] all = latencies(mode);
            return String.format(Locale.ROOT, "%.0f / %.0f", percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3);
        }

        CpuSample cpu(Mode mode) {
            CpuSample sum = CpuSample.ZERO;
            for (PhaseResult phase : phases.get(mode)) {
                sum = sum.plus(phase.cpu);
            }
            return sum;
        }

        /** The throughput ratio {@code mode}/{@code base} overall, and its lowest and highest in a single round. */
        String ratio(Mode mode, Mode base) {
            List<PhaseResult> of = phases.get(mode);
            List<PhaseResult> to = phases.get(base);
            if (of.isEmpty() || of.size() != to.size()) {
                return "–"; // a mode not measured
            }
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int i = 0; i < of.size(); i++) {
                double ratio = of.get(i).throughput() / to.get(i).throughput();
                low = Math.min(low, ratio);
                high = Math.max(high, ratio);
            }
            return String.format(Locale.ROOT, "**%.3f** (%.2f–%.2f)", throughput(mode) / throughput(base), low, high);
        }
    }

    private static void printSummary(List<LevelResult> results) {
        System.out.println("Throughput (round trips per second over all rounds), ratios of throughput (lowest–highest"
                + " single round in brackets), latency p50 / p99 in µs:");
        System.out.println();
        System.out.println("| in flight | direct rt/s | proxied rt/s | proxied/direct | direct p50 / p99 | proxied p50 / p99"
                + " | relayed rt/s | relayed/direct | relayed p50 / p99 | proxied/relayed |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LevelResult result : results) {
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %s | %s | %s | %.0f | %s | %s | %s |%n", result.inFlight,
                    result.throughput(Mode.DIRECT), result.throughput(Mode.PROXIED), result.ratio(Mode.PROXIED, Mode.DIRECT),
                    result.latency(Mode.DIRECT), result.latency(Mode.PROXIED), result.throughput(Mode.RELAYED),
                    result.ratio(Mode.RELAYED, Mode.DIRECT), result.latency(Mode.RELAYED),
                    result.ratio(Mode.PROXIED, Mode.RELAYED));
        }
        CpuSample all = CpuSample.ZERO;
        for (LevelResult result : results) {
            for (Mode mode : Mode.values()) {
                all = all.plus(result.cpu(mode));
            }
        }
        double otherShare = 100.0 * all.other() / all.nanos;
        System.out.println();
        System.out.printf(Locale.ROOT, "Other busy CPU during the measured phases: %.0f %% of one core on average%s%n", otherShare,
                otherShare > 15 ? " -- the machine was busy with other work; run again when it is quiet" : "");
        System.out.println();
        System.out.println("CPU time (from /proc over the measured phases: Prosody's single thread, the proxy's reader"
                + " thread and the relay's thread exactly, whole JVMs in 10 ms ticks) per round trip in µs,"
                + " Prosody's also per stanza it routed (2 per direct round trip, 4 otherwise), and the share of one core"
                + " each took during the measured phases (2 cores = 200 %):");
        System.out.println();
        System.out.println("| in flight | mode | Prosody µs/rt | Prosody µs/stanza | component µs/rt | clients µs/rt"
                + " | Prosody % | component % | clients % | other % | steal % |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LevelResult result : results) {
            for (Mode mode : Mode.values()) {
                CpuSample cpu = result.cpu(mode);
                long completed = result.completed(mode);
                double wall = cpu.nanos;
                int stanzas = mode == Mode.DIRECT ? 2 : 4;
                String component = switch (mode) {
                    case DIRECT -> "–";
                    case PROXIED -> String.format(Locale.ROOT, "%.1f (reader thread %.1f)",
                            perRoundTrip(cpu.proxy, completed), perRoundTrip(cpu.proxyReader, completed));
                    case RELAYED -> String.format(Locale.ROOT, "%.1f", perRoundTrip(cpu.relay, completed));
                };
                long componentTicks = mode == Mode.PROXIED ? cpu.proxy : mode == Mode.RELAYED ? cpu.relay : 0;
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                        result.inFlight, mode.label, perRoundTrip(cpu.prosody, completed),
                        perRoundTrip(cpu.prosody, completed) / stanzas, component, perRoundTrip(cpu.clients(), completed),
                        100 * cpu.prosody / wall, 100 * componentTicks / wall, 100 * cpu.clients() / wall,
                        100 * cpu.other() / wall, 100 * cpu.machine[1] / wall);
            }
        }
    }

    /** The summary for an already-running server: direct and proxied only, the server's JVM as a whole. */
    private static void printServerSummary(List<LevelResult> results, String server) {
        boolean relayed = results.stream().anyMatch(result -> !result.phases.get(Mode.RELAYED).isEmpty());
        List<Mode> modes = relayed ? List.of(Mode.values()) : List.of(Mode.DIRECT, Mode.PROXIED);
        System.out.println("Throughput (round trips per second over all rounds), ratio of throughput (lowest–highest"
                + " single round in brackets), latency p50 / p99 in µs:");
        System.out.println();
        System.out.println("| in flight | direct rt/s | proxied rt/s | proxied/direct | direct p50 / p99 | proxied p50 / p99 |"
                + (relayed ? " relayed rt/s | relayed/direct | relayed p50 / p99 | proxied/relayed |" : ""));
        System.out.println("|---:|---:|---:|---:|---:|---:|" + (relayed ? "---:|---:|---:|---:|" : ""));
        for (LevelResult result : results) {
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %s | %s | %s |", result.inFlight,
                    result.throughput(Mode.DIRECT), result.throughput(Mode.PROXIED), result.ratio(Mode.PROXIED, Mode.DIRECT),
                    result.latency(Mode.DIRECT), result.latency(Mode.PROXIED));
            if (relayed) {
                System.out.printf(Locale.ROOT, " %.0f | %s | %s | %s |", result.throughput(Mode.RELAYED),
                        result.ratio(Mode.RELAYED, Mode.DIRECT), result.latency(Mode.RELAYED),
                        result.ratio(Mode.PROXIED, Mode.RELAYED));
            }
            System.out.println();
        }
        System.out.println();
        System.out.println("CPU time (from /proc over the measured phases, whole JVMs in 10 ms ticks) per round trip in µs,"
                + " and the share of one core each took (2 cores = 200 %):");
        System.out.println();
        System.out.println("| in flight | mode | " + server + " µs/rt | other member µs/rt | clients µs/rt | " + server
                + " % | other member % | clients % | other % | steal % |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LevelResult result : results) {
            for (Mode mode : modes) {
                CpuSample cpu = result.cpu(mode);
                long completed = result.completed(mode);
                double wall = cpu.nanos;
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                        result.inFlight, mode.label, perRoundTrip(cpu.prosody, completed),
                        perRoundTrip(cpu.proxy, completed), perRoundTrip(cpu.clients(), completed),
                        100 * cpu.prosody / wall, 100 * cpu.proxy / wall, 100 * cpu.clients() / wall,
                        100 * cpu.other() / wall, 100 * cpu.machine[1] / wall);
            }
        }
    }

    /** Microseconds per round trip. */
    private static double perRoundTrip(long nanos, long completed) {
        return completed == 0 ? Double.NaN : nanos / 1e3 / completed;
    }

    /** The value at {@code fraction} of sorted samples (nearest rank). */
    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** A growable array of longs: recording a latency allocates nothing most of the time. */
    private static final class LongList {
        private long[] values = new long[1 << 14];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }

    // ---- Options -----------------------------------------------------------------------------

    private record Options(List<Integer> levels, Duration warmup, int warmupLevel, Duration levelWarmup, Duration phase,
                           int rounds, Path jar, List<String> proxyJvmOptions, boolean relayFlushEach,
                           boolean relayNagle, HostPort server, String domain, String service, Account impl,
                           Account requester, long serverPid, long otherPid, Mode only, HostPort requesterServer,
                           String relay) {
        record HostPort(String host, int port) {
            static HostPort parse(String value) {
                int colon = value.lastIndexOf(':');
                return new HostPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            }
        }

        record Account(String user, String password) {
            static Account parse(String value) {
                int colon = value.indexOf(':');
                return new Account(value.substring(0, colon), value.substring(colon + 1));
            }
        }

        static Options parse(String[] args) {
            HostPort server = null;
            String domain = null;
            String service = null;
            Account impl = null;
            Account requester = null;
            long serverPid = 0;
            long otherPid = 0;
            Mode only = null;
            HostPort requesterServer = null;
            String relay = null;
            List<Integer> levels = List.of(1, 16, 64);
            Duration warmup = Duration.ofSeconds(15);
            int warmupLevel = 16;
            Duration levelWarmup = Duration.ofSeconds(1);
            Duration phase = Duration.ofSeconds(2);
            int rounds = 6;
            Path jar = Path.of("target", "clientproxy-external.jar");
            List<String> jvmOptions = new ArrayList<>();
            boolean relayFlushEach = false;
            boolean relayNagle = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--relay-flush-each" -> {
                        relayFlushEach = true;
                        continue;
                    }
                    case "--relay-nagle" -> {
                        relayNagle = true;
                        continue;
                    }
                    case "--levels" -> levels = Stream.of(value.split(",")).map(Integer::valueOf).toList();
                    case "--warmup-ms" -> warmup = Duration.ofMillis(Long.parseLong(value));
                    case "--warmup-level" -> warmupLevel = Integer.parseInt(value);
                    case "--level-warmup-ms" -> levelWarmup = Duration.ofMillis(Long.parseLong(value));
                    case "--phase-ms" -> phase = Duration.ofMillis(Long.parseLong(value));
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--jar" -> jar = Path.of(value);
                    case "--proxy-jvm-option" -> jvmOptions.add(value);
                    case "--server" -> server = HostPort.parse(value);
                    case "--domain" -> domain = value;
                    case "--service" -> service = value;
                    case "--impl" -> impl = Account.parse(value);
                    case "--requester" -> requester = Account.parse(value);
                    case "--server-pid" -> serverPid = Long.parseLong(value);
                    case "--other-pid" -> otherPid = Long.parseLong(value);
                    case "--only" -> only = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    case "--requester-server" -> requesterServer = HostPort.parse(value);
                    case "--relay" -> relay = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --levels 1,16,64"
                            + " --warmup-ms 15000 --warmup-level 16 --level-warmup-ms 1000 --phase-ms 2000 --rounds 6"
                            + " --jar target/clientproxy-external.jar --proxy-jvm-option -X..."
                            + " --relay-flush-each --relay-nagle (the relay writes like Whack: a flush per stanza, Nagle on);"
                            + " against an already-running server instead of Prosody (no relay, no proxy JVM):"
                            + " --server HOST:PORT --domain D --service svc.D --impl USER:PASSWORD --requester USER:PASSWORD"
                            + " [--server-pid PID] [--other-pid PID (a cluster's other member)]"
                            + " [--requester-server HOST:PORT (the requester's server, if another)]"
                            + " [--relay ADDRESS (a bare relay component on the server, the control)] [--only MODE]");
                }
                i++;
            }
            if (server != null) {
                if (domain == null || service == null || impl == null || requester == null) {
                    throw new IllegalArgumentException("--server needs --domain, --service, --impl and --requester");
                }
            } else if (!Files.isRegularFile(jar)) {
                throw new UncheckedIOException(new IOException(jar + " does not exist: run mvn -B package first"));
            }
            return new Options(levels, warmup, warmupLevel, levelWarmup, phase, rounds, jar, jvmOptions, relayFlushEach,
                    relayNagle, server, domain, service, impl, requester, serverPid, otherPid, only, requesterServer, relay);
        }
    }
}
