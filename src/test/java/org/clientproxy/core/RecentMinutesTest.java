package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

class RecentMinutesTest {
    private final ManualClock clock = new ManualClock();
    private final ProxyCounters counters = new ProxyCounters();
    private final Instant started = clock.now();
    private final RecentMinutes minutes = new RecentMinutes(clock, counters);

    private void after(Duration duration) {
        clock.advance(duration);
        minutes.rotateIfDue(clock.nanoTime());
    }

    private static void add(LongAdder counter, int times) {
        counter.add(times);
    }

    @Test
    void theMinuteUnderWayIsLastAndCountsWhatHappenedSoFar() {
        add(counters.forwarded, 3);
        add(counters.timeouts, 1);
        minutes.record(Duration.ofMillis(7).toNanos());
        clock.advance(Duration.ofSeconds(20));

        List<ProxySnapshot.Minute> hour = minutes.lastHour();
        assertEquals(1, hour.size());
        ProxySnapshot.Minute now = hour.get(0);
        assertFalse(now.complete());
        assertEquals(started, now.start());
        assertEquals(Duration.ofSeconds(20), now.length());
        assertEquals(3, now.counters().forwarded());
        assertEquals(1, now.counters().timeouts());
        assertEquals(Duration.ofMillis(7), now.latency().p50());
    }

    @Test
    void aMinuteEndsAfterAMinuteWithItsCountsAndLatency() {
        add(counters.forwarded, 5);
        add(counters.noResource, 2);
        minutes.record(Duration.ofMillis(185).toNanos());
        minutes.record(Duration.ofSeconds(12).toNanos());

        after(Duration.ofSeconds(59));
        assertEquals(1, minutes.lastHour().size(), "not a minute yet");

        after(Duration.ofSeconds(1));
        add(counters.forwarded, 1);
        List<ProxySnapshot.Minute> hour = minutes.lastHour();
        assertEquals(2, hour.size());
        ProxySnapshot.Minute first = hour.get(0);
        assertTrue(first.complete());
        assertEquals(started, first.start());
        assertEquals(Duration.ofMinutes(1), first.length());
        assertEquals(5, first.counters().forwarded());
        assertEquals(2, first.counters().noResource());
        assertEquals(2, first.latency().count());
        assertEquals(Duration.ofMillis(185), first.latency().p50());
        assertEquals(Duration.ofSeconds(12), first.latency().p99());
        ProxySnapshot.Minute second = hour.get(1);
        assertEquals(started.plus(Duration.ofMinutes(1)), second.start());
        assertEquals(1, second.counters().forwarded(), "counted from where the first minute ended");
        assertEquals(0, second.latency().count());
        assertNull(second.latency().p50());
    }

    @Test
    void itKeepsAnHourOfFinishedMinutes() {
        for (int minute = 0; minute < RecentMinutes.MINUTES + 5; minute++) {
            add(counters.forwarded, minute);
            after(Duration.ofMinutes(1));
        }

        List<ProxySnapshot.Minute> hour = minutes.lastHour();
        assertEquals(RecentMinutes.MINUTES + 1, hour.size(), "60 finished and the one under way");
        assertEquals(5, hour.get(0).counters().forwarded(), "the oldest five went");
        assertEquals(started.plus(Duration.ofMinutes(5)), hour.get(0).start());
        assertEquals(RecentMinutes.MINUTES + 4, hour.get(RecentMinutes.MINUTES - 1).counters().forwarded());
    }

    @Test
    void aLateSweepMakesALongerMinute() {
        add(counters.forwarded, 4);
        after(Duration.ofSeconds(150));

        ProxySnapshot.Minute late = minutes.lastHour().get(0);
        assertEquals(Duration.ofSeconds(150), late.length());
        assertEquals(4, late.counters().forwarded());
        assertEquals(started.plus(Duration.ofSeconds(150)), minutes.lastHour().get(1).start());
    }

    @Test
    void afterSweepsHeldUpForMinutesTheWindowHoldsNothingOld() {
        minutes.record(Duration.ofMillis(1).toNanos());
        after(Duration.ofMinutes(2));

        assertEquals(0, minutes.window().count());
        assertEquals(1, minutes.lastHour().get(0).latency().count(), "the long minute keeps it");
    }

    @Test
    void resettingTheCountersKeepsWhatTheMinutesCounted() {
        add(counters.forwarded, 3);
        after(Duration.ofMinutes(1));
        add(counters.forwarded, 4);

        minutes.resetCounters();
        assertEquals(0, counters.snapshot().forwarded());
        add(counters.forwarded, 2);

        List<ProxySnapshot.Minute> hour = minutes.lastHour();
        assertEquals(3, hour.get(0).counters().forwarded());
        assertEquals(6, hour.get(1).counters().forwarded(), "4 before the reset and 2 after");
        after(Duration.ofMinutes(1));
        assertEquals(6, minutes.lastHour().get(1).counters().forwarded());
        add(counters.forwarded, 1);
        assertEquals(1, minutes.lastHour().get(2).counters().forwarded());
    }

    @Test
    void theWindowIsThisMinuteAndTheOneBefore() {
        minutes.record(Duration.ofMillis(1).toNanos());
        after(Duration.ofMinutes(1));
        minutes.record(Duration.ofMillis(3).toNanos());

        ProxySnapshot.Latency window = minutes.window();
        assertEquals(2, window.count());
        assertEquals(Duration.ofMinutes(2), window.window());

        after(Duration.ofMinutes(1));
        assertEquals(1, minutes.window().count(), "the first minute is out of the window");
        assertEquals(Duration.ofMillis(3), minutes.window().p50());
        after(Duration.ofMinutes(1));
        assertEquals(0, minutes.window().count());
    }
}
