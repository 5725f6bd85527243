package org.clientproxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, checking it every few milliseconds, and fails once {@code patience} has
 * passed: a loaded machine makes a test slower, not red, so the patience is generous; a test that
 * passes never waits for it.
 */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    public static void within(Duration patience, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Waited " + patience + " for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
