package org.clientproxy.core;

import java.time.Instant;

/** The proxy's sense of time; tests replace it to make timeouts deterministic. */
public interface ProxyClock {
    /** Monotonic nanoseconds, for deadlines and latency. */
    long nanoTime();

    /** Wall-clock time, for what is shown to people. */
    Instant now();

    ProxyClock SYSTEM = new ProxyClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };
}
