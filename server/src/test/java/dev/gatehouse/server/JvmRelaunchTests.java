package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmRelaunchTests {

    private static final List<String> NO_ARCHIVE = List.of();

    @Test
    void settingsWhenNoOptionsGivenThenSerialCollectorSmallHeapAndArchiveOptions() {
        List<String> settings =
                JvmSettings.forOptions(List.of("-Dx=1"), options -> List.of("archive-of-" + options.size()));

        // the archive's options are computed for the whole command line: the settings plus the operator's options
        assertThat(settings)
                .containsExactly(
                        "-XX:+UseSerialGC",
                        "-Xms16m",
                        "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=30",
                        "-Dgatehouse.heap.launcher-ratios=true",
                        "archive-of-6");
    }

    @Test
    void settingsWhenOperatorChoseCollectorAndHeapThenNeitherAdded() {
        List<String> settings = JvmSettings.forOptions(
                List.of("-XX:+UseG1GC", "-Xms64m", "-XX:MaxHeapFreeRatio=50"), options -> NO_ARCHIVE);

        assertThat(settings).isEmpty();
    }

    @Test
    void settingsWhenOperatorSetInitialHeapSizeThenNoXms() {
        assertThat(JvmSettings.forOptions(List.of("-XX:InitialHeapSize=33554432"), options -> NO_ARCHIVE))
                .containsExactly(
                        "-XX:+UseSerialGC",
                        "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=30",
                        "-Dgatehouse.heap.launcher-ratios=true");
        assertThat(JvmSettings.forOptions(List.of("-XX:+UseParallelGC"), options -> NO_ARCHIVE))
                .containsExactly(
                        "-Xms16m",
                        "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=30",
                        "-Dgatehouse.heap.launcher-ratios=true");
    }

    @Test
    void settingsWhenOperatorSetOneHeapFreeRatioThenNeitherAdded() {
        // the JVM refuses a minimum above the maximum: ours are not mixed with theirs
        assertThat(JvmSettings.forOptions(
                        List.of("-XX:MaxHeapFreeRatio=5", "-XX:+UseSerialGC", "-Xms8m"), o -> NO_ARCHIVE))
                .isEmpty();
    }

    @Test
    void optionsWhenStartedWithJarThenTokensBeforeDashJar() {
        String[] args = {"--aws-port", "0"};

        assertThat(JvmRelaunch.optionsBefore(
                        List.of("-Xmx1g", "-cp", "x.jar", "-jar", "/a/gatehouse.jar", "--aws-port", "0"),
                        args,
                        "/a/gatehouse.jar --aws-port 0"))
                .contains(List.of("-Xmx1g", "-cp", "x.jar"));
        assertThat(JvmRelaunch.optionsBefore(
                        List.of("-Dy=1", "dev.gatehouse.server.Launcher", "--aws-port", "0"),
                        args,
                        "dev.gatehouse.server.Launcher --aws-port 0"))
                .contains(List.of("-Dy=1"));
    }

    @Test
    void optionsWhenCommandLineDoesNotEndWithArgumentsOrHidesOptionsThenNotRead() {
        String[] args = {"--stage", "prod"};

        // another main than the command names, other arguments, too few tokens: the JVM's own list is asked instead
        assertThat(JvmRelaunch.optionsBefore(List.of("-jar", "g.jar", "--stage", "prod"), args, "other.jar"))
                .isEmpty();
        assertThat(JvmRelaunch.optionsBefore(List.of("-jar", "g.jar", "--stage", "dev"), args, "g.jar --stage prod"))
                .isEmpty();
        assertThat(JvmRelaunch.optionsBefore(List.of("prod"), args, "g.jar")).isEmpty();
        // options read from files are not on the command line
        assertThat(JvmRelaunch.optionsBefore(List.of("@opts", "-jar", "g.jar", "--stage", "prod"), args, "g.jar"))
                .isEmpty();
        assertThat(JvmRelaunch.optionsBefore(
                        List.of("-XX:Flags=.hotspotrc", "-jar", "g.jar", "--stage", "prod"), args, "g.jar"))
                .isEmpty();
    }

    @Test
    void givenOptionsWhenReadInThisJvmThenSameAsTheJvmsOwnList() {
        // this test JVM: surefire's java [options] -jar booter.jar <arguments without spaces>
        String[] command = System.getProperty("sun.java.command", "").split(" ");
        String[] args = java.util.Arrays.copyOfRange(command, 1, command.length);
        List<String> own =
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();

        List<String> tokens = JvmRelaunch.commandLine();

        assertThat(JvmRelaunch.optionsBefore(tokens.subList(1, tokens.size()), args, command[0]))
                .contains(own);
        assertThat(JvmRelaunch.givenOptions(args)).containsExactlyElementsOf(own);
    }

    @Test
    void libraryDirectoriesWhenListedThenExistingDirectoriesWithoutLdconfig() {
        String directories = JvmRelaunch.libraryDirectories();

        assertThat(directories.split(java.io.File.pathSeparator))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(Path.of(d)).isDirectory())
                .contains("/usr/lib");
    }

    @Test
    void commandWhenBuiltThenSettingsFirstOperatorOptionsAfterThemThenMainAndArguments() {
        List<String> command = JvmRelaunch.command(
                "/jdk/bin/java", List.of("-XX:+UseSerialGC"), List.of("-Xmx512m", "-XX:+UseSerialGC"), new String[] {
                    "--aws-port", "0"
                });

        assertThat(command.subList(0, 5))
                .containsExactly(
                        "/jdk/bin/java",
                        "-XX:+UseSerialGC",
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-D" + JvmRelaunch.LAUNCHED + "=true");
        assertThat(command.subList(command.size() - 3, command.size()))
                .containsExactly("dev.gatehouse.server.Main", "--aws-port", "0");
    }

    @Test
    void environmentWhenRelaunchedThenOptionVariablesDroppedAndMallocArenasLimited() {
        String[] environment = JvmRelaunch.childEnvironment(
                Map.of("PATH", "/usr/bin", "JAVA_TOOL_OPTIONS", "-Dx=1", "JDK_JAVA_OPTIONS", "-Dy=2"));

        assertThat(environment).containsExactlyInAnyOrder("PATH=/usr/bin", "MALLOC_ARENA_MAX=2");
    }

    @Test
    void environmentWhenOperatorSetMallocArenasThenKept() {
        assertThat(JvmRelaunch.childEnvironment(Map.of("MALLOC_ARENA_MAX", "8")))
                .containsExactly("MALLOC_ARENA_MAX=8");
    }

    @Test
    void wantedWhenHelpOrVersionAskedThenNoRelaunch() {
        assertThat(JvmRelaunch.wanted(new String[] {"--help"})).isFalse();
        assertThat(JvmRelaunch.wanted(new String[] {"-V"})).isFalse();
    }

    @Test
    void archiveOptionsWhenOperatorChoseClassDataOptionsThenNone() {
        assertThat(ClassArchive.optionsFor(List.of("-Xshare:off"))).isEmpty();
        assertThat(ClassArchive.optionsFor(List.of("-XX:SharedArchiveFile=/x.jsa")))
                .isEmpty();
    }

    @Test
    void archiveKeyWhenAnOptionChangesThenAnotherArchive() {
        assertThat(ClassArchive.key(List.of("-Xmx512m"))).isEqualTo(ClassArchive.key(List.of("-Xmx512m")));
        assertThat(ClassArchive.key(List.of("-Xmx512m"))).isNotEqualTo(ClassArchive.key(List.of("-Xmx1g")));
        assertThat(ClassArchive.key(List.of("-Xmx512m", "-Dgatehouse.argon2=bouncycastle", "-Xlog:gc")))
                .isEqualTo(ClassArchive.key(List.of("-Xmx512m")));
    }

    @Test
    void directoryWhenCacheHomeGivenThenCreatedOwnerOnly(@TempDir Path cache) throws IOException {
        Path directory = ClassArchive.directory(Map.of("XDG_CACHE_HOME", cache.toString()))
                .orElseThrow();

        assertThat(directory).isEqualTo(cache.resolve("gatehouse").resolve("cds"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
    }

    @Test
    void directoryWhenOthersMayWriteItThenNotUsed(@TempDir Path cache) throws IOException {
        Path directory = Files.createDirectories(cache.resolve("gatehouse").resolve("cds"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(ClassArchive.directory(Map.of("XDG_CACHE_HOME", cache.toString())))
                .isEmpty();
    }

    @Test
    void checkedWhenStampMissingOrSizeDiffersThenArchiveNotMapped(@TempDir Path directory) throws IOException {
        Path archive = Files.write(directory.resolve("gatehouse-0123.jsa"), new byte[1000]);
        assertThat(ClassArchive.checked(archive)).isFalse();

        Files.writeString(directory.resolve("gatehouse-0123.jsa.ok"), "1000");
        assertThat(ClassArchive.checked(archive)).isTrue();

        // cut short after it was checked (the JVM would crash mapping it)
        Files.write(archive, new byte[500]);
        assertThat(ClassArchive.checked(archive)).isFalse();
    }
}
