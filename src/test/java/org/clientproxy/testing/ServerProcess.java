package org.clientproxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The process of a throwaway server (Prosody, ejabberd, Openfire): started with its output
 * appended to a file, waited for until it is ready (bounded), stopped by its pid (SIGTERM, then
 * SIGKILL after a patience) and waited for. A server still running when the JVM exits (a test run
 * cut short) is killed then.
 */
public final class ServerProcess {
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> RUNNING.forEach(process -> process.toHandle().destroyForcibly()), "e2e-servers-kill"));
    }

    private final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code command} and waits until {@code ready}, failing (with the process stopped) if it
     * exits first or is not ready within {@code timeout}.
     *
     * @param name   the server's name, for the messages
     * @param output where its standard output and error go (appended)
     */
    public static ServerProcess start(String name, ProcessBuilder command, Path output, BooleanSupplier ready, Duration timeout)
            throws IOException, InterruptedException {
        Process process = command.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        RUNNING.add(process);
        ServerProcess server = new ServerProcess(process);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                RUNNING.remove(process);
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + Files.readString(output));
            }
            if (System.nanoTime() > deadline) {
                server.stop();
                throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + output.getParent());
            }
            Thread.sleep(50);
        }
        return server;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, which the servers take as a clean shutdown; SIGKILL if that takes over 10 s. */
    public void stop() throws InterruptedException {
        stop(STOP_PATIENCE);
    }

    /** SIGTERM; SIGKILL if the server has not exited after {@code patience}. */
    public void stop(Duration patience) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
        RUNNING.remove(process);
    }

    /** SIGKILL, as a crash; waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        RUNNING.remove(process);
    }

    /** Fails with how to install {@code debianPackage} unless every command is on the PATH. */
    public static void requireInstalled(String debianPackage, String... commands) throws IOException, InterruptedException {
        for (String command : commands) {
            Process which = new ProcessBuilder("sh", "-c", "command -v " + command).start();
            if (which.waitFor() != 0) {
                throw new IllegalStateException(command + " is not installed: the end-to-end tests need Debian's "
                        + debianPackage + " package (scripts/test installs it; or apt-get install -y " + debianPackage + ")");
            }
        }
    }

    /** Whether something accepts TCP connections on the loopback port. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Ports free right now on loopback, all held open together so they differ, and below the
     * kernel's ephemeral range: a server that is stopped and started again on its port (a
     * restart, a cut connection) must not find it taken meanwhile by some outgoing connection's
     * local end, which the kernel picks from that range.
     */
    public static int[] freePorts(int count) throws IOException {
        int below = ephemeralPortsFrom();
        int lowest = Math.max(1024, below - 10_000);
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = null;
                for (int attempt = 0; socket == null && attempt < 1_000; attempt++) {
                    socket = bound(ThreadLocalRandom.current().nextInt(lowest, below));
                }
                if (socket == null) {
                    socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // all taken: any port
                }
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The socket bound to {@code port} on loopback, or {@code null} if it is taken. */
    private static ServerSocket bound(int port) {
        try {
            return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            return null;
        }
    }

    /** The first port of Linux's ephemeral range ({@code ip_local_port_range}), else the usual 32768. */
    private static int ephemeralPortsFrom() {
        try {
            // As lines: Files.readString returned this procfs file cut short.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int from = Integer.parseInt(range.split("\\s+")[0]);
            return from > 2_048 ? from : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
