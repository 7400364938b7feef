package dev.gatehouse.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) started by the tests themselves: {@code initdb} into
 * a temporary directory, then {@code postgres} on a free loopback port with no other listener (no Unix socket), stopped
 * by its process id and its directory removed. Shipped in the store test-jar next to {@link MotoServer} so every
 * module's tests start it the same way.
 *
 * <p>The cluster has one superuser, {@value #USER}, with the password {@value #PASSWORD} (scram-sha-256 over TCP),
 * and the database {@value #USER}. {@link #createDatabase} gives a test a database of its own. The binaries come from
 * {@code PG_BIN} (system property or environment variable) or the newest {@code /usr/lib/postgresql/<version>/bin}.
 * {@code synchronous_commit} is on (a commit returns once written to the WAL), but {@code fsync} is off: the cluster
 * lives only as long as its test, a killed node or a killed {@code postgres} loses nothing the kernel holds, and
 * only a power cut would (which no test makes).
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "gatehouse";
    public static final String PASSWORD = "gatehouse-test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String BIN_SETTING = "PG_BIN";
    private static final String SERVER_USER = "postgres";
    private static PostgresServer shared;

    private final Process process;
    private final int port;
    private final Path dir;

    private PostgresServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-server-stop"));
        }
        return shared;
    }

    /** A server of the caller's own on a free loopback port, accepting connections once this returns. */
    public static PostgresServer start() {
        Path bin = bin();
        try {
            Path dir = Files.createTempDirectory("gatehouse-pg-");
            initdb(bin, dir);
            int port = Loopback.freePort();
            Process process = new ProcessBuilder(asServerUser(List.of(
                            bin.resolve("postgres").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-h",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(port),
                            "-k",
                            "",
                            "-c",
                            "max_connections=200",
                            "-c",
                            "shared_buffers=16MB",
                            "-c",
                            "fsync=off",
                            "-c",
                            "full_page_writes=off")))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("postgres.log").toFile())
                    .start();
            PostgresServer server = new PostgresServer(process, port, dir);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start PostgreSQL from " + bin
                            + ": is Debian's postgresql package installed? .ci/run installs it; see docs/storage.md",
                    e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The URL of the cluster's default database, {@value #USER}. */
    public String jdbcUrl() {
        return jdbcUrl(USER);
    }

    /**
     * Creates an empty database named {@code name} (lower-case letters, digits and {@code _}) with {@code createdb}.
     *
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        run(
                List.of(
                        bin().resolve("createdb").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        USER,
                        name),
                dir,
                true);
        return jdbcUrl(name);
    }

    public int port() {
        return port;
    }

    /** The operating system's id of the server process. */
    public long pid() {
        return process.pid();
    }

    /**
     * Stops the server by its pid with an immediate shutdown (SIGQUIT: no checkpoint, since the cluster is thrown
     * away), waits for it, and removes its directory.
     */
    @Override
    public void close() {
        try {
            new ProcessBuilder(List.of("kill", "-QUIT", Long.toString(process.pid())))
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private static void initdb(Path bin, Path dir) throws IOException {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        if (isRoot()) {
            run(List.of("chown", "-R", SERVER_USER + ":", dir.toString()), dir, false);
        }
        run(
                asServerUser(List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        USER,
                        "--pwfile=" + passwordFile,
                        "--auth=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync")),
                dir,
                false);
    }

    /**
     * PostgreSQL refuses to run as root: as root (a CI container), the server runs as the package's {@value
     * #SERVER_USER} user through {@code setpriv}, which execs, so the process id stays the server's.
     */
    private static List<String> asServerUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_USER, "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, Path dir, boolean withPassword) {
        List<String> args = new ArrayList<>(command);
        try {
            Path log = Files.createTempFile(dir, "cmd-", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
            if (withPassword) {
                builder.environment().put("PGPASSWORD", PASSWORD);
            }
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(args.get(0) + " did not finish: " + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        args.get(0) + " failed with " + process.exitValue() + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + args.get(0), e);
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "postgres exited with " + process.exitValue() + " before listening: " + log());
            }
            if (Loopback.accepts(port)) {
                return;
            }
            Loopback.pause(50);
        }
        close();
        throw new IllegalStateException("postgres did not listen on port " + port + " within " + START_TIMEOUT);
    }

    private String log() {
        try {
            String text = Files.readString(dir.resolve("postgres.log"));
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path bin() {
        String configured = System.getProperty(BIN_SETTING, System.getenv(BIN_SETTING));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion))
                    .orElseThrow(
                            () -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: install Debian's"
                                    + " postgresql package or set " + BIN_SETTING));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL under /usr/lib/postgresql: install Debian's postgresql" + " package or set "
                            + BIN_SETTING,
                    e);
        }
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
