package org.clientproxy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import org.clientproxy.testing.ServerProcess;

/**
 * A throwaway ejabberd (Debian's package) on loopback: its own configuration, Mnesia spool and
 * logs under {@code target/e2e/}, free ports, plaintext logins, no traffic shaper (Debian's own
 * configuration limits each client to 3,000 bytes/s with {@code c2s_shaper}), each component as a
 * host of an {@code ejabberd_service} listener. Missing ejabberd is a failure, never a skip:
 * {@code scripts/test} installs it.
 *
 * <p>It is started with {@code erl} as {@code ejabberdctl foreground} would, without its switch to
 * the {@code ejabberd} user and its system-wide paths, and without a node name: the Erlang node is
 * not distributed, so there is no port mapper (epmd), no distribution port and no cookie, and
 * nothing listens but the two listeners. {@code ejabberdctl} cannot reach such a node, so the node
 * registers the accounts itself once ejabberd has started, and then writes {@code ready}. SIGTERM
 * makes Erlang shut ejabberd down cleanly ({@code init:stop()}), as {@code ejabberdctl stop} does.
 */
public final class EjabberdServer extends LoopbackXmppServer {
    /** What the tests put in the configuration and the Erlang expression: nothing that needs quoting. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/@+-]+");

    private final Path ready;
    private final ProcessBuilder command;

    private EjabberdServer(Path dir, Path ejabberdLibs, Map<String, String> components, Map<String, String> accounts)
            throws IOException {
        super(dir);
        this.ready = dir.resolve("ready");
        Path config = dir.resolve("ejabberd.yml");
        Files.writeString(config, configuration(components), StandardCharsets.UTF_8);
        Path spool = Files.createDirectories(dir.resolve("spool"));
        this.command = new ProcessBuilder("erl", "-noinput",
                // Sleep when idle instead of spinning: the machine is shared.
                "+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none",
                "-mnesia", "dir", "\"" + plain(spool.toString()) + "\"",
                "-s", "ejabberd",
                "-eval", registerThenReady(accounts),
                "-ejabberd", "quiet", "true")
                .directory(dir.toFile());
        Map<String, String> environment = command.environment();
        environment.put("ERL_LIBS", ejabberdLibs.toString());
        environment.put("EJABBERD_CONFIG_PATH", config.toString());
        environment.put("EJABBERD_LOG_PATH", dir.resolve("ejabberd.log").toString());
        environment.put("ERL_CRASH_DUMP", dir.resolve("erl_crash.dump").toString());
        // Erlang reads $HOME/.erlang at boot, ejabberd keeps contributed modules under $HOME.
        environment.put("HOME", dir.toString());
        environment.remove("ERL_FLAGS");
        environment.remove("ERL_AFLAGS");
        environment.remove("ERL_ZFLAGS");
    }

    /**
     * Writes a configuration and starts ejabberd, which registers the accounts.
     *
     * @param components external component host to its secret, e.g. {@code svc.localhost -> s3cret}
     * @param accounts   user name (on {@link #DOMAIN}) to password
     */
    public static EjabberdServer start(Map<String, String> components, Map<String, String> accounts)
            throws IOException, InterruptedException {
        if (components.isEmpty()) {
            throw new IllegalArgumentException("ejabberd_service needs at least one component host");
        }
        ServerProcess.requireInstalled("ejabberd", "erl");
        Path base = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
        EjabberdServer server = new EjabberdServer(Files.createTempDirectory(base, "ejabberd-"), ejabberdLibs(),
                components, accounts);
        server.start();
        return server;
    }

    @Override
    public String name() {
        return "ejabberd";
    }

    @Override
    public Path log() {
        return dir.resolve("ejabberd.log");
    }

    @Override
    ProcessBuilder command() {
        return command;
    }

    /** The node has registered the accounts (see {@link #registerThenReady}). */
    @Override
    boolean ready() {
        return Files.exists(ready);
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        Files.deleteIfExists(ready);
        super.start();
        String failed = Files.readString(ready, StandardCharsets.UTF_8);
        if (!failed.equals("[]")) {
            stop();
            throw new IllegalStateException("ejabberd could not register " + failed + "; see " + log());
        }
    }

    private String configuration(Map<String, String> components) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by the end-to-end tests; loopback only.\n")
                .append("hosts:\n  - ").append(DOMAIN).append('\n')
                .append("loglevel: info\n")
                .append("log_rotate_count: 0\n")
                .append("listen:\n")
                .append("  -\n")
                .append("    port: ").append(clientPort).append('\n')
                .append("    ip: \"127.0.0.1\"\n")
                .append("    module: ejabberd_c2s\n")
                .append("    # Debian's configuration has c2s_shaper, 3,000 bytes/s per client: it would throttle the tests.\n")
                .append("    shaper: none\n")
                .append("  -\n")
                .append("    port: ").append(componentPort).append('\n')
                .append("    ip: \"127.0.0.1\"\n")
                .append("    module: ejabberd_service\n")
                .append("    hosts:\n");
        for (Map.Entry<String, String> component : components.entrySet()) {
            yaml.append("      \"").append(plain(component.getKey())).append("\":\n")
                    .append("        password: \"").append(plain(component.getValue())).append("\"\n");
        }
        return yaml.append("modules:\n")
                .append("  mod_roster: {}\n")
                .append("  mod_disco: {}\n")
                .append("  mod_ping: {}\n")
                .toString();
    }

    /** The Erlang expression run once ejabberd has started: register the accounts, then write the failures to {@code ready}. */
    private String registerThenReady(Map<String, String> accounts) {
        StringBuilder list = new StringBuilder();
        for (Map.Entry<String, String> account : accounts.entrySet()) {
            list.append(list.isEmpty() ? "" : ", ").append("{<<\"").append(plain(account.getKey())).append("\">>, <<\"")
                    .append(plain(account.getValue())).append("\">>}");
        }
        String written = plain(dir.resolve("ready.tmp").toString());
        // An account that exists already (a restart) is no failure.
        return "Failed = [{U, R} || {U, P} <- [" + list + "],"
                + " R <- [ejabberd_auth:try_register(U, <<\"" + DOMAIN + "\">>, P)], R =/= ok, R =/= {error, exists}],"
                + " ok = file:write_file(\"" + written + "\", io_lib:format(\"~w\", [Failed])),"
                + " ok = file:rename(\"" + written + "\", \"" + plain(ready.toString()) + "\").";
    }

    private static String plain(String value) {
        if (!PLAIN.matcher(value).matches()) {
            throw new IllegalArgumentException("Not a plain name, password or path: " + value);
        }
        return value;
    }

    /** Where Debian installs ejabberd's Erlang applications ({@code /usr/lib/<arch>/ejabberd-<version>}): ejabberdctl's ERL_LIBS. */
    private static Path ejabberdLibs() throws IOException {
        try (DirectoryStream<Path> arches = Files.newDirectoryStream(Path.of("/usr/lib"), Files::isDirectory)) {
            for (Path arch : arches) {
                try (DirectoryStream<Path> apps = Files.newDirectoryStream(arch, "ejabberd-*")) {
                    if (apps.iterator().hasNext()) {
                        return arch;
                    }
                } catch (UncheckedIOException | IOException e) {
                    // not readable: not ejabberd's
                }
            }
        }
        throw new IllegalStateException("ejabberd's Erlang applications are not under /usr/lib/<arch>/ejabberd-*: the"
                + " end-to-end tests need Debian's ejabberd package (scripts/test installs it)");
    }
}
