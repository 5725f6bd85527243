package org.clientproxy.core;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Round-trip latencies in fixed buckets over a recent window: the current period and the one
 * before it, so the window always reaches one to two periods back.
 */
final class LatencyHistogram {
    /** Upper bounds of the buckets, in microseconds; the last is the longest timeout a proxy allows. */
    private static final long[] BOUNDS_MICROS = {
            100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
            1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000,
            ProxySettings.MAX_TIMEOUT_MILLIS * 1_000};

    private final long periodNanos;
    private volatile LongAdder[] current = newBuckets();
    private volatile LongAdder[] previous = newBuckets();
    private volatile long periodStartNanos;

    LatencyHistogram(Duration period, long nowNanos) {
        this.periodNanos = period.toNanos();
        this.periodStartNanos = nowNanos;
    }

    void record(long latencyNanos) {
        long micros = latencyNanos / 1_000;
        int bucket = 0;
        while (bucket < BOUNDS_MICROS.length - 1 && micros > BOUNDS_MICROS[bucket]) {
            bucket++;
        }
        current[bucket].increment();
    }

    /** Starts a new period when the current one is over; called by one thread, the sweeper. */
    void rotateIfDue(long nowNanos) {
        long elapsed = nowNanos - periodStartNanos;
        if (elapsed >= 2 * periodNanos) {
            reset(nowNanos); // nothing recent enough to keep, e.g. after the sweeps stalled
        } else if (elapsed >= periodNanos) {
            previous = current;
            current = newBuckets();
            periodStartNanos = nowNanos;
        }
    }

    void reset(long nowNanos) {
        previous = newBuckets();
        current = newBuckets();
        periodStartNanos = nowNanos;
    }

    ProxySnapshot.Latency summary() {
        long[] counts = new long[BOUNDS_MICROS.length];
        long total = 0;
        LongAdder[] older = previous;
        LongAdder[] newer = current;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = older[i].sum() + newer[i].sum();
            total += counts[i];
        }
        return new ProxySnapshot.Latency(total, percentile(counts, total, 0.50), percentile(counts, total, 0.99),
                Duration.ofNanos(2 * periodNanos));
    }

    /** The upper bound of the bucket holding the given fraction of the samples. */
    private static Duration percentile(long[] counts, long total, double fraction) {
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(BOUNDS_MICROS[i] * 1_000);
            }
        }
        throw new IllegalStateException("counts do not add up to " + total);
    }

    private static LongAdder[] newBuckets() {
        LongAdder[] buckets = new LongAdder[BOUNDS_MICROS.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
        return buckets;
    }
}
