package org.clientproxy.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.clientproxy.testing.ServerProcess;
import org.clientproxy.it.probe.ProbePluginJar;
import org.clientproxy.testing.Waits;

/**
 * A real Openfire (the distribution {@link OpenfireDistribution} finds) for the integration tests:
 * unpacked into its own folder under {@code target/openfire-it/}, set up without the web wizard
 * (Openfire's autosetup: the domain {@value #DOMAIN}, an embedded database or a given one, the admin
 * account {@code admin}/{@code admin} and test accounts whose password is their name), every
 * listener on a free loopback port, the file-transfer proxy and update checks off. It runs in a
 * process of its own ({@code bin/openfire.sh}, which execs Java: a {@link ServerProcess}), is
 * stopped with SIGTERM (or killed), and is killed when the test JVM exits, whatever happened.
 */
public final class OpenfireServer implements AutoCloseable {
    public static final String DOMAIN = "localhost";
    public static final String ADMIN = "admin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final Path BASE = Path.of("target", "openfire-it");
    /** The file name the plugin is installed under: Openfire names the plugin after it. */
    public static final String PLUGIN_FILE = "clientproxy.jar";

    private final Path home;
    private final Settings settings;
    private final Ports ports;
    private ServerProcess process;

    private OpenfireServer(Path home, Settings settings, Ports ports) {
        this.home = home;
        this.settings = settings;
        this.ports = ports;
    }

    /** The listener ports of one server: each its own, on loopback. */
    public record Ports(int client, int clientTls, int component, int componentTls, int server, int serverTls,
                        int multiplex, int multiplexTls, int httpBind, int httpBindTls, int admin) {
        static Ports free() throws IOException {
            int[] p = ServerProcess.freePorts(11);
            return new Ports(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]);
        }

        /** Openfire's system properties for these ports (the cluster tests write them per member). */
        public Map<String, String> properties() {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("xmpp.socket.plain.port", Integer.toString(client));
            properties.put("xmpp.socket.ssl.port", Integer.toString(clientTls));
            properties.put("xmpp.component.socket.port", Integer.toString(component));
            properties.put("xmpp.component.ssl.port", Integer.toString(componentTls));
            properties.put("xmpp.server.socket.port", Integer.toString(server));
            properties.put("xmpp.server.socket.ssl.port", Integer.toString(serverTls));
            properties.put("xmpp.multiplex.socket.port", Integer.toString(multiplex));
            properties.put("xmpp.multiplex.ssl.port", Integer.toString(multiplexTls));
            properties.put("httpbind.port.plain", Integer.toString(httpBind));
            properties.put("httpbind.port.secure", Integer.toString(httpBindTls));
            return properties;
        }
    }

    /**
     * How to set a server up.
     *
     * @param users      accounts made at setup, each with its name as password
     * @param database   the {@code <database>} content of the autosetup block: {@code null} for the embedded database
     * @param extraXml   more elements for {@code openfire.xml} (e.g. {@code <clustering>}), or empty
     * @param jvmOptions more options for Openfire's JVM
     */
    public record Settings(List<String> users, String database, String extraXml, List<String> jvmOptions) {
        public static Settings withUsers(String... users) {
            return new Settings(List.of(users), null, "", List.of());
        }
    }

    /** Unpacks a new server (its own folder, fresh ports, nothing started). */
    public static OpenfireServer create(String name, Settings settings) throws IOException, InterruptedException {
        Path distribution = OpenfireDistribution.require();
        Files.createDirectories(BASE);
        Path home = Files.createTempDirectory(BASE.toAbsolutePath(), name + "-");
        unpack(distribution, home);
        OpenfireServer server = new OpenfireServer(home, settings, Ports.free());
        Files.writeString(home.resolve("conf/openfire.xml"), server.configuration(), StandardCharsets.UTF_8);
        return server;
    }

    /** {@link #create} and {@link #start}. */
    public static OpenfireServer start(String name, Settings settings) throws IOException, InterruptedException {
        OpenfireServer server = create(name, settings);
        try {
            server.start();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    public Path home() {
        return home;
    }

    public Ports ports() {
        return ports;
    }

    public Path log() {
        return home.resolve("logs/openfire.log");
    }

    public URI adminConsole() {
        return URI.create("http://127.0.0.1:" + ports.admin() + "/");
    }

    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("Openfire is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts Openfire (again, after {@link #stop()}) and waits until its client listener and
     * admin console answer. At the first start Openfire runs its autosetup.
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("Openfire is already running, pid " + process.pid());
        }
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/openfire.sh").toString())
                .directory(home.toFile());
        List<String> options = new ArrayList<>(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.awt.headless=true"));
        options.addAll(settings.jvmOptions());
        builder.environment().put("OPENFIRE_OPTS", String.join(" ", options));
        builder.environment().remove("OPENFIRE_HOME");
        process = ServerProcess.start("Openfire in " + home, builder, home.resolve("openfire.out"),
                () -> ServerProcess.accepts(ports.client()) && ServerProcess.accepts(ports.admin()), START_TIMEOUT);
    }

    /**
     * Stops Openfire as an operator does (SIGTERM: its shutdown hook stops plugins and listeners),
     * patiently: a kill while it writes its embedded database could spoil the next start.
     */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.stop(STOP_PATIENCE);
            process = null;
        }
    }

    /** Ends Openfire at once (SIGKILL), as a crash would. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    /**
     * Installs a plugin as an operator who copies it into {@code plugins/} does: written beside,
     * then moved in, so that Openfire's plugin monitor never reads a half-written jar. A jar of
     * the same name is replaced, which makes Openfire unload the old plugin and load the new.
     */
    public void copyPlugin(Path jar, String fileName) throws IOException {
        Path plugins = home.resolve("plugins");
        Path partial = Files.createTempFile(home, fileName, ".part");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        // A new modification time, so that the monitor sees a replacement even within the same second.
        partial.toFile().setLastModified(System.currentTimeMillis());
        Files.move(partial, plugins.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Installs this project's plugin ({@code clientproxy.jar}) by copying it into {@code plugins/},
     * and waits until Openfire has loaded it (again, if it was loaded).
     */
    public void installPlugin(Path jar) throws IOException, InterruptedException {
        long mark = logMark();
        copyPlugin(jar, PLUGIN_FILE);
        awaitPluginLoaded(mark);
    }

    /** Waits until Openfire says it loaded the plugin, after {@code mark}. */
    public void awaitPluginLoaded(long mark) throws InterruptedException {
        awaitLog(mark, Pattern.compile("Successfully loaded plugin 'clientproxy"), START_TIMEOUT);
    }

    /** Installs the test probe ({@link ProbePluginJar}: Openfire's statistics over HTTP) and waits for it. */
    public void installProbe() throws IOException, InterruptedException {
        long mark = logMark();
        copyPlugin(ProbePluginJar.build(Files.createTempDirectory(home, "probe")), ProbePluginJar.FILE);
        awaitLog(mark, Pattern.compile("Successfully loaded plugin 'probe"), START_TIMEOUT);
    }

    /** Removes a plugin's jar from {@code plugins/}, as an operator who deletes it there does. */
    public void deletePluginJar(String fileName) throws IOException {
        Files.deleteIfExists(home.resolve("plugins").resolve(fileName));
    }

    /** Where Openfire's log ends now: {@link #logSince} reads what is written after it. */
    public long logMark() throws IOException {
        return Files.exists(log()) ? Files.size(log()) : 0;
    }

    /** The lines Openfire logged since {@code mark}, escape codes removed. */
    public List<String> logSince(long mark) throws IOException {
        if (!Files.exists(log())) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(log());
        String text = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                StandardCharsets.UTF_8);
        return text.lines().map(line -> ANSI.matcher(line).replaceAll("")).toList();
    }

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    /** Waits until a line logged since {@code mark} matches {@code pattern}; returns it. */
    public String awaitLog(long mark, Pattern pattern, Duration timeout) throws InterruptedException {
        String[] found = new String[1];
        Waits.until(timeout, () -> "a line matching " + pattern + " in " + log(), () -> {
            try {
                found[0] = logSince(mark).stream().filter(line -> pattern.matcher(line).find()).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return found[0] != null;
        });
        return found[0];
    }

    /** The plugin's log lines above INFO (WARN, ERROR) since {@code mark}: a green run expects none. */
    public List<String> pluginProblemsSince(long mark) throws IOException {
        return logSince(mark).stream()
                .filter(line -> line.contains("org.clientproxy"))
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private String configuration() {
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < settings.users().size(); i++) {
            String user = settings.users().get(i);
            users.append("      <user").append(i + 1).append("><username>").append(user).append("</username><password>")
                    .append(user).append("</password></user").append(i + 1).append(">\n");
        }
        String database = settings.database() == null ? "<mode>embedded</mode>" : settings.database();
        String provider = settings.database() == null
                ? "  <connectionProvider><className>org.jivesoftware.database.EmbeddedConnectionProvider</className></connectionProvider>\n"
                : "";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by the integration tests (OpenfireServer): loopback only, free ports. -->
                <jive>
                  <adminConsole><port>%d</port><securePort>-1</securePort><interface>127.0.0.1</interface></adminConsole>
                  <locale>en</locale>
                  <network><interface>127.0.0.1</interface></network>
                %s  <xmpp>
                    <socket><plain><port>%d</port></plain><ssl><port>%d</port></ssl></socket>
                    <component><socket><port>%d</port></socket><ssl><port>%d</port></ssl></component>
                    <server><socket><port>%d</port><ssl><port>%d</port></ssl></socket></server>
                    <multiplex><socket><port>%d</port></socket><ssl><port>%d</port></ssl></multiplex>
                    <proxy><enabled>false</enabled></proxy>
                  </xmpp>
                  <httpbind><port><plain>%d</plain><secure>%d</secure></port></httpbind>
                  <update><service-enabled>false</service-enabled></update>
                %s
                  <autosetup>
                    <run>true</run>
                    <locale>en</locale>
                    <xmpp><domain>%s</domain><fqdn>%s</fqdn></xmpp>
                    <database>%s</database>
                    <admin><email>admin@%s</email><password>%s</password></admin>
                    <users>
                %s    </users>
                  </autosetup>
                </jive>
                """.formatted(ports.admin(), provider, ports.client(), ports.clientTls(), ports.component(),
                ports.componentTls(), ports.server(), ports.serverTls(), ports.multiplex(), ports.multiplexTls(),
                ports.httpBind(), ports.httpBindTls(), settings.extraXml(), DOMAIN, DOMAIN, database, DOMAIN, ADMIN,
                users);
    }

    /**
     * A packed distribution is unpacked without its top folder; an Openfire home is copied
     * without what a server that ran there left (its database, logs, plugins but the console).
     */
    private static void unpack(Path distribution, Path home) throws IOException, InterruptedException {
        List<String> command = OpenfireDistribution.isArchive(distribution)
                ? List.of("tar", "-xzf", distribution.toString(), "-C", home.toString(), "--strip-components=1")
                : List.of("cp", "-a", distribution + "/.", home.toString());
        Process unpack = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(unpack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (unpack.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        if (!Files.isRegularFile(home.resolve("bin/openfire.sh")) || !Files.isDirectory(home.resolve("plugins/admin"))) {
            throw new IllegalStateException(distribution + " is not an Openfire distribution (no bin/openfire.sh"
                    + " and plugins/admin)");
        }
        for (String leftOver : List.of("embedded-db", "logs")) {
            deleteTree(home.resolve(leftOver));
        }
        try (Stream<Path> plugins = Files.list(home.resolve("plugins"))) {
            for (Path plugin : plugins.filter(path -> !path.getFileName().toString().equals("admin")).toList()) {
                deleteTree(plugin);
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(each);
            }
        }
    }
}
