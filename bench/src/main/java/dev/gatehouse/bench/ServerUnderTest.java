package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server as its users start it, a child process on loopback: Gatehouse ({@code java -jar gatehouse.jar}, its own
 * temporary data dir and free ports) or cognito-local ({@code node …/cognito-local}, a free {@code PORT}). Knows its
 * pid, so that the resident set can be read from {@code /proc/<pid>/status}, and is stopped by that pid only.
 */
final class ServerUnderTest implements AutoCloseable {

    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final Path workDir;
    private final long readyNanos;
    private final Map<String, String> outputs;
    private final boolean deleteOnClose;

    private ServerUnderTest(
            Process process, Path workDir, long readyNanos, Map<String, String> outputs, boolean deleteOnClose) {
        this.process = process;
        this.workDir = workDir;
        this.readyNanos = readyNanos;
        this.outputs = outputs;
        this.deleteOnClose = deleteOnClose;
    }

    /** {@code java [jvmOptions] -jar jar --data-dir … --aws-port 0 --outputs-file …}; ready when its health is 200. */
    static ServerUnderTest gatehouse(Path jar, List<String> jvmOptions) throws IOException {
        return gatehouse(jar, jvmOptions, Files.createTempDirectory("gatehouse-bench-"), true);
    }

    /**
     * The same on {@code dir/data}, which may hold a store already (the caller's: {@code dir} is kept at close, for
     * the next start on the same data).
     */
    static ServerUnderTest gatehouseIn(Path jar, List<String> jvmOptions, Path dir) throws IOException {
        return gatehouse(jar, jvmOptions, dir, false);
    }

    private static ServerUnderTest gatehouse(Path jar, List<String> jvmOptions, Path dir, boolean deleteOnClose)
            throws IOException {
        Path outputsFile = dir.resolve("outputs.json");
        Files.deleteIfExists(outputsFile);
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toAbsolutePath().toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--aws-port",
                "0",
                "--outputs-file",
                outputsFile.toString()));
        long start = System.nanoTime();
        Process process = start(command, dir, Map.of());
        awaitReady(process, () -> Files.exists(outputsFile) && healthy(readOutputs(outputsFile)));
        long ready = System.nanoTime() - start;
        return new ServerUnderTest(process, dir, ready, readOutputs(outputsFile), deleteOnClose);
    }

    /** {@code node <installDir>/node_modules/cognito-local/…} on a free port; ready when it answers HTTP. */
    static ServerUnderTest cognitoLocal(Path installDir) throws IOException {
        Path dir = Files.createTempDirectory("cognito-local-bench-");
        int port = freePort();
        Path script = installDir.resolve("node_modules/cognito-local/lib/bin/start.js");
        long start = System.nanoTime();
        Process process = start(
                List.of("node", script.toString()), dir, Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1"));
        String endpoint = "http://127.0.0.1:" + port;
        awaitReady(process, () -> answers(endpoint));
        long ready = System.nanoTime() - start;
        return new ServerUnderTest(process, dir, ready, Map.of("AwsEndpoint", endpoint), true);
    }

    /** Nanoseconds from the process's start to its first ready answer. */
    long readyNanos() {
        return readyNanos;
    }

    long pid() {
        return process.pid();
    }

    String output(String name) {
        String value = outputs.get(name);
        if (value == null) {
            throw new IllegalStateException("no " + name + " in the outputs");
        }
        return value;
    }

    /** The resident set now ({@code VmRSS}), in KiB. */
    long rssKib() {
        return statusKib("VmRSS:");
    }

    /** The largest resident set so far ({@code VmHWM}), in KiB. */
    long peakRssKib() {
        return statusKib("VmHWM:");
    }

    private long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(
                            line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /** SIGTERM to the one process started, then SIGKILL after 20 s; its temporary directory deleted (if it made it). */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (deleteOnClose) {
            LoadDriver.deleteTree(workDir);
        }
    }

    private static Process start(List<String> command, Path dir, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void awaitReady(Process process, BooleanSupplier ready) {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("server did not become ready: " + process);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static boolean healthy(Map<String, String> outputs) {
        String endpoint = outputs.get("AwsEndpoint");
        return endpoint != null
                && status(endpoint + "/_gatehouse/health").filter(s -> s == 200).isPresent();
    }

    private static boolean answers(String endpoint) {
        return status(endpoint + "/").isPresent();
    }

    private static Optional<Integer> status(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(200);
            connection.setReadTimeout(2000);
            int code = connection.getResponseCode();
            connection.disconnect();
            return Optional.of(code);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> readOutputs(Path file) {
        try {
            JsonNode tree = new ObjectMapper().readTree(file.toFile());
            Map<String, String> values = new java.util.LinkedHashMap<>();
            tree.fields()
                    .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * When this start is the one that writes the jar's class-data archive (its first; docs/server.md), waits until it
     * has written it (or said why not), at most 120 s, so that the measured starts are the ones users see from the
     * second start on.
     */
    void awaitClassArchive() throws IOException, InterruptedException {
        String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
        if (!commandLine.contains("gatehouse.cds.dump")) {
            return;
        }
        Path log = workDir.resolve("server.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Class-data archive written") || text.contains("No class-data archive")) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
