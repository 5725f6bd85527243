package org.clientproxy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last hour of one proxy, minute by minute: what happened to requests and replies (the
 * increase of each counter) and the latency of the replies; and the latency of the last one to two
 * minutes for the monitor's summary. Bounded: {@link #MINUTES} finished minutes and two
 * {@link LatencyReservoir}s. The proxy's sweep starts each new minute ({@link #rotateIfDue}); a
 * request costs only {@link #record} of its latency, nothing per stanza is kept.
 */
final class RecentMinutes {
    static final int MINUTES = 60;
    static final Duration MINUTE = Duration.ofMinutes(1);

    private final ProxyClock clock;
    private final ProxyCounters counters;
    private final Duration period;
    private volatile LatencyReservoir current = new LatencyReservoir();
    private volatile LatencyReservoir previous = new LatencyReservoir();
    private final Deque<ProxySnapshot.Minute> finished = new ArrayDeque<>(MINUTES + 1);
    // Guarded by this: the minute under way, and what its counters are counted from.
    private long startNanos;
    private Instant start;
    /** The counters' totals when the minute under way began, or when they were last reset. */
    private ProxySnapshot.Counters baseline = ProxySnapshot.Counters.ZERO;
    /** What the minute under way counted before the counters were reset. */
    private ProxySnapshot.Counters carried = ProxySnapshot.Counters.ZERO;

    RecentMinutes(ProxyClock clock, ProxyCounters counters) {
        this(clock, counters, MINUTE);
    }

    RecentMinutes(ProxyClock clock, ProxyCounters counters, Duration period) {
        this.clock = clock;
        this.counters = counters;
        this.period = period;
        this.startNanos = clock.nanoTime();
        this.start = clock.now();
    }

    /** A relayed reply's round trip; any thread, no lock. */
    void record(long latencyNanos) {
        current.record(latencyNanos);
    }

    /** Ends the minute under way once it has lasted a minute; called by one thread, the sweeper. */
    synchronized void rotateIfDue(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed < period.toNanos()) {
            return;
        }
        LatencyReservoir ended = current;
        // After sweeps held up for minutes, what it holds is older than the window says.
        previous = elapsed < 2 * period.toNanos() ? ended : new LatencyReservoir();
        current = new LatencyReservoir();
        ProxySnapshot.Counters totals = counters.snapshot();
        Duration length = Duration.ofNanos(elapsed);
        finished.addLast(new ProxySnapshot.Minute(start, length, true, carried.plus(totals.minus(baseline)),
                LatencyReservoir.summary(length, ended)));
        if (finished.size() > MINUTES) {
            finished.removeFirst();
        }
        baseline = totals;
        carried = ProxySnapshot.Counters.ZERO;
        startNanos = nowNanos;
        start = clock.now();
    }

    /** Sets the proxy's counters back to zero; the minutes keep what they counted. */
    synchronized void resetCounters() {
        carried = carried.plus(counters.sumThenReset().minus(baseline));
        baseline = ProxySnapshot.Counters.ZERO;
    }

    /** The finished minutes of the last hour, oldest first, then the minute under way. */
    synchronized List<ProxySnapshot.Minute> lastHour() {
        List<ProxySnapshot.Minute> minutes = new ArrayList<>(finished);
        Duration length = Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
        minutes.add(new ProxySnapshot.Minute(start, length, false,
                carried.plus(counters.snapshot().minus(baseline)), LatencyReservoir.summary(length, current)));
        return List.copyOf(minutes);
    }

    /** The latency of the minute under way and the one before it. */
    synchronized ProxySnapshot.Latency window() {
        return LatencyReservoir.summary(period.multipliedBy(2), previous, current);
    }
}
