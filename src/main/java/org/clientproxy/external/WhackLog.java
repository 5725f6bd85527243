package org.clientproxy.external;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Log;

/**
 * Whack's log for one connection. Whack reports a broken socket as an ERROR with its stack trace,
 * then tells the component the connection is lost; the proxy reconnects, so that is no error:
 * a failure with an exception goes to {@code failed} (the session names the cause in its one
 * WARN line about the lost connection) and its trace to DEBUG. Messages without an exception keep
 * their level.
 */
final class WhackLog implements Log {
    private static final Logger log = LoggerFactory.getLogger("org.jivesoftware.whack");

    private final Consumer<Throwable> failed;

    WhackLog(Consumer<Throwable> failed) {
        this.failed = failed;
    }

    private void failure(String message, Throwable cause) {
        failed.accept(cause);
        log.debug(message == null ? "Connection failure" : message, cause);
    }

    @Override
    public void error(String message) {
        log.error(message);
    }

    @Override
    public void error(String message, Throwable cause) {
        failure(message, cause);
    }

    @Override
    public void error(Throwable cause) {
        failure(null, cause);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        failure(message, cause);
    }

    @Override
    public void warn(Throwable cause) {
        failure(null, cause);
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void info(String message, Throwable cause) {
        log.info(message, cause);
    }

    @Override
    public void info(Throwable cause) {
        log.info("", cause);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public void debug(String message, Throwable cause) {
        log.debug(message, cause);
    }

    @Override
    public void debug(Throwable cause) {
        log.debug("", cause);
    }
}
