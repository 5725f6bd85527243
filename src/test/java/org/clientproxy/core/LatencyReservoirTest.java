package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyReservoirTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final LatencyReservoir reservoir = new LatencyReservoir();

    private static void record(LatencyReservoir reservoir, int times, Duration latency) {
        for (int i = 0; i < times; i++) {
            reservoir.record(latency.toNanos());
        }
    }

    private ProxySnapshot.Latency summary() {
        return LatencyReservoir.summary(WINDOW, reservoir);
    }

    @Test
    void emptyHasNoPercentiles() {
        ProxySnapshot.Latency latency = summary();

        assertEquals(0, latency.count());
        assertNull(latency.p50());
        assertNull(latency.p99());
        assertEquals(WINDOW, latency.window());
        assertFalse(latency.sampled());
    }

    @Test
    void percentilesAreMeasuredLatenciesByNearestRank() {
        for (int millis = 20; millis >= 1; millis--) {
            reservoir.record(Duration.ofMillis(millis).toNanos());
        }

        ProxySnapshot.Latency latency = summary();
        assertEquals(20, latency.count());
        assertEquals(Duration.ofMillis(10), latency.p50(), "rank 10 of 20");
        assertEquals(Duration.ofMillis(20), latency.p99(), "rank 20 of 20: 99 in 100 would need a 21st");
        assertFalse(latency.sampled());
    }

    @Test
    void aFewSlowRepliesShowAsWhatTheyTookNotAsABucketEdge() {
        // The case: most replies near 185 ms, 3 of 20 at about 12 s.
        for (int i = 0; i < 17; i++) {
            reservoir.record(Duration.ofMillis(180 + i).toNanos());
        }
        record(reservoir, 3, Duration.ofMillis(12_034));

        ProxySnapshot.Latency latency = summary();
        assertEquals(Duration.ofMillis(189), latency.p50());
        assertEquals(Duration.ofMillis(12_034), latency.p99());
    }

    @Test
    void a99thPercentileOfAHundredLeavesOutTheSlowest() {
        for (int millis = 1; millis <= 100; millis++) {
            reservoir.record(Duration.ofMillis(millis).toNanos());
        }

        assertEquals(Duration.ofMillis(50), summary().p50());
        assertEquals(Duration.ofMillis(99), summary().p99());
    }

    @Test
    void beyondItsCapacityItKeepsAUniformSampleAndSaysSo() {
        int recorded = 100_000;
        for (int micros = 1; micros <= recorded; micros++) {
            reservoir.record(micros * 1_000L);
        }

        ProxySnapshot.Latency latency = summary();
        assertEquals(recorded, latency.count());
        assertTrue(latency.sampled());
        // One thread fills one stripe of 512: the median's standard error is about 2 % of the range.
        long p50 = latency.p50().toNanos() / 1_000;
        long p99 = latency.p99().toNanos() / 1_000;
        assertTrue(p50 > 40_000 && p50 < 60_000, "p50 " + p50 + " µs of 1..100000");
        assertTrue(p99 > 95_000 && p99 <= 100_000, "p99 " + p99 + " µs of 1..100000");
    }

    @Test
    void eachSampleCountsForTheLatenciesItStandsFor() {
        LatencyReservoir busy = new LatencyReservoir();
        LatencyReservoir quiet = new LatencyReservoir();
        record(busy, 100_000, Duration.ofMillis(1));  // 512 kept, each standing for about 195
        record(quiet, 400, Duration.ofMillis(50));    // all kept

        ProxySnapshot.Latency latency = LatencyReservoir.summary(WINDOW, busy, quiet);
        assertEquals(100_400, latency.count());
        assertEquals(Duration.ofMillis(1), latency.p50());
        assertEquals(Duration.ofMillis(1), latency.p99(), "400 of 100 400 is 0.4 %, not the 44 % of the samples kept");
    }

    @Test
    void aNegativeLatencyFromAClockThatWentBackCountsAsZero() {
        reservoir.record(-5);

        assertEquals(Duration.ZERO, summary().p50());
    }
}
