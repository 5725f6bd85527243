package org.clientproxy.external;

import static org.clientproxy.external.ConnectFailure.Kind.NOT_ACCEPTED;
import static org.clientproxy.external.ConnectFailure.Kind.REFUSED;
import static org.clientproxy.external.ConnectFailure.Kind.UNREACHABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.clientproxy.external.ConnectFailure.Kind;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(60));

    @Test
    void whileNoServerAnswersItTriesEverySecondHoweverLongThatLasts() {
        assertEquals(millis(500, 1000, 1000, 1000, 1000, 1000, 1000, 1000), waits(UNREACHABLE, 8));
    }

    @Test
    void whileTheServerRefusesTheWaitDoublesUpToTheMaximum() {
        assertEquals(millis(500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000), waits(NOT_ACCEPTED, 9));
        backoff.reset();
        assertEquals(millis(500, 1000, 2000), waits(REFUSED, 3));
    }

    @Test
    void aServerThatGoesAwayAfterRefusingIsTriedEverySecondAgain() {
        waits(REFUSED, 6);
        assertEquals(Duration.ofSeconds(1), backoff.next(UNREACHABLE));
    }

    @Test
    void aSuccessStartsOver() {
        waits(REFUSED, 5);
        backoff.reset();
        assertEquals(Duration.ofMillis(500), backoff.next(REFUSED));
    }

    @Test
    void aMaximumBelowTheFirstWaitIsKept() {
        ReconnectBackoff quick = new ReconnectBackoff(Duration.ofMillis(200));
        assertEquals(Duration.ofMillis(200), quick.next(UNREACHABLE));
        assertEquals(Duration.ofMillis(200), quick.next(NOT_ACCEPTED));
    }

    private List<Duration> waits(Kind kind, int failures) {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            waits.add(backoff.next(kind));
        }
        return waits;
    }

    private static List<Duration> millis(long... values) {
        List<Duration> durations = new ArrayList<>();
        for (long value : values) {
            durations.add(Duration.ofMillis(value));
        }
        return durations;
    }
}
