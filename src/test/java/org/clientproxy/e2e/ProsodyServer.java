package org.clientproxy.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Prosody (Debian's package) on loopback: its own configuration, data directory and
 * log under {@code target/e2e/}, free ports, no s2s/http, plaintext logins allowed. Accounts are
 * created with {@code prosodyctl register}; the server is stopped by its pid. Missing Prosody is
 * a failure, never a skip: {@code scripts/test} installs it.
 */
public final class ProsodyServer implements AutoCloseable {
    public static final String DOMAIN = "localhost";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Path config;
    private final int clientPort;
    private final int componentPort;
    private final String logLevel;
    private Process process;

    private ProsodyServer(Path dir, Map<String, String> components, String logLevel) throws IOException {
        this.dir = dir;
        this.logLevel = logLevel;
        this.config = dir.resolve("prosody.cfg.lua");
        int[] ports = freePorts(2);
        this.clientPort = ports[0];
        this.componentPort = ports[1];
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(config, configuration(components), StandardCharsets.UTF_8);
    }

    /**
     * Writes a configuration, creates the accounts and starts Prosody.
     *
     * @param components external component host to its secret, e.g. {@code svc.localhost -> s3cret}
     * @param accounts   user name (on {@link #DOMAIN}) to password
     */
    public static ProsodyServer start(Map<String, String> components, Map<String, String> accounts)
            throws IOException, InterruptedException {
        return start(components, accounts, "debug");
    }

    /**
     * Like {@link #start(Map, Map)}, logging from {@code logLevel} up ({@code debug} for the
     * tests, which read the log when they fail; {@code info} for the load comparison, where
     * logging every stanza would be most of Prosody's work).
     */
    public static ProsodyServer start(Map<String, String> components, Map<String, String> accounts, String logLevel)
            throws IOException, InterruptedException {
        requireInstalled();
        Path base = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
        ProsodyServer server = new ProsodyServer(Files.createTempDirectory(base, "prosody-"), components, logLevel);
        for (Map.Entry<String, String> account : accounts.entrySet()) {
            server.register(account.getKey(), account.getValue());
        }
        server.start();
        return server;
    }

    public int clientPort() {
        return clientPort;
    }

    public int componentPort() {
        return componentPort;
    }

    /** The process id of the running server. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Prosody is not running");
        }
        return process.pid();
    }

    public Path directory() {
        return dir;
    }

    public Path log() {
        return dir.resolve("prosody.log");
    }

    /** Starts the server again on the same ports and data, after {@link #stop()}. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Prosody is already running, pid " + process.pid());
        }
        process = new ProcessBuilder("prosody", "--config", config.toString(), "-F")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prosody.out").toFile()))
                .start();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!(accepts(clientPort) && accepts(componentPort))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prosody exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("prosody.out")));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Prosody did not listen on ports " + clientPort + " and "
                        + componentPort + " within " + STARTUP_TIMEOUT + "; see " + dir);
            }
            Thread.sleep(50);
        }
    }

    /** Stops the server by its pid (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        ProcessHandle handle = process.toHandle();
        handle.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            handle.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void register(String user, String password) throws IOException, InterruptedException {
        Process register = new ProcessBuilder("prosodyctl", "--config", config.toString(), "register", user, DOMAIN, password)
                .redirectErrorStream(true)
                .start();
        String output = new String(register.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!register.waitFor(30, TimeUnit.SECONDS) || register.exitValue() != 0) {
            throw new IllegalStateException("prosodyctl register " + user + " failed: " + output);
        }
    }

    private String configuration(Map<String, String> components) {
        String path = dir.toString();
        StringBuilder lua = new StringBuilder()
                .append("-- Written by the end-to-end tests; loopback only.\n")
                .append("run_as_root = true -- test machines and CI run as root; nothing here needs it\n")
                .append("data_path = \"").append(path).append("/data\"\n")
                .append("certificates = \"").append(path).append("/certs\"\n")
                .append("pidfile = \"").append(path).append("/prosody.pid\"\n")
                .append("log = { ").append(logLevel).append(" = \"").append(path).append("/prosody.log\" }\n")
                .append("interfaces = { \"127.0.0.1\" }\n")
                .append("c2s_ports = { ").append(clientPort).append(" }\n")
                .append("component_interfaces = { \"127.0.0.1\" }\n")
                .append("component_ports = { ").append(componentPort).append(" }\n")
                .append("s2s_ports = { }\nc2s_direct_tls_ports = { }\ns2s_direct_tls_ports = { }\n")
                .append("http_ports = { }\nhttps_ports = { }\n")
                .append("c2s_require_encryption = false\n")
                .append("allow_unencrypted_plain_auth = true\n")
                .append("authentication = \"internal_hashed\"\n")
                .append("modules_enabled = { \"roster\", \"saslauth\", \"disco\", \"ping\" }\n")
                .append("VirtualHost \"").append(DOMAIN).append("\"\n");
        for (Map.Entry<String, String> component : components.entrySet()) {
            lua.append("Component \"").append(component.getKey()).append("\"\n")
                    .append("    component_secret = \"").append(component.getValue()).append("\"\n");
        }
        return lua.toString();
    }

    private static void requireInstalled() throws IOException, InterruptedException {
        for (String command : List.of("prosody", "prosodyctl")) {
            Process which = new ProcessBuilder("sh", "-c", "command -v " + command).start();
            if (which.waitFor() != 0) {
                throw new IllegalStateException(command + " is not installed: the end-to-end tests need Debian's"
                        + " prosody package (scripts/test installs it; or apt-get install -y prosody)");
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports free right now on loopback; all held open together so they differ. */
    public static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
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

    static Map<String, String> map(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
