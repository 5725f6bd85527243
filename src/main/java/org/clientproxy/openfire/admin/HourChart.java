package org.clientproxy.openfire.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.clientproxy.core.ProxySnapshot;

/**
 * The monitor's chart of a proxy's last hour, laid out for client-proxy-monitor.jsp to draw as
 * inline SVG: one slot per minute, the minute under way on the right. Above, the requests
 * answered in each minute as a bar stacked by answer ({@link #ANSWERS}: the results, then each
 * kind of error); below, the median and 99th percentile of the replies' latency on a
 * logarithmic scale. Every number here is a coordinate in SVG user units or a value; the page
 * adds the texts, patterns and the table that says the same for screen readers.
 */
public final class HourChart {
    /**
     * The answers a bar is stacked from, bottom up, by the key of their counter
     * ({@code clientproxy.counter.<key>} names each; the page has a fill pattern for each).
     */
    static final List<String> ANSWERS = List.of("results-relayed", "errors-relayed", "timeouts", "no-resource",
            "resource-lost", "limit-reached", "refused-by-access-rule");
    /** Slots: the finished minutes of the hour and the one under way. */
    static final int SLOTS = 61;
    static final int SLOT_WIDTH = 11;
    static final int BAR_WIDTH = 9;
    static final int LEFT = 72;
    static final int TOP = 10;
    static final int PLOT_WIDTH = SLOTS * SLOT_WIDTH;
    static final int PLOT_HEIGHT = 120;
    static final int WIDTH = LEFT + PLOT_WIDTH + 12;
    static final int HEIGHT = TOP + PLOT_HEIGHT + 24;
    /** Every how many minutes the time axis is labelled. */
    private static final int TIME_LABEL_EVERY = 10;
    /** The shortest latency the scale goes down to: one microsecond. */
    private static final double MIN_MILLIS = 0.001;

    private final List<Slot> slots = new ArrayList<>();
    private final List<Tick> countTicks = new ArrayList<>();
    private final List<Tick> latencyTicks = new ArrayList<>();
    private final List<TimeTick> timeTicks = new ArrayList<>();
    private final List<String> p50Lines = new ArrayList<>();
    private final List<String> p99Lines = new ArrayList<>();
    private final Map<String, Long> totals = new LinkedHashMap<>();

    /** @param lastHour the proxy's minutes, oldest first, the one under way last ({@link ProxySnapshot#lastHour()}) */
    HourChart(List<ProxySnapshot.Minute> lastHour) {
        ANSWERS.forEach(answer -> totals.put(answer, 0L));
        if (lastHour.isEmpty()) {
            return;
        }
        Instant now = lastHour.get(lastHour.size() - 1).start();
        for (ProxySnapshot.Minute minute : lastHour) {
            long minutesAgo = Math.round(Duration.between(minute.start(), now).toMillis() / 60_000.0);
            Slot slot = new Slot(minute, (int) (SLOTS - 1 - minutesAgo));
            if (slot.index >= 0 && (slot.total > 0 || slot.p50Millis != null)) {
                slots.add(slot);
                slot.answers.forEach((answer, count) -> totals.merge(answer, count, Long::sum));
            }
        }
        for (int minutesAgo = SLOTS - 1; minutesAgo >= 0; minutesAgo -= TIME_LABEL_EVERY) {
            timeTicks.add(new TimeTick(slotX(SLOTS - 1 - minutesAgo), Date.from(now.minus(Duration.ofMinutes(minutesAgo)))));
        }
        layOutCounts();
        layOutLatency();
    }

    private void layOutCounts() {
        long highest = slots.stream().mapToLong(slot -> slot.total).max().orElse(0);
        long top = niceCeiling(Math.max(1, highest));
        long step = top / intervals(top);
        for (long value = 0; value <= top; value += step) {
            countTicks.add(new Tick(countY(value, top), value));
        }
        for (Slot slot : slots) {
            long below = 0;
            for (String answer : ANSWERS) {
                long count = slot.answers.get(answer);
                if (count > 0) {
                    double y = countY(below + count, top);
                    slot.segments.add(new Segment(answer, count, y, countY(below, top) - y));
                    below += count;
                }
            }
        }
    }

    private void layOutLatency() {
        double fastest = Double.MAX_VALUE;
        double slowest = 0;
        for (Slot slot : slots) {
            if (slot.p50Millis != null) {
                fastest = Math.min(fastest, Math.max(MIN_MILLIS, slot.p50Millis));
                slowest = Math.max(slowest, slot.p99Millis);
            }
        }
        if (slowest == 0) {
            return; // no reply in the hour
        }
        int lowest = (int) Math.floor(Math.log10(fastest));
        int highest = Math.max(lowest + 1, (int) Math.ceil(Math.log10(Math.max(MIN_MILLIS, slowest))));
        for (int power = lowest; power <= highest; power++) {
            latencyTicks.add(new Tick(latencyY(Math.pow(10, power), lowest, highest), Math.pow(10, power)));
        }
        List<String> p50 = new ArrayList<>();
        List<String> p99 = new ArrayList<>();
        int previous = -2;
        for (Slot slot : slots) {
            if (slot.p50Millis == null) {
                continue;
            }
            slot.p50Y = latencyY(slot.p50Millis, lowest, highest);
            slot.p99Y = latencyY(slot.p99Millis, lowest, highest);
            if (slot.index != previous + 1) { // a minute without replies breaks the lines
                endLine(p50Lines, p50);
                endLine(p99Lines, p99);
            }
            p50.add(point(slot.getCenter(), slot.p50Y));
            p99.add(point(slot.getCenter(), slot.p99Y));
            previous = slot.index;
        }
        endLine(p50Lines, p50);
        endLine(p99Lines, p99);
    }

    /** Adds a run of points as a polyline if it has two or more (a lone point shows as its marker). */
    private static void endLine(List<String> lines, List<String> points) {
        if (points.size() > 1) {
            lines.add(String.join(" ", points));
        }
        points.clear();
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
    }

    /** A coordinate to a tenth of a unit, which is all the page writes. */
    private static double rounded(double coordinate) {
        return Math.round(coordinate * 10) / 10.0;
    }

    private static double slotX(int index) {
        return LEFT + index * SLOT_WIDTH;
    }

    private static double countY(long value, long top) {
        return TOP + PLOT_HEIGHT * (1 - (double) value / top);
    }

    private static double latencyY(double millis, int lowestPower, int highestPower) {
        double position = (Math.log10(Math.max(MIN_MILLIS, millis)) - lowestPower) / (highestPower - lowestPower);
        return TOP + PLOT_HEIGHT * (1 - position);
    }

    /** The smallest 1, 2, 3, 4, 5, 6 or 8 times a power of ten that is at least {@code value}. */
    static long niceCeiling(long value) {
        long power = 1;
        while (true) {
            for (long mantissa : new long[] {1, 2, 3, 4, 5, 6, 8}) {
                if (mantissa * power >= value) {
                    return mantissa * power;
                }
            }
            power *= 10;
        }
    }

    /**
     * Into how many steps the axis up to {@code top} ({@link #niceCeiling}) is divided: 3 to 5
     * steps of a round size, or steps of one below 3.
     */
    static long intervals(long top) {
        long mantissa = top;
        while (mantissa >= 10 && mantissa % 10 == 0) {
            mantissa /= 10;
        }
        long preferred = switch ((int) mantissa) {
            case 3, 6 -> 3;
            case 2, 4, 8 -> 4;
            default -> 5;
        };
        return top % preferred == 0 ? preferred : top;
    }

    /** Whether any reply was relayed in the hour, so that there are latencies to draw. */
    public boolean isLatencyShown() {
        return !latencyTicks.isEmpty();
    }

    /**
     * The minutes in which something was asked or answered, oldest first; the table lists the
     * same. None: the page says so instead of drawing.
     */
    public List<Slot> getSlots() {
        return slots;
    }

    /** The count axis: from 0 up to a round number at least as high as the highest bar. */
    public List<Tick> getCountTicks() {
        return countTicks;
    }

    /** The latency axis: each power of ten (in milliseconds) from below the fastest median to above the slowest p99. */
    public List<Tick> getLatencyTicks() {
        return latencyTicks;
    }

    /** The time axis: every ten minutes, back from the minute under way. */
    public List<TimeTick> getTimeTicks() {
        return timeTicks;
    }

    /** The medians as polylines ({@code points} attributes), one per run of minutes with replies. */
    public List<String> getP50Lines() {
        return p50Lines;
    }

    /** The 99th percentiles as polylines, like {@link #getP50Lines()}. */
    public List<String> getP99Lines() {
        return p99Lines;
    }

    /** Requests per answer in the hour, in the order of {@link #ANSWERS}, for the legend. */
    public Map<String, Long> getTotals() {
        return totals;
    }

    public int getWidth() {
        return WIDTH;
    }

    public int getHeight() {
        return HEIGHT;
    }

    public int getLeft() {
        return LEFT;
    }

    public int getRight() {
        return LEFT + PLOT_WIDTH;
    }

    public int getTop() {
        return TOP;
    }

    public int getBottom() {
        return TOP + PLOT_HEIGHT;
    }

    public int getBarWidth() {
        return BAR_WIDTH;
    }

    /** One minute with requests or replies: its bar and its latency points. */
    public static final class Slot {
        private final int index;
        private final Date start;
        private final boolean current;
        private final long total;
        private final Map<String, Long> answers = new LinkedHashMap<>();
        private final List<Segment> segments = new ArrayList<>();
        private final Double p50Millis;
        private final Double p99Millis;
        private double p50Y;
        private double p99Y;

        Slot(ProxySnapshot.Minute minute, int index) {
            this.index = index;
            this.start = Date.from(minute.start());
            this.current = !minute.complete();
            Map<String, Long> byKey = new LinkedHashMap<>();
            ProxyView.counters(minute.counters()).forEach(counter -> byKey.put(counter.getKey(), counter.getValue()));
            long sum = 0;
            for (String answer : ANSWERS) {
                answers.put(answer, byKey.get(answer));
                sum += byKey.get(answer);
            }
            this.total = sum;
            ProxySnapshot.Latency latency = minute.latency();
            this.p50Millis = latency.p50() == null ? null : latency.p50().toNanos() / 1e6;
            this.p99Millis = latency.p99() == null ? null : latency.p99().toNanos() / 1e6;
        }

        /** The left edge of its bar. */
        public double getX() {
            return slotX(index) + (SLOT_WIDTH - BAR_WIDTH) / 2.0;
        }

        public double getCenter() {
            return slotX(index) + SLOT_WIDTH / 2.0;
        }

        /** When the minute began. */
        public Date getStart() {
            return new Date(start.getTime());
        }

        /** Whether it is the minute under way (its counts are so far). */
        public boolean isCurrent() {
            return current;
        }

        /** Requests answered in it. */
        public long getTotal() {
            return total;
        }

        /** Requests per answer, in the order of {@link #ANSWERS}. */
        public Map<String, Long> getAnswers() {
            return answers;
        }

        /** The bar's parts, bottom up, one per answer that happened. */
        public List<Segment> getSegments() {
            return segments;
        }

        /** The median latency of its replies in milliseconds, or {@code null} when it relayed none. */
        public Double getP50Millis() {
            return p50Millis;
        }

        public Double getP99Millis() {
            return p99Millis;
        }

        public double getP50Y() {
            return rounded(p50Y);
        }

        public double getP99Y() {
            return rounded(p99Y);
        }
    }

    /** One answer's part of a bar. */
    public static final class Segment {
        private final String answer;
        private final long count;
        private final double y;
        private final double height;

        Segment(String answer, long count, double y, double height) {
            this.answer = answer;
            this.count = count;
            this.y = y;
            this.height = height;
        }

        /** The answer's counter key, which names its fill pattern and its label. */
        public String getAnswer() {
            return answer;
        }

        public long getCount() {
            return count;
        }

        public double getY() {
            return rounded(y);
        }

        public double getHeight() {
            return rounded(height);
        }
    }

    /** A mark on a value axis: where, and the value (a count, or milliseconds). */
    public static final class Tick {
        private final double y;
        private final double value;

        Tick(double y, double value) {
            this.y = y;
            this.value = value;
        }

        public double getY() {
            return rounded(y);
        }

        public double getValue() {
            return value;
        }
    }

    /** A mark on the time axis: where, and the start of that minute. */
    public static final class TimeTick {
        private final double x;
        private final Date time;

        TimeTick(double x, Date time) {
            this.x = x;
            this.time = time;
        }

        public double getX() {
            return x;
        }

        public Date getTime() {
            return new Date(time.getTime());
        }
    }
}
