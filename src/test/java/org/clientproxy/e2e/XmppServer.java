package org.clientproxy.e2e;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A throwaway XMPP server the end-to-end tests start on loopback (Prosody or ejabberd, Debian's
 * packages): its own configuration, data and log under {@code target/e2e/}, free ports, plaintext
 * logins, the components and accounts it was given, nothing listening beyond loopback.
 */
public interface XmppServer extends AutoCloseable {
    /** The XMPP domain of every test server. */
    String DOMAIN = "localhost";

    /** The server's name as the tests show it: {@code Prosody}, {@code ejabberd}. */
    String name();

    int clientPort();

    int componentPort();

    /** The server's own log, for a test that fails. */
    Path log();

    /** Starts the server again after {@link #stop()}, on the same ports and with the same data. */
    void start() throws IOException, InterruptedException;

    /**
     * Shuts the server down as its operator would (it closes its connections first) and waits,
     * boundedly, for its process to end.
     */
    void stop() throws InterruptedException;

    @Override
    default void close() throws InterruptedException {
        stop();
    }
}
