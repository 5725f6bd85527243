package org.clientproxy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.clientproxy.testing.ServerProcess;

/**
 * A throwaway PostgreSQL (Debian's package, {@code /usr/lib/postgresql/<version>/bin}) on a free
 * loopback port: its own data directory under the temporary directory, no durability (a test's
 * database), one database. As root it runs as the {@code postgres} user, as PostgreSQL insists.
 * Missing PostgreSQL is a failure, never a skip: {@code scripts/test} installs it.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final long STOP_SECONDS = 30;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String database;

    private PostgresServer(Path bin, Path dir, int port, String database) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.database = database;
    }

    /** Creates a cluster, starts it and creates {@code database} in it. */
    public static PostgresServer start(String database) throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("clientproxy-postgres-");
        PostgresServer server = new PostgresServer(bin, dir, ServerProcess.freePorts(1)[0], database);
        try {
            if (isRoot()) {
                run(List.of("chown", "postgres:", dir.toString()));
            }
            server.runAsOwner("initdb", "-D", server.data().toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync");
            server.runAsOwner("pg_ctl", "-D", server.data().toString(), "-l", dir.resolve("log").toString(), "-w", "-t",
                    "60", "-o", "-p " + server.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off", "start");
            server.runAsOwner("createdb", "-h", "127.0.0.1", "-p", Integer.toString(server.port), "-U", "postgres",
                    database);
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The JDBC URL of the database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** Runs SQL statements (with {@code psql}, stopping at the first error). */
    public void sql(String statements) throws IOException, InterruptedException {
        Path file = dir.resolve("statement.sql");
        Files.writeString(file, statements, StandardCharsets.UTF_8);
        sqlFile(file);
    }

    /** Runs the SQL statements of a file, e.g. a schema. */
    public void sqlFile(Path file) throws IOException, InterruptedException {
        Path readable = file;
        if (isRoot()) {
            // The postgres user may not be able to read where the file is: hand it a copy of its own.
            readable = dir.resolve("input-" + System.nanoTime() + ".sql");
            Files.copy(file, readable);
            run(List.of("chown", "postgres:", readable.toString()));
        }
        runAsOwner("psql", "-q", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-d", database,
                "-v", "ON_ERROR_STOP=1", "-f", readable.toString());
    }

    /** Stops the server at once (a test database needs no clean shutdown) and deletes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                runAsOwner("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void runAsOwner(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** The binaries of the newest PostgreSQL Debian installed. */
    private static Path binaries() throws IOException {
        if (Files.isDirectory(DEBIAN_BINARIES)) {
            try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
                Path newest = versions.filter(version -> version.getFileName().toString().matches("\\d+")
                                && Files.isExecutable(version.resolve("bin/postgres")))
                        .max(Comparator.comparing(version -> Integer.parseInt(version.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (" + DEBIAN_BINARIES + "/<version>/bin);"
                + " scripts/test installs Debian's postgresql package");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
