package org.clientproxy.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import org.clientproxy.testing.LogCapture;
import org.junit.jupiter.api.Test;

class WhackLogTest {
    private final List<Throwable> failures = new ArrayList<>();
    private final WhackLog log = new WhackLog(failures::add);

    @Test
    void aBrokenSocketIsHandedToTheSessionAndNotLoggedAsAnError() {
        SocketException brokenPipe = new SocketException("Broken pipe");
        try (LogCapture captured = LogCapture.start()) {
            log.error(brokenPipe);
            log.error("Error trying to reconnect with the server", brokenPipe);

            assertFalse(captured.text().contains("ERROR"), captured.text());
            assertFalse(captured.text().contains("\tat "), "the trace is for DEBUG only: " + captured.text());
        }
        assertEquals(List.of(brokenPipe, brokenPipe), failures);
    }

    @Test
    void aMessageWithoutAnExceptionKeepsItsLevel() {
        try (LogCapture captured = LogCapture.start()) {
            log.error("Whack says something is wrong");

            assertTrue(captured.text().contains("ERROR org.jivesoftware.whack - Whack says something is wrong"),
                    captured.text());
        }
        assertEquals(List.of(), failures);
    }
}
