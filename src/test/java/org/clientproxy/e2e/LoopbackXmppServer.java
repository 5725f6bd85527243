package org.clientproxy.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.clientproxy.testing.ServerProcess;

/**
 * What the throwaway servers share: a directory of their own under {@code target/e2e/}, two free
 * loopback ports (clients, components), and one process in the foreground, started until it is
 * ready and stopped by {@link ServerProcess}, again and again on the same ports and data.
 */
abstract class LoopbackXmppServer implements XmppServer {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    final Path dir;
    final int clientPort;
    final int componentPort;
    private ServerProcess process;

    LoopbackXmppServer(Path dir) throws IOException {
        this.dir = dir;
        int[] ports = ServerProcess.freePorts(2);
        this.clientPort = ports[0];
        this.componentPort = ports[1];
    }

    /** The command that runs the server in the foreground. */
    abstract ProcessBuilder command();

    /** Whether the server is ready, besides accepting connections on both ports. */
    boolean ready() {
        return true;
    }

    @Override
    public final int clientPort() {
        return clientPort;
    }

    @Override
    public final int componentPort() {
        return componentPort;
    }

    /** The server's own directory: configuration, data, logs. */
    public final Path directory() {
        return dir;
    }

    /** The process id of the running server. */
    public final synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name() + " is not running");
        }
        return process.pid();
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name() + " is already running, pid " + process.pid());
        }
        process = ServerProcess.start(name(), command(), dir.resolve(name().toLowerCase(Locale.ROOT) + ".out"),
                () -> ready() && ServerProcess.accepts(clientPort) && ServerProcess.accepts(componentPort), STARTUP_TIMEOUT);
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.stop();
            process = null;
        }
    }
}
