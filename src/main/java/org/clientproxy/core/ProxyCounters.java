package org.clientproxy.core;

import java.util.concurrent.atomic.LongAdder;

/** What happened to requests and replies; {@link LongAdder}s so that busy threads do not contend. */
final class ProxyCounters {
    final LongAdder forwarded = new LongAdder();
    final LongAdder resultsRelayed = new LongAdder();
    final LongAdder errorsRelayed = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder noResource = new LongAdder();
    final LongAdder resourceLost = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder rejectedByCaps = new LongAdder();
    final LongAdder droppedReplies = new LongAdder();
    final LongAdder markedUnresponsive = new LongAdder();
    final LongAdder retriedUnresponsive = new LongAdder();
    final LongAdder refusedByAccessRule = new LongAdder();
    final LongAdder requesterGone = new LongAdder();

    /** In the order of the components of {@link ProxySnapshot.Counters}. */
    private final LongAdder[] all = {forwarded, resultsRelayed, errorsRelayed, timeouts, noResource,
            resourceLost, retried, rejectedByCaps, droppedReplies, markedUnresponsive, retriedUnresponsive,
            refusedByAccessRule, requesterGone};

    ProxySnapshot.Counters snapshot() {
        long[] values = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            values[i] = all[i].sum();
        }
        return ProxySnapshot.Counters.of(values);
    }

    /** Sets every counter back to zero; returns what they held (an increment meanwhile is in one or after). */
    ProxySnapshot.Counters sumThenReset() {
        long[] values = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            values[i] = all[i].sumThenReset();
        }
        return ProxySnapshot.Counters.of(values);
    }
}
