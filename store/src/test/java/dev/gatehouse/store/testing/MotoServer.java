package dev.gatehouse.store.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code python3 -m moto.server}, Apache-2.0), an open-source engine for the DynamoDB (and S3) API,
 * started by the tests themselves on a free loopback port and stopped by its process id. Shipped in the store
 * test-jar so every module's tests start it the same way.
 *
 * <p>{@link #shared()} is one server for the whole test JVM (tests keep apart by table name); {@link #start()} is one
 * of the caller's own, stopped by {@link #close()}. The interpreter is {@code python3} unless the system property or
 * environment variable {@code MOTO_PYTHON} names another. moto accepts any access key; the region is the client's.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String PYTHON_SETTING = "MOTO_PYTHON";
    /**
     * What {@code python3 -m moto.server} runs, but on one thread: moto's backends take no lock, so on its default
     * threaded server two conditional writes racing on one item can both pass their check (a lost update in the item
     * store's contract). One request at a time makes each DynamoDB call atomic, as it is on DynamoDB.
     */
    private static final String LAUNCHER = "import sys\n"
            + "from moto.server import DomainDispatcherApplication, create_backend_app\n"
            + "from werkzeug.serving import run_simple\n"
            + "run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)\n";

    private static MotoServer shared;

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            MotoServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-server-stop"));
        }
        return shared;
    }

    /** A server of the caller's own on a free loopback port, answering once this returns. */
    public static MotoServer start() {
        int port = Loopback.freePort();
        try {
            Path log = Files.createTempFile("moto-server-" + port + "-", ".log");
            Process process = new ProcessBuilder(List.of(python(), "-c", LAUNCHER, "127.0.0.1", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port, log);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start moto's server (" + python() + " -m moto.server): is moto[server]"
                            + " installed? .ci/run installs it; see docs/storage.md",
                    e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint to give an AWS SDK client. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The operating system's id of the server process. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server process (and only it) by its pid; waits for it to exit. */
    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "moto's server exited with " + process.exitValue() + " before listening: " + tail()
                                + " (is moto[server] installed for " + python() + "? see docs/storage.md)");
            }
            if (Loopback.accepts(port)) {
                return;
            }
            Loopback.pause(50);
        }
        close();
        throw new IllegalStateException(
                "moto's server did not listen on port " + port + " within " + START_TIMEOUT + ": " + tail());
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String python() {
        String configured = System.getProperty(PYTHON_SETTING, System.getenv(PYTHON_SETTING));
        return configured == null || configured.isBlank() ? "python3" : configured;
    }
}
