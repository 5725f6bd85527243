package org.clientproxy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ProxyClock} that moves only when a test says so. */
final class ManualClock implements ProxyClock {
    private static final Instant EPOCH = Instant.parse("2026-11-25T09:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(nanos.get());
    }
}
