package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.clientproxy.core.ProxySnapshot;
import org.junit.jupiter.api.Test;

class HourChartTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:20Z");
    private static final double BOTTOM = HourChart.TOP + HourChart.PLOT_HEIGHT;

    private final List<ProxySnapshot.Minute> minutes = new ArrayList<>();

    /** A minute that began {@code minutesAgo} before the one under way, with these answers and latencies. */
    private void minute(int minutesAgo, long results, long timeouts, long noResource, Duration p50, Duration p99) {
        ProxySnapshot.Counters counters = new ProxySnapshot.Counters(results + timeouts, results, 0, timeouts,
                noResource, 0, 0, 0, 0, 0, 0, 0, 0);
        ProxySnapshot.Latency latency = new ProxySnapshot.Latency(p50 == null ? 0 : results, p50, p99,
                Duration.ofMinutes(1), false);
        minutes.add(new ProxySnapshot.Minute(NOW.minus(Duration.ofMinutes(minutesAgo)),
                Duration.ofMinutes(minutesAgo == 0 ? 0 : 1), minutesAgo != 0, counters, latency));
    }

    private HourChart chart() {
        return new HourChart(minutes);
    }

    private static double slotX(int minutesAgo) {
        return HourChart.LEFT + (HourChart.SLOTS - 1 - minutesAgo) * HourChart.SLOT_WIDTH
                + (HourChart.SLOT_WIDTH - HourChart.BAR_WIDTH) / 2.0;
    }

    @Test
    void aQuietHourHasNothingToDraw() {
        minute(2, 0, 0, 0, null, null);
        minute(0, 0, 0, 0, null, null);

        HourChart chart = chart();
        assertEquals(List.of(), chart.getSlots());
        assertFalse(chart.isLatencyShown());
        assertEquals(0L, chart.getTotals().get("results-relayed"));
    }

    @Test
    void eachMinuteIsABarInItsSlotStackedByAnswerFromTheBottom() {
        minute(3, 6, 2, 0, Duration.ofMillis(185), Duration.ofSeconds(12));
        minute(0, 0, 0, 1, null, null);

        HourChart chart = chart();
        List<HourChart.Slot> slots = chart.getSlots();
        assertEquals(2, slots.size());
        HourChart.Slot older = slots.get(0);
        assertEquals(slotX(3), older.getX());
        assertEquals(Date.from(NOW.minus(Duration.ofMinutes(3))), older.getStart());
        assertFalse(older.isCurrent());
        assertEquals(8, older.getTotal());
        // The axis goes up to 8 (the highest bar) in four steps of 2.
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0),
                chart.getCountTicks().stream().map(HourChart.Tick::getValue).toList());
        assertEquals(List.of("results-relayed", "timeouts"),
                older.getSegments().stream().map(HourChart.Segment::getAnswer).toList());
        HourChart.Segment results = older.getSegments().get(0);
        HourChart.Segment timeouts = older.getSegments().get(1);
        assertEquals(BOTTOM, results.getY() + results.getHeight(), 0.1, "results stand on the axis");
        assertEquals(HourChart.PLOT_HEIGHT * 0.75, results.getHeight(), 0.1);
        assertEquals(results.getY(), timeouts.getY() + timeouts.getHeight(), 0.1, "timeouts on top of them");
        assertEquals(HourChart.PLOT_HEIGHT * 0.25, timeouts.getHeight(), 0.1);

        HourChart.Slot now = slots.get(1);
        assertTrue(now.isCurrent());
        assertEquals(slotX(0), now.getX(), "the minute under way is the last slot");
        assertNull(now.getP50Millis());
        assertEquals(6L, chart.getTotals().get("results-relayed"));
        assertEquals(2L, chart.getTotals().get("timeouts"));
        assertEquals(1L, chart.getTotals().get("no-resource"));
    }

    @Test
    void latencyIsPlacedOnALogarithmicScaleOfPowersOfTen() {
        minute(1, 20, 0, 0, Duration.ofMillis(185), Duration.ofSeconds(12));
        minute(0, 5, 0, 0, Duration.ofMillis(2), Duration.ofMillis(2));

        HourChart chart = chart();
        assertTrue(chart.isLatencyShown());
        assertEquals(List.of(1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0),
                chart.getLatencyTicks().stream().map(HourChart.Tick::getValue).toList());
        HourChart.Slot slow = chart.getSlots().get(0);
        assertEquals(185.0, slow.getP50Millis());
        assertEquals(12_000.0, slow.getP99Millis());
        double decade = HourChart.PLOT_HEIGHT / 5.0;
        assertEquals(BOTTOM - decade * Math.log10(185), slow.getP50Y(), 0.1);
        assertEquals(BOTTOM - decade * Math.log10(12_000), slow.getP99Y(), 0.1);
    }

    @Test
    void aMinuteWithoutRepliesBreaksTheLatencyLines() {
        minute(5, 1, 0, 0, Duration.ofMillis(1), Duration.ofMillis(1));
        minute(4, 1, 0, 0, Duration.ofMillis(2), Duration.ofMillis(3));
        minute(3, 0, 0, 4, null, null); // requests, but no reply
        minute(1, 1, 0, 0, Duration.ofMillis(2), Duration.ofMillis(2));
        minute(0, 1, 0, 0, Duration.ofMillis(3), Duration.ofMillis(3));

        HourChart chart = chart();
        assertEquals(2, chart.getP50Lines().size());
        assertEquals(2, chart.getP99Lines().size());
        assertEquals(2, chart.getP50Lines().get(0).split(" ").length);
        double center = HourChart.LEFT + (HourChart.SLOTS - 1 - 5) * HourChart.SLOT_WIDTH + HourChart.SLOT_WIDTH / 2.0;
        assertTrue(chart.getP50Lines().get(0).startsWith(String.format(Locale.ROOT, "%.1f,", center)),
                chart.getP50Lines().get(0));
    }

    @Test
    void minutesOlderThanTheHourAreLeftOut() {
        minute(HourChart.SLOTS, 3, 0, 0, null, null);
        minute(HourChart.SLOTS - 1, 2, 0, 0, null, null);
        minute(0, 0, 0, 0, null, null);

        List<HourChart.Slot> slots = chart().getSlots();
        assertEquals(1, slots.size());
        assertEquals(HourChart.LEFT + 1.0, slots.get(0).getX());
    }

    @Test
    void theTimeAxisIsLabelledEveryTenMinutesUpToTheMinuteUnderWay() {
        minute(0, 1, 0, 0, null, null);

        List<HourChart.TimeTick> ticks = chart().getTimeTicks();
        assertEquals(7, ticks.size());
        assertEquals(Date.from(NOW.minus(Duration.ofMinutes(60))), ticks.get(0).getTime());
        assertEquals(HourChart.LEFT, ticks.get(0).getX());
        assertEquals(Date.from(NOW), ticks.get(6).getTime());
    }

    @Test
    void theCountAxisEndsAtARoundNumberJustAboveTheHighestBarInRoundSteps() {
        assertEquals(List.of(1L, 2L, 3L, 5L, 8L, 10L, 300L, 5_000L), List.of(HourChart.niceCeiling(1),
                HourChart.niceCeiling(2), HourChart.niceCeiling(3), HourChart.niceCeiling(5), HourChart.niceCeiling(7),
                HourChart.niceCeiling(9), HourChart.niceCeiling(240), HourChart.niceCeiling(4_321)));
        // top -> steps: 1 -> 1, 2 -> 2, 3 -> 3, 4 -> 4, 5 -> 5, 6 -> 3 of 2, 8 -> 4 of 2, 10 -> 5 of 2, 20 -> 4 of 5, 300 -> 3 of 100
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 3L, 4L, 5L, 4L, 3L), List.of(HourChart.intervals(1),
                HourChart.intervals(2), HourChart.intervals(3), HourChart.intervals(4), HourChart.intervals(5),
                HourChart.intervals(6), HourChart.intervals(8), HourChart.intervals(10), HourChart.intervals(20),
                HourChart.intervals(300)));
    }

    @Test
    void thePageHasAFillPatternForEveryAnswer() throws IOException {
        String chart = Files.readString(Path.of("src/main/web/client-proxy-chart.jspf"));
        List<String> missing = HourChart.ANSWERS.stream()
                .filter(answer -> !chart.contains("<pattern id=\"cp-fill-" + answer + "\"")).toList();
        assertEquals(List.of(), missing);
    }
}
