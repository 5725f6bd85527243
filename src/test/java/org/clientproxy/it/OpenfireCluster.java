package org.clientproxy.it;

import java.io.IOException;
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
import java.util.stream.Collectors;

import org.clientproxy.testing.ServerProcess;

/**
 * A two-member Openfire cluster on loopback: two {@link OpenfireServer}s from the same
 * distribution with the Hazelcast clustering plugin ({@code hazelcast.jar} beside the
 * distribution), sharing a throwaway {@link PostgresServer} (the facts are in
 * {@code shared/openfire/README.md}). Member {@code a} starts first and is the senior until it
 * goes; {@code b} is set up from {@code a}'s configuration after its setup. Each member's ports are
 * written to the database (which the members share) just before it starts.
 */
public final class OpenfireCluster implements AutoCloseable {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+),");

    private final PostgresServer database;
    private final Map<String, OpenfireServer> members = new LinkedHashMap<>();
    private final int[] hazelcastPorts;
    /** The order the members last started in: the senior is the running member that started first. */
    private final Map<OpenfireServer, Long> startedAt = new LinkedHashMap<>();
    private long starts;
    private boolean closed;

    private OpenfireCluster(PostgresServer database, int[] hazelcastPorts) {
        this.database = database;
        this.hazelcastPorts = hazelcastPorts;
    }

    /**
     * Starts the database and both members, the plugin installed on each before it starts.
     *
     * @param plugin     the plugin jar, or {@code null}
     * @param properties Openfire system properties, written to the database before the first start
     * @param users      accounts (each one's password is its name)
     * @param jvmOptions more options for both members' JVMs
     */
    public static OpenfireCluster start(Path plugin, Map<String, String> properties, List<String> users,
                                        List<String> jvmOptions) throws IOException, InterruptedException {
        OpenfireCluster cluster = new OpenfireCluster(PostgresServer.start("openfire"),
                ServerProcess.freePorts(2));
        try {
            cluster.setUp(plugin, properties, users, jvmOptions);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void setUp(Path plugin, Map<String, String> properties, List<String> users, List<String> jvmOptions)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dhazelcast.socket.bind.any=false"); // Hazelcast binds every interface otherwise
        OpenfireServer.Settings settings = new OpenfireServer.Settings(users, """
                <mode>standard</mode>
                <defaultProvider>
                  <driver>org.postgresql.Driver</driver>
                  <serverURL>%s</serverURL>
                  <username>postgres</username>
                  <password>unused</password>
                  <minConnections>2</minConnections>
                  <maxConnections>20</maxConnections>
                  <connectionTimeout>1.0</connectionTimeout>
                </defaultProvider>""".formatted(database.jdbcUrl()),
                "<clustering><enabled>true</enabled></clustering>", options);
        for (String name : List.of("a", "b")) {
            OpenfireServer member = OpenfireServer.create("cluster-" + name, settings);
            members.put(name, member);
            Files.copy(hazelcastJar(), member.home().resolve("plugins/hazelcast.jar"));
            if (plugin != null) {
                member.copyPlugin(plugin, OpenfireServer.PLUGIN_FILE);
            }
            Files.writeString(member.home().resolve("conf/hazelcast-local-config.xml"),
                    hazelcastConfig(hazelcastPorts[members.size() - 1]), StandardCharsets.UTF_8);
        }
        OpenfireServer a = member("a");
        database.sqlFile(a.home().resolve("resources/database/openfire_postgresql.sql"));
        database.sql(properties.entrySet().stream().map(property -> insert(property.getKey(), property.getValue()))
                .collect(Collectors.joining()));
        start("a");
        // The second member: the first one's configuration after its setup (the database and the key of its
        // encrypted password), with its own ports and without the first one's node ID.
        OpenfireServer b = member("b");
        String configuration = Files.readString(a.home().resolve("conf/openfire.xml"), StandardCharsets.UTF_8)
                .replaceAll("<nodeid>[^<]*</nodeid>", "");
        Map<String, String> portsOfA = ports(a);
        Map<String, String> portsOfB = ports(b);
        for (Map.Entry<String, String> port : portsOfA.entrySet()) {
            configuration = configuration.replace("<port>" + port.getValue() + "</port>",
                    "<port>" + portsOfB.get(port.getKey()) + "</port>");
        }
        Files.writeString(b.home().resolve("conf/openfire.xml"), configuration, StandardCharsets.UTF_8);
        for (String file : List.of("conf/security.xml", "resources/security/keystore")) {
            Files.copy(a.home().resolve(file), b.home().resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        start("b");
    }

    /** Member {@code a} or {@code b}. */
    public OpenfireServer member(String name) {
        OpenfireServer member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no member " + name);
        }
        return member;
    }

    /** The senior: the running member that started first (Hazelcast's oldest member). */
    public OpenfireServer senior() {
        return members.values().stream().filter(OpenfireServer::isRunning)
                .min(java.util.Comparator.comparing(startedAt::get)).orElseThrow(() -> new IllegalStateException(
                        "no member runs"));
    }

    /** The other member. */
    public OpenfireServer other(OpenfireServer member) {
        return members.values().stream().filter(each -> each != member).findFirst().orElseThrow();
    }

    public PostgresServer database() {
        return database;
    }

    /**
     * Starts a member (again), its ports written to the database first, and waits until it
     * accepts clients and has joined: its log, and every other running member's, counts the members
     * that run now.
     */
    public void start(String name) throws IOException, InterruptedException {
        start(member(name));
    }

    /** {@link #start(String)}. */
    public void start(OpenfireServer member) throws IOException, InterruptedException {
        database.sql(ports(member).entrySet().stream().map(port -> "DELETE FROM ofProperty WHERE name = '"
                + port.getKey() + "';\n" + insert(port.getKey(), port.getValue())).collect(Collectors.joining()));
        Map<OpenfireServer, Long> marks = new LinkedHashMap<>();
        for (OpenfireServer each : members.values()) {
            marks.put(each, each.logMark());
        }
        startedAt.put(member, starts++);
        member.start();
        int running = (int) members.values().stream().filter(OpenfireServer::isRunning).count();
        for (Map.Entry<OpenfireServer, Long> each : marks.entrySet()) {
            if (each.getKey().isRunning()) {
                awaitMembers(each.getKey(), each.getValue(), running);
            }
        }
    }

    /** Waits until a member's log since {@code mark} says the cluster has {@code size} members. */
    public static void awaitMembers(OpenfireServer member, long mark, int size) throws InterruptedException {
        member.awaitLog(mark, Pattern.compile("Members \\{size:" + size + ","), JOIN_TIMEOUT);
    }

    /** How many members the cluster had when {@code member} last logged it (0 if it never did since {@code mark}). */
    public static int lastMembers(OpenfireServer member, long mark) throws IOException {
        int size = 0;
        for (String line : member.logSince(mark)) {
            java.util.regex.Matcher matcher = MEMBERS.matcher(line);
            if (matcher.find()) {
                size = Integer.parseInt(matcher.group(1));
            }
        }
        return size;
    }

    /** Stops both members (at once: a test cluster needs no orderly shutdown) and the database; again does nothing. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (OpenfireServer member : members.values()) {
                member.kill();
                member.close();
            }
        } finally {
            database.close();
        }
    }

    /** Deletes the members' Openfire homes (after {@link #close}; a test keeps them for its report). */
    public void deleteHomes() throws IOException {
        for (OpenfireServer member : members.values()) {
            try (java.util.stream.Stream<Path> files = Files.walk(member.home())) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static Map<String, String> ports(OpenfireServer member) {
        Map<String, String> ports = new LinkedHashMap<>(member.ports().properties());
        ports.put("adminConsole.port", Integer.toString(member.ports().admin())); // openfire.xml only
        return ports;
    }

    private static String insert(String name, String value) {
        if (name.equals("adminConsole.port")) {
            return "";
        }
        return "INSERT INTO ofProperty (name, propValue, encrypted) VALUES ('" + name.replace("'", "''") + "', '"
                + value.replace("'", "''") + "', 0);\n";
    }

    /** The Hazelcast clustering plugin: {@code hazelcast.jar} beside the distribution. */
    private static Path hazelcastJar() {
        Path jar = OpenfireDistribution.require().resolveSibling("hazelcast.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Hazelcast clustering plugin at " + jar + " (beside the distribution)");
        }
        return jar;
    }

    private String hazelcastConfig(int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <hazelcast xmlns="http://www.hazelcast.com/schema/config">
                  <network>
                    <port auto-increment="false">%d</port>
                    <join>
                      <multicast enabled="false"/>
                      <tcp-ip enabled="true"><member>127.0.0.1:%d</member><member>127.0.0.1:%d</member></tcp-ip>
                    </join>
                    <interfaces enabled="true"><interface>127.0.0.1</interface></interfaces>
                  </network>
                </hazelcast>
                """.formatted(port, hazelcastPorts[0], hazelcastPorts[1]);
    }
}
