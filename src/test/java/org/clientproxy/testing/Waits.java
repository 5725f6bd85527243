package org.clientproxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition, bounded: a test waits for what it expects rather than sleeping a fixed
 * time, so that a loaded machine makes it slower, not red. The bound is generous; reaching it
 * fails the test and says what was awaited.
 */
public final class Waits {
    private static final long POLL_MILLIS = 20;

    private Waits() {
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}, naming {@code what}. */
    public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
