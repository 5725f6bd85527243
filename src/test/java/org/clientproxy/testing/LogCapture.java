package org.clientproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Catches what SLF4J's simple logger writes while a test provokes an expected failure, so that the
 * test asserts the log line instead of printing it: a green run shows no ERROR line and no stack
 * trace for a failure that was meant to happen. The simple logger writes to whatever
 * {@code System.err} is at the time of each call.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    /** Starts catching; {@link #close()} stops. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything logged since the start. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
