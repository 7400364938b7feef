package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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

    private static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        return Arrays.asList(raw.split("\0"));
    }

    /** The archive once written and checked (its {@code .ok} stamp), within 90 s. */
    private static Path awaitArchive(Path directory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<Path> stamp = Optional.empty();
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    stamp = files.filter(f -> f.toString().endsWith(".jsa.ok")).findFirst();
                }
            }
            if (stamp.isPresent()) {
                String name = stamp.get().getFileName().toString();
                return directory.resolve(name.substring(0, name.length() - ".ok".length()));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no class-data archive in " + directory + " after 90 s");
    }
}
