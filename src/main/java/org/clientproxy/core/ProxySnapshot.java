package org.clientproxy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.xmpp.packet.JID;

/**
 * What a proxy is doing right now, for monitoring.
 *
 * @param settings     the settings in force
 * @param subscription how the proxy gets the implementing client's presence, and where that stands
 * @param subscriptionSince since when {@code subscription} holds ({@code null} before the proxy
 *                     asked for anything); for {@link SubscriptionState#REVOKED_BY_ACCOUNT}, when
 *                     the account revoked it
 * @param resources    the implementing client's online resources, oldest first
 * @param counters     totals since start or the last reset
 * @param outstanding  requests forwarded and not answered yet
 * @param latency      round-trip latency of relayed replies over the recent window (this minute and the one before)
 * @param lastHour     the minutes of the last hour, oldest first, the one under way last; not
 *                     set back by a reset of the counters
 */
public record ProxySnapshot(ProxySettings settings, SubscriptionState subscription, Instant subscriptionSince,
                          List<Resource> resources, Counters counters, int outstanding, Latency latency,
                          List<Minute> lastHour) {

    /**
     * One online resource of the implementing client.
     *
     * @param unresponsiveSince since when it holds requests without answering anything, not even
     *                          the proxy's ping; {@code null} while it is responsive
     */
    public record Resource(JID address, Instant onlineSince, int outstanding, Instant unresponsiveSince) {
        public boolean responsive() {
            return unresponsiveSince == null;
        }
    }

    /**
     * Totals of what happened to requests and replies.
     *
     * @param retried             gets re-sent to another resource because theirs went offline
     * @param markedUnresponsive  times a resource was marked unresponsive
     * @param retriedUnresponsive gets re-sent to a responsive resource because theirs was marked unresponsive
     * @param refusedByAccessRule requests answered with {@code auth/forbidden}: the sender is not
     *                            among those the proxy's {@code allow} rule lets in
     * @param requesterGone       requests dropped unanswered because the requester's session ended
     */
    public record Counters(long forwarded, long resultsRelayed, long errorsRelayed, long timeouts,
                           long noResource, long resourceLost, long retried, long rejectedByCaps,
                           long droppedReplies, long markedUnresponsive, long retriedUnresponsive,
                           long refusedByAccessRule, long requesterGone) {
        static final Counters ZERO = of(new long[13]);

        /** The counters from their values in the order of the components. */
        static Counters of(long[] values) {
            return new Counters(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                    values[7], values[8], values[9], values[10], values[11], values[12]);
        }

        private long[] values() {
            return new long[] {forwarded, resultsRelayed, errorsRelayed, timeouts, noResource, resourceLost,
                    retried, rejectedByCaps, droppedReplies, markedUnresponsive, retriedUnresponsive,
                    refusedByAccessRule, requesterGone};
        }

        Counters plus(Counters other) {
            long[] sum = values();
            long[] added = other.values();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += added[i];
            }
            return of(sum);
        }

        Counters minus(Counters other) {
            long[] difference = values();
            long[] subtracted = other.values();
            for (int i = 0; i < difference.length; i++) {
                difference[i] -= subtracted[i];
            }
            return of(difference);
        }
    }

    /**
     * Round-trip latency between forwarding a request and relaying its reply, over a period.
     *
     * @param count   replies measured
     * @param p50     the median: half of the replies came within it (a measured latency); {@code null}
     *                when nothing was measured
     * @param p99     99 in 100 replies came within it (a measured latency), or {@code null}
     * @param window  how far back the period reaches
     * @param sampled whether {@code p50} and {@code p99} are estimated from a random sample of the
     *                replies (more than {@value #SAMPLE_SIZE} in a minute) rather than exact
     */
    public record Latency(long count, Duration p50, Duration p99, Duration window, boolean sampled) {
        /** How many latencies a minute keeps; more replies than this are sampled. */
        public static final int SAMPLE_SIZE = LatencyReservoir.CAPACITY;
    }

    /**
     * One minute of the last hour.
     *
     * @param start    when it began
     * @param length   how long it lasted (a minute; longer if the sweeps were held up), or has lasted so far
     * @param complete false for the minute under way
     * @param counters what happened in it: each counter's increase
     * @param latency  the latency of the replies relayed in it
     */
    public record Minute(Instant start, Duration length, boolean complete, Counters counters, Latency latency) {
    }
}
