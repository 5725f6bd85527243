package org.clientproxy.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The round-trip latencies of one period (a minute), as measured: all of them while they fit
 * ({@link #CAPACITY}), beyond that a uniform random sample of that size (reservoir sampling,
 * Vitter's algorithm R), so that the percentiles shown are values that were measured, not the
 * edges of buckets. Recording takes no lock and allocates nothing: each thread records into one
 * of {@link #STRIPES} stripes (by thread id), each with its own count and samples, so that the
 * server's threads rarely write the same counter.
 */
final class LatencyReservoir {
    static final int STRIPES = 4;
    static final int PER_STRIPE = 512;
    /** Latencies kept per period; more replies than this are sampled. */
    static final int CAPACITY = STRIPES * PER_STRIPE;
    /** The stripes' counts lie 16 longs (128 bytes) apart, so that no two share a cache line. */
    private static final int PAD = 16;
    /** A slot taken but not written yet (a latency is never negative). */
    private static final long EMPTY = -1;

    private final AtomicLongArray seen = new AtomicLongArray(STRIPES * PAD);
    private final AtomicLongArray samples = new AtomicLongArray(CAPACITY);

    LatencyReservoir() {
        for (int i = 0; i < CAPACITY; i++) {
            samples.lazySet(i, EMPTY);
        }
    }

    void record(long latencyNanos) {
        int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
        long n = seen.getAndIncrement(stripe * PAD);
        // Algorithm R: the n-th latency (from 0) replaces a kept one with probability PER_STRIPE / (n + 1).
        long slot = n < PER_STRIPE ? n : ThreadLocalRandom.current().nextLong(n + 1);
        if (slot < PER_STRIPE) {
            samples.set(stripe * PER_STRIPE + (int) slot, Math.max(0, latencyNanos));
        }
    }

    /** Latencies recorded in all. */
    long count() {
        long count = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            count += seen.get(stripe * PAD);
        }
        return count;
    }

    /**
     * Adds the kept latencies to {@code into}, each weighted by how many recorded latencies it
     * stands for in its stripe (1 while the stripe kept them all).
     */
    void addTo(List<WeightedLatency> into) {
        long[] kept = new long[PER_STRIPE];
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            long recorded = seen.get(stripe * PAD);
            int n = 0;
            for (int i = 0; i < Math.min(recorded, PER_STRIPE); i++) {
                long latency = samples.get(stripe * PER_STRIPE + i);
                if (latency != EMPTY) {
                    kept[n++] = latency;
                }
            }
            for (int i = 0; i < n; i++) {
                into.add(new WeightedLatency(kept[i], (double) Math.max(recorded, n) / n));
            }
        }
    }

    /**
     * The median and 99th percentile of the latencies recorded in {@code reservoirs}, by nearest
     * rank: the smallest latency that at least half (99 in 100) of them do not exceed. Exact while
     * every latency was kept; otherwise estimated from the samples, each weighted by what it
     * stands for.
     *
     * @param window how far back the reservoirs reach, for the reader
     */
    static ProxySnapshot.Latency summary(Duration window, LatencyReservoir... reservoirs) {
        List<WeightedLatency> kept = new ArrayList<>();
        long count = 0;
        for (LatencyReservoir reservoir : reservoirs) {
            count += reservoir.count();
            reservoir.addTo(kept);
        }
        kept.sort(Comparator.comparingLong(WeightedLatency::nanos));
        double total = 0;
        boolean sampled = false;
        for (WeightedLatency latency : kept) {
            total += latency.weight();
            sampled |= latency.weight() != 1;
        }
        return new ProxySnapshot.Latency(count, percentile(kept, total, 0.50), percentile(kept, total, 0.99), window,
                sampled);
    }

    private static Duration percentile(List<WeightedLatency> sorted, double total, double fraction) {
        double rank = fraction * total - 1e-9; // 0.5 * 20 is rank 10, not a hair above it
        double seen = 0;
        for (WeightedLatency latency : sorted) {
            seen += latency.weight();
            if (seen >= rank) {
                return Duration.ofNanos(latency.nanos());
            }
        }
        return null; // nothing recorded
    }

    /** A kept latency and how many recorded latencies it stands for. */
    record WeightedLatency(long nanos, double weight) {
    }
}
