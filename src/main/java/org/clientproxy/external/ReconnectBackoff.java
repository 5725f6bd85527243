package org.clientproxy.external;

import java.time.Duration;

/**
 * How long the external component waits after a failed attempt to reconnect. The first attempt
 * after a loss is made at once; after a failure the wait starts at 0.5 s and doubles:
 * <ul>
 *   <li>up to 1 s while no server answers at the port ({@link ConnectFailure.Kind#UNREACHABLE}):
 *       the server is down or restarting, an attempt costs one TCP connection attempt, and the
 *       component serves again within about a second of the server's return, however long the
 *       server was away;</li>
 *   <li>up to {@link ExternalConfig#reconnectMax()} while the server answers but refuses the
 *       component: that lasts until a person changes a configuration, and each attempt would be
 *       one more failed handshake in the server's log.</li>
 * </ul>
 * Used by the proxy's one worker thread only.
 */
final class ReconnectBackoff {
    static final Duration FIRST_WAIT = Duration.ofMillis(500);
    static final Duration UNREACHABLE_MAX_WAIT = Duration.ofSeconds(1);

    private final Duration max;
    /** The last wait handed out, or {@code null} when no attempt has failed since the last success. */
    private Duration last;

    ReconnectBackoff(Duration max) {
        this.max = max;
    }

    /** The wait before the next attempt, after one that failed this way. */
    Duration next(ConnectFailure.Kind kind) {
        Duration wait = last == null ? FIRST_WAIT : last.multipliedBy(2);
        Duration cap = kind == ConnectFailure.Kind.UNREACHABLE ? shorter(UNREACHABLE_MAX_WAIT, max) : max;
        last = shorter(wait, cap);
        return last;
    }

    /** An attempt succeeded: the next loss starts over. */
    void reset() {
        last = null;
    }

    private static Duration shorter(Duration one, Duration other) {
        return one.compareTo(other) <= 0 ? one : other;
    }
}
