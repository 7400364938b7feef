package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar gatehouse.jar} on Linux: the same process goes on in a JVM with the server's settings; the first
 * start has a training JVM write the jar's class-data archive, the next maps it; {@code -Dgatehouse.relaunch=false}
 * keeps the JVM as started. Each test runs its own server with its own cache directory.
 */
class LauncherIT {

    @Test
    void startWhenRunAsJarThenSameProcessRunsWithSettingsAndTheNextStartMapsTheArchive(@TempDir Path cache)
            throws Exception {
        try (GatehouseProcess gatehouse =
                GatehouseProcess.create("launcher").withEnvironment("XDG_CACHE_HOME", cache.toString())) {
            gatehouse.start();
            assertThat(commandLine(gatehouse.pid()))
                    .contains("-XX:+UseSerialGC", "-Xms16m", "-Dgatehouse.launched=true")
                    .anyMatch(option -> option.startsWith("-Dgatehouse.cds.dump="))
                    .contains("-Xmx512m"); // the test's own option, kept
            new Journeys(gatehouse).signUpConfirmed(TestUsers.email("launched"), TestUsers.PASSWORD);
            // the start ran with the returning heap ratios; once ready the heap works with the JVM's own
            awaitFlags(gatehouse.pid(), "MinHeapFreeRatio = 40", "MaxHeapFreeRatio = 70");

            Path archive = awaitArchive(cache.resolve("gatehouse").resolve("cds"));
            gatehouse.restart();

            assertThat(commandLine(gatehouse.pid())).contains("-XX:SharedArchiveFile=" + archive);
            assertThat(Files.readString(Path.of("/proc", Long.toString(gatehouse.pid()), "maps")))
                    .contains(archive.toString());
            new Journeys(gatehouse).signUpConfirmed(TestUsers.email("mapped"), TestUsers.PASSWORD);
        }
    }

    @Test
    void startWhenRelaunchTurnedOffThenTheJvmAsStarted(@TempDir Path cache) throws Exception {
        try (GatehouseProcess gatehouse = GatehouseProcess.create("not-launched")
                .withEnvironment("XDG_CACHE_HOME", cache.toString())
                .withEnvironment("JAVA_TOOL_OPTIONS", "-Dgatehouse.relaunch=false")) {
            gatehouse.start();

            assertThat(commandLine(gatehouse.pid()))
                    .doesNotContain("-XX:+UseSerialGC", "-Dgatehouse.launched=true")
                    .contains("-jar");
            new Journeys(gatehouse).signUpConfirmed(TestUsers.email("as-started"), TestUsers.PASSWORD);
        }
    }

    @Test
    void stopWhileTrainingThenNoTrainingJvmOrFileIsLeftAndAHeldLockMeansNoTraining(
            @TempDir Path cache, @TempDir Path temporary) throws Exception {
        Path cds = cache.resolve("gatehouse").resolve("cds");
        // a training directory left by a killed server two hours ago, and one of a training still running
        Path abandoned =
                Files.createDirectories(temporary.resolve("gatehouse-cds-1").resolve("data"));
        Files.setLastModifiedTime(abandoned.getParent(), FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
        Path running = Files.createDirectories(temporary.resolve("gatehouse-cds-2"));
        Path archive;
        try (GatehouseProcess gatehouse = GatehouseProcess.create("training-stopped")
                .withEnvironment("XDG_CACHE_HOME", cache.toString())
                .withEnvironment("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temporary)) {
            gatehouse.start();
            archive = Path.of(commandLine(gatehouse.pid()).stream()
                    .filter(option -> option.startsWith("-Dgatehouse.cds.dump="))
                    .findFirst()
                    .orElseThrow()
                    .substring("-Dgatehouse.cds.dump=".length()));
            ProcessHandle trainer = awaitTrainer(gatehouse.pid());
            assertThat(abandoned.getParent()).doesNotExist();
            assertThat(running).isDirectory();
            Files.delete(running);
            gatehouse.stop();

            assertThat(trainer.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(filesIn(cds)).noneMatch(f -> f.endsWith(".tmp") || f.endsWith(".jsa"));
            assertThat(filesIn(temporary)).noneMatch(f -> f.startsWith("gatehouse-cds-"));

            // another process training for the same archive: this start trains none
            try (FileChannel channel = FileChannel.open(
                            archive.resolveSibling(archive.getFileName() + ".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                gatehouse.start();
                awaitLogLine(gatehouse, "another process is writing " + archive);
                assertThat(trainers(gatehouse.pid())).isEmpty();
                assertThat(filesIn(temporary)).noneMatch(f -> f.startsWith("gatehouse-cds-"));
            }
        }
        assertThat(filesIn(cds)).noneMatch(f -> f.endsWith(".tmp"));
    }

    /** The training JVM the server at {@code pid} started (its command line asks for an archive at exit), within 30 s. */
    private static ProcessHandle awaitTrainer(long pid) throws IOException, InterruptedException {
        return await(30, 20, () -> trainers(pid).stream().findFirst(), () -> "no training JVM under " + pid);
    }

    private static List<ProcessHandle> trainers(long pid) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        for (ProcessHandle child :
                ProcessHandle.of(pid).orElseThrow().descendants().toList()) {
            try {
                if (commandLine(child.pid()).stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="))) {
                    found.add(child);
                }
            } catch (IOException e) {
                // exited meanwhile
            }
        }
        return found;
    }

    private static void awaitLogLine(GatehouseProcess gatehouse, String text) throws IOException, InterruptedException {
        await(
                30,
                100,
                () -> gatehouse.logTail().contains(text) ? Optional.of(true) : Optional.empty(),
                () -> "no line with \"" + text + "\"\n" + gatehouse.logTail());
    }

    /** Waits up to 15 s for {@code jcmd <pid> VM.flags -all} to show every one of {@code flags}. */
    private static void awaitFlags(long pid, String... flags) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String[] shown = {""};
        await(
                15,
                500,
                () -> {
                    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.flags", "-all")
                            .redirectErrorStream(true)
                            .start();
                    shown[0] = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .replaceAll(" +", " ");
                    return Arrays.stream(flags).allMatch(shown[0]::contains) ? Optional.of(true) : Optional.empty();
                },
                () -> "flags " + Arrays.toString(flags) + " not shown:\n" + shown[0]);
    }

    /** What one look found, or empty to look again. */
    private interface Look<T> {
        Optional<T> find() throws IOException, InterruptedException;
    }

    /** Looks every {@code pollMillis} until {@code look} finds something; fails with {@code missing} after that long. */
    private static <T> T await(int seconds, long pollMillis, Look<T> look, Supplier<String> missing)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Optional<T> found = look.find();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(pollMillis);
        }
        throw new AssertionError(missing.get() + " (waited " + seconds + " s)");
    }

    private static List<String> filesIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        return Arrays.asList(raw.split("\0"));
    }

    /** The archive once written and checked (its {@code .ok} stamp), within 90 s. */
    private static Path awaitArchive(Path directory) throws IOException, InterruptedException {
        String stamp = await(
                90,
                200,
                () -> filesIn(directory).stream()
                        .filter(f -> f.endsWith(".jsa.ok"))
                        .findFirst(),
                () -> "no class-data archive in " + directory);
        return directory.resolve(stamp.substring(0, stamp.length() - ".ok".length()));
    }
}
