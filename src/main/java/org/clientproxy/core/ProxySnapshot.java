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
 * @param latency      round-trip latency of relayed replies over the recent window
 */
public record ProxySnapshot(ProxySettings settings, SubscriptionState subscription, Instant subscriptionSince,
                          List<Resource> resources, Counters counters, int outstanding, Latency latency) {

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
    }

    /**
     * Round-trip latency between forwarding a request and relaying its reply.
     *
     * @param count  replies measured in the window
     * @param p50    median, or {@code null} when nothing was measured
     * @param p99    99th percentile (an upper bound: the histogram bucket it falls in), or {@code null}
     * @param window how far back the window reaches
     */
    public record Latency(long count, Duration p50, Duration p99, Duration window) {
    }
}
