package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final long T0 = 5_000_000_000L;

    private final LatencyHistogram histogram = new LatencyHistogram(PERIOD, T0);

    private void record(int times, Duration latency) {
        for (int i = 0; i < times; i++) {
            histogram.record(latency.toNanos());
        }
    }

    private static long at(Duration sinceStart) {
        return T0 + sinceStart.toNanos();
    }

    @Test
    void emptyHasNoPercentiles() {
        ProxySnapshot.Latency latency = histogram.summary();

        assertEquals(0, latency.count());
        assertNull(latency.p50());
        assertNull(latency.p99());
        assertEquals(Duration.ofMinutes(2), latency.window(), "the current period and the one before");
    }

    @Test
    void aSampleFallsInTheBucketWhoseUpperBoundIsAtLeastIt() {
        record(1, Duration.ofNanos(100_000)); // exactly 100 µs: the first bucket
        assertEquals(Duration.ofNanos(100_000), histogram.summary().p50());

        histogram.reset(T0);
        record(1, Duration.ofNanos(101_000)); // just over: the next one
        assertEquals(Duration.ofNanos(250_000), histogram.summary().p50());

        histogram.reset(T0);
        record(1, Duration.ZERO);
        assertEquals(Duration.ofNanos(100_000), histogram.summary().p50());

        histogram.reset(T0);
        record(1, Duration.ofMillis(1));
        assertEquals(Duration.ofMillis(1), histogram.summary().p50());

        histogram.reset(T0);
        record(1, Duration.ofMillis(3));
        assertEquals(Duration.ofMillis(5), histogram.summary().p50());

        histogram.reset(T0);
        record(1, Duration.ofSeconds(45));
        assertEquals(Duration.ofMinutes(1), histogram.summary().p50());
    }

    @Test
    void aSampleBeyondTheLastBoundCountsInTheLastBucket() {
        record(1, Duration.ofHours(3));

        ProxySnapshot.Latency latency = histogram.summary();
        assertEquals(1, latency.count());
        assertEquals(Duration.ofMillis(ProxySettings.MAX_TIMEOUT_MILLIS), latency.p99());
    }

    @Test
    void p50AndP99ComeFromTheBucketsHoldingThoseRanks() {
        record(50, Duration.ofMillis(2));   // bucket up to 2.5 ms
        record(49, Duration.ofMillis(40));  // bucket up to 50 ms
        record(1, Duration.ofSeconds(2));   // bucket up to 2.5 s

        ProxySnapshot.Latency latency = histogram.summary();
        assertEquals(100, latency.count());
        assertEquals(Duration.ofNanos(2_500_000), latency.p50(), "rank 50 of 100");
        assertEquals(Duration.ofMillis(50), latency.p99(), "rank 99 of 100");

        record(1, Duration.ofMillis(40));
        latency = histogram.summary();
        assertEquals(101, latency.count());
        assertEquals(Duration.ofMillis(50), latency.p50(), "rank 51 of 101");
        assertEquals(Duration.ofMillis(50), latency.p99(), "rank 100 of 101");

        record(1, Duration.ofSeconds(2));
        latency = histogram.summary();
        assertEquals(102, latency.count());
        assertEquals(Duration.ofMillis(50), latency.p50());
        assertEquals(Duration.ofMillis(2_500), latency.p99(), "rank 101 of 102: the first of the two slow ones");
    }

    @Test
    void p99OfManySamplesIgnoresTheSlowestPercent() {
        record(990, Duration.ofMillis(8));     // up to 10 ms
        record(10, Duration.ofSeconds(20));    // up to 30 s

        ProxySnapshot.Latency latency = histogram.summary();
        assertEquals(Duration.ofMillis(10), latency.p50());
        assertEquals(Duration.ofMillis(10), latency.p99());

        record(1, Duration.ofSeconds(20));
        assertEquals(Duration.ofSeconds(30), histogram.summary().p99());
    }

    @Test
    void rotationKeepsThePreviousPeriodAndDropsTheOneBefore() {
        record(3, Duration.ofMillis(1));                // period 1

        histogram.rotateIfDue(at(PERIOD.minusNanos(1)));
        assertEquals(3, histogram.summary().count(), "not due yet");

        histogram.rotateIfDue(at(PERIOD));              // period 2 starts
        assertEquals(3, histogram.summary().count(), "period 1 is now the previous one");
        assertEquals(Duration.ofMillis(1), histogram.summary().p50());

        record(1, Duration.ofSeconds(4));               // period 2
        assertEquals(4, histogram.summary().count());

        histogram.rotateIfDue(at(PERIOD.multipliedBy(2).minusNanos(1)));
        assertEquals(4, histogram.summary().count(), "period 2 is not over yet");

        histogram.rotateIfDue(at(PERIOD.multipliedBy(2))); // period 3 starts: period 1 goes
        ProxySnapshot.Latency latency = histogram.summary();
        assertEquals(1, latency.count());
        assertEquals(Duration.ofSeconds(5), latency.p50());

        histogram.rotateIfDue(at(PERIOD.multipliedBy(3))); // period 4: period 2 goes too
        assertEquals(0, histogram.summary().count());
        assertNull(histogram.summary().p50());
    }

    @Test
    void aPeriodStartsWhenTheRotationHappens() {
        record(1, Duration.ofMillis(1));
        histogram.rotateIfDue(at(Duration.ofSeconds(90)));  // late sweep: period 2 starts at 90 s
        record(1, Duration.ofMillis(1));

        histogram.rotateIfDue(at(Duration.ofSeconds(149)));
        assertEquals(2, histogram.summary().count(), "period 2 lasts until 150 s");

        histogram.rotateIfDue(at(Duration.ofSeconds(150)));
        assertEquals(1, histogram.summary().count());
    }

    @Test
    void resetEmptiesBothPeriodsAndRestartsThePeriod() {
        record(2, Duration.ofMillis(1));
        histogram.rotateIfDue(at(PERIOD));
        record(2, Duration.ofMillis(1));

        histogram.reset(at(Duration.ofSeconds(70)));
        ProxySnapshot.Latency latency = histogram.summary();
        assertEquals(0, latency.count());
        assertNull(latency.p50());
        assertNull(latency.p99());

        record(1, Duration.ofMillis(1));
        histogram.rotateIfDue(at(Duration.ofSeconds(129)));
        histogram.rotateIfDue(at(Duration.ofSeconds(130))); // the period restarted at 70 s
        assertEquals(1, histogram.summary().count());
        histogram.rotateIfDue(at(Duration.ofSeconds(189)));
        assertEquals(1, histogram.summary().count());
        histogram.rotateIfDue(at(Duration.ofSeconds(190)));
        assertEquals(0, histogram.summary().count());
    }
}
