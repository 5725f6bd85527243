package org.clientproxy.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.clientproxy.testing.ServerProcess;

/**
 * A throwaway Prosody (Debian's package) on loopback: its own configuration, data directory and
 * log under {@code target/e2e/}, free ports, no s2s/http, plaintext logins allowed. Accounts are
 * created with {@code prosodyctl register}; the server is stopped by its pid. Missing Prosody is
 * a failure, never a skip: {@code scripts/test} installs it.
 */
public final class ProsodyServer extends LoopbackXmppServer {
    private final Path config;
    private final String logLevel;

    private ProsodyServer(Path dir, Map<String, String> components, String logLevel) throws IOException {
        super(dir);
        this.logLevel = logLevel;
        this.config = dir.resolve("prosody.cfg.lua");
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
        ServerProcess.requireInstalled("prosody", "prosody", "prosodyctl");
        Path base = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
        ProsodyServer server = new ProsodyServer(Files.createTempDirectory(base, "prosody-"), components, logLevel);
        for (Map.Entry<String, String> account : accounts.entrySet()) {
            server.register(account.getKey(), account.getValue());
        }
        server.start();
        return server;
    }

    @Override
    public String name() {
        return "Prosody";
    }

    @Override
    public Path log() {
        return dir.resolve("prosody.log");
    }

    @Override
    ProcessBuilder command() {
        return new ProcessBuilder("prosody", "--config", config.toString(), "-F");
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
}
