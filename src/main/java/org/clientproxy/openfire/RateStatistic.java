package org.clientproxy.openfire;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jivesoftware.openfire.stats.Statistic;

/**
 * One counter of one proxy as an Openfire {@link Statistic} of type {@link Statistic.Type#rate}:
 * each {@link #sample()} is how much the counter grew since the previous sample, which is what
 * Openfire's statistics (and the Monitoring plugin's graphs) expect of a rate.
 */
final class RateStatistic implements Statistic {
    private final String name;
    private final String description;
    private final String units;
    private final LongSupplier counter;
    private final AtomicLong lastTotal;

    /**
     * @param counter the running total; it only grows, except when the proxy's counters are reset
     */
    RateStatistic(String name, String description, String units, LongSupplier counter) {
        this.name = name;
        this.description = description;
        this.units = units;
        this.counter = counter;
        this.lastTotal = new AtomicLong(counter.getAsLong());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Type getStatType() {
        return Type.rate;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String getUnits() {
        return units;
    }

    @Override
    public double sample() {
        long total = counter.getAsLong();
        long previous = lastTotal.getAndSet(total);
        // After a reset of the counters the total is smaller: everything since then is new.
        return total >= previous ? total - previous : total;
    }

    /** Each cluster node counts the requests its own proxies handled: the totals add up. */
    @Override
    public boolean isPartialSample() {
        return true;
    }
}
