package dev.gatehouse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server, {@code java -jar server/target/gatehouse.jar}, as a child process on free loopback ports with its own data
 * directory and outputs file (the minimal part of server's GatehouseProcess the CLI's tests need), and the CLI jar run
 * as a process against it.
 */
final class StackProcess implements BeforeAllCallback, AfterAllCallback {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);

    /** What one CLI run printed, and its exit code. */
    record Run(int exitCode, String stdout, String stderr) {}

    private final Path workDir;
    private final Path outputsFile;
    private @Nullable Process process;
    private @Nullable StackOutputs outputs;

    StackProcess(String name) {
        this.workDir = Path.of(System.getProperty("gatehouse.it.dir", "target/it"))
                .toAbsolutePath()
                .resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        this.outputsFile = workDir.resolve("outputs.json");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("server.log");
        List<String> command = List.of(
                java(),
                "-Xmx384m",
                "-jar",
                jar("gatehouse.jar", "server/target/gatehouse.jar"),
                "--data-dir",
                workDir.resolve("data").toString(),
                "--aws-port",
                "0",
                "--outputs-file",
                outputsFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        Process started = builder.start();
        process = started;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Optional<StackOutputs> read = readOutputs();
            if (read.isPresent()) {
                outputs = read.get();
                return;
            }
            if (!started.isAlive() || System.nanoTime() > deadline) {
                started.destroyForcibly();
                throw new AssertionError("the server did not write " + outputsFile + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private Optional<StackOutputs> readOutputs() {
        if (!Files.exists(outputsFile)) {
            return Optional.empty();
        }
        try {
            StackOutputs read = StackOutputs.read(outputsFile);
            return read.get(StackOutputs.API_ENDPOINT).isPresent() ? Optional.of(read) : Optional.empty();
        } catch (CliException e) {
            return Optional.empty(); // still being written
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    StackOutputs outputs() {
        StackOutputs o = outputs;
        if (o == null) {
            throw new IllegalStateException("not started");
        }
        return o;
    }

    String output(String name) {
        return outputs().get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + outputsFile));
    }

    Path outputsFile() {
        return outputsFile;
    }

    /** Runs {@code java -jar cli/target/gatehouse-cli.jar args…} and waits for it. */
    Run cli(String... args) {
        List<String> command =
                new ArrayList<>(List.of(java(), "-jar", jar("gatehouse.cli.jar", "target/gatehouse-cli.jar")));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "cli", ".out");
            Path err = Files.createTempFile(workDir, "cli", ".err");
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the CLI did not finish within " + CLI_TIMEOUT + ": " + command);
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar.toAbsolutePath() + " not found: build it first (mvn -B -pl cli -am verify)");
        }
        return jar.toAbsolutePath().toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
