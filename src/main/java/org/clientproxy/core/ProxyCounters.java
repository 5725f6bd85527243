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

    ProxySnapshot.Counters snapshot() {
        return new ProxySnapshot.Counters(forwarded.sum(), resultsRelayed.sum(), errorsRelayed.sum(),
                timeouts.sum(), noResource.sum(), resourceLost.sum(), retried.sum(),
                rejectedByCaps.sum(), droppedReplies.sum(), markedUnresponsive.sum(), retriedUnresponsive.sum(),
                refusedByAccessRule.sum(), requesterGone.sum());
    }

    void reset() {
        for (LongAdder counter : new LongAdder[] {forwarded, resultsRelayed, errorsRelayed, timeouts,
                noResource, resourceLost, retried, rejectedByCaps, droppedReplies, markedUnresponsive,
                retriedUnresponsive, refusedByAccessRule, requesterGone}) {
            counter.reset();
        }
    }
}
