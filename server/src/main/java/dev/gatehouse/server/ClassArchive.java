package dev.gatehouse.server;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jar's dynamic class-data archive (AppCDS, JDK 17's {@code VM.cds dynamic_dump}): the classes a start loads,
 * already parsed, verified and laid out, mapped from one file instead of read from the jar. Made once per jar, JVM and
 * set of options: once the first start is ready, a training JVM at low priority (the same options, the built-in stack
 * in a temporary directory) starts, stops, and its exit writes the archive to a temporary name renamed into place;
 * every later start maps it. The file is {@code gatehouse-<key>.jsa} in {@code $XDG_CACHE_HOME/gatehouse/cds} (default
 * {@code ~/.cache/gatehouse/cds}), a directory only its owner may write, since the JVM trusts what it maps; the key
 * hashes the JVM (version, home), the class path (each entry's path, size and modification time) and every option
 * but system properties and logging, so a rebuilt jar or a changed JVM option makes a new one. The JVM checks the
 * archive when mapping it and ignores one that does not match; the server then deletes it, so the next start makes it
 * anew. An archive is only ever mapped once a test JVM mapped it cleanly and its size was stamped beside it (a damaged
 * archive crashes the JVM that maps it). Nothing is archived when the JDK has no base archive or when the operator
 * chose class-data options of their own. One process at a time trains for an archive (a lock file beside it); a
 * server that stops while its training runs stops the training JVM and removes its temporary files.
 */
final class ClassArchive {

    /** The archive this JVM was started with. */
    static final String IN_USE = "gatehouse.cds.archive";

    /** Where the archive for this JVM's options goes: made by a training JVM once this one is ready. */
    static final String TO_WRITE = "gatehouse.cds.dump";

    /** Set on the training JVM: it stops as soon as it is ready, and its exit writes the archive. */
    static final String TRAINING = "gatehouse.cds.training";

    /** Archives kept in the directory (several jars or option sets in use at once); older ones are deleted. */
    static final int KEPT = 6;

    private static final long MIN_FREE_BYTES = 512L << 20;

    /** A training's data directory in the temporary directory. */
    private static final String WORK_PREFIX = "gatehouse-cds-";

    /** The training JVM's start and exit (with the archive written) take a few seconds; it is stopped after this. */
    private static final long TRAINING_SECONDS = 180;

    /** How long the test JVM that maps a new archive may take. */
    private static final long MAP_CHECK_SECONDS = 60;

    /** Temporary archives and training directories older than this are left over (a training takes minutes). */
    private static final long LEFT_OVER_MILLIS = 3_600_000L;

    private static final List<String> OPERATOR_CHOICES = List.of(
            "SharedArchiveFile",
            "ArchiveClassesAtExit",
            "RecordDynamicDumpInfo",
            "-Xshare",
            "UseSharedSpaces",
            "SharedClassListFile",
            "DumpLoadedClassList");

    /** The JVM's own messages about archives (a class it cannot archive, an archive it ignores) would go to stdout. */
    static final String QUIET = "-Xlog:cds*=off";

    private ClassArchive() {}

    /** Not a static field: the launcher uses this class before logging is set up, and must not set it up. */
    private static Logger log() {
        return LoggerFactory.getLogger(ClassArchive.class);
    }

    /** The class-data options for a JVM started with {@code options}: map the archive, or record for one. */
    static List<String> optionsFor(List<String> options) {
        // Loops rather than streams on the launcher's path: a JVM's first lambda costs milliseconds to set up.
        for (String option : options) {
            for (String choice : OPERATOR_CHOICES) {
                if (option.contains(choice)) {
                    return List.of();
                }
            }
        }
        if (!new File(System.getProperty("java.home"), "lib/server/classes.jsa").isFile()) {
            return List.of();
        }
        Optional<Path> directory = directory(System.getenv());
        if (directory.isEmpty()) {
            return List.of();
        }
        Path archive = directory.get().resolve("gatehouse-" + key(options) + ".jsa");
        if (checked(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, QUIET, "-D" + IN_USE + "=" + archive);
        }
        return List.of("-D" + TO_WRITE + "=" + archive);
    }

    /**
     * Whether {@code archive} is one this class wrote and checked: its stamp ({@code .ok}) holds its size. The JVM
     * trusts an archive's layout (a truncated one crashes it while mapping), so nothing else is ever mapped.
     */
    static boolean checked(Path archive) {
        File file = archive.toFile();
        if (!file.isFile()) {
            return false;
        }
        try (FileInputStream stamp = new FileInputStream(stamp(archive).toFile())) {
            return new String(stamp.readAllBytes(), StandardCharsets.US_ASCII)
                    .trim()
                    .equals(Long.toString(file.length()));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path stamp(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".ok");
    }

    /** Held by the process training for {@code archive}; removed only with its archive, and only while unheld. */
    private static Path lock(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".lock");
    }

    /** After the server is ready: drop an archive the JVM did not map, or write this start's archive. */
    static void afterReady() {
        String inUse = System.getProperty(IN_USE);
        if (inUse != null && !mapped(Path.of(inUse))) {
            log().info("The class-data archive {} does not fit this JVM; it is made anew at the next start", inUse);
            deleteQuietly(stamp(Path.of(inUse)));
            deleteQuietly(Path.of(inUse));
        }
        String toWrite = System.getProperty(TO_WRITE);
        if (toWrite != null) {
            Thread writer = new Thread(() -> train(Path.of(toWrite)), "class-archive");
            writer.setDaemon(true);
            writer.setPriority(Thread.MIN_PRIORITY);
            writer.start();
        }
    }

    /** The archives' directory, created owner-only; empty when it cannot be, or when others may write it. */
    static Optional<Path> directory(Map<String, String> environment) {
        String cache = environment.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home", "/nonexistent"), ".cache");
        Path directory = base.resolve("gatehouse").resolve("cds");
        try {
            Files.createDirectories(
                    directory,
                    PosixFilePermissions.asFileAttribute(Set.of(
                            PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE)));
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            boolean othersWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE);
            boolean mine = Files.getOwner(directory).getName().equals(System.getProperty("user.name"));
            return othersWrite || !mine ? Optional.empty() : Optional.of(directory);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * 16 hex digits of a 64-bit FNV-1a hash over the JVM, the class path's files and the options. Not a cryptographic
     * hash (its provider takes tens of milliseconds to load in the launcher): the key only tells archives apart, the
     * directory is the owner's alone, and the JVM checks an archive's JVM and class path itself when mapping it.
     */
    static String key(List<String> options) {
        StringBuilder parts = new StringBuilder();
        parts.append(System.getProperty("java.vm.version", "")).append('\0');
        parts.append(System.getProperty("java.vm.vendor", "")).append('\0');
        parts.append(System.getProperty("java.home", "")).append('\0');
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            File file = new File(entry).getAbsoluteFile();
            parts.append(file.getPath()).append('\0');
            parts.append(file.isFile() ? file.length() + "@" + file.lastModified() : "missing")
                    .append('\0');
        }
        // system properties and logging do not change what an archive holds or whether it maps
        for (String option : options) {
            if (!option.startsWith("-D") && !option.startsWith("-Xlog")) {
                parts.append(option).append('\0');
            }
        }
        long hash = 0xcbf29ce484222325L;
        for (byte b : parts.toString().getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** Whether this JVM is the training one. */
    static boolean training() {
        return System.getProperty(TRAINING) != null;
    }

    /**
     * Starts a training JVM (this one's options plus {@code -XX:ArchiveClassesAtExit}, at low priority) on the
     * built-in stack in a temporary data directory on free ports; it stops once ready and its exit writes the archive,
     * which is then checked, renamed into place and stamped. Another JVM rather than this one's {@code VM.cds
     * dynamic_dump}: writing an archive pauses the JVM that writes it and leaves it tens of megabytes larger.
     */
    private static void train(Path archive) {
        Path directory = archive.getParent();
        if (directory == null) {
            return;
        }
        try (FileChannel lockFile =
                        FileChannel.open(lock(archive), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lockFile.tryLock()) {
            if (held == null) {
                log().info("No class-data archive from this start: another process is writing {}", archive);
                return;
            }
            if (checked(archive)) {
                return; // written by another process since this one started
            }
            if (Files.getFileStore(directory).getUsableSpace() < MIN_FREE_BYTES) {
                // a JVM that cannot finish writing its archive ends itself: do not start one on a full disk
                log().info("No class-data archive: less than 512 MiB free beside {}", archive);
                return;
            }
            new Training(archive).run();
        } catch (IOException | RuntimeException e) {
            log().info("No class-data archive: {}", e.toString());
        }
    }

    /**
     * One training: its temporary archive and data directory, and the JVM it runs. A shutdown of this server while it
     * runs stops that JVM and removes both, so a server stopped early leaves no process or file behind.
     */
    private static final class Training {
        private final Path archive;
        private final Path partial;
        private volatile @Nullable Path work;
        private volatile @Nullable Process child;
        private final Thread onShutdown = new Thread(this::abandon, "class-archive-stop");

        Training(Path archive) {
            this.archive = archive;
            this.partial = archive.resolveSibling(
                    archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        }

        void run() {
            long start = System.nanoTime();
            try {
                Runtime.getRuntime().addShutdownHook(onShutdown);
            } catch (IllegalStateException e) {
                return; // already shutting down
            }
            try {
                removeAbandoned();
                Path data = Files.createTempDirectory(WORK_PREFIX);
                work = data;
                if (!succeeds(trainingJvm(partial, data), TRAINING_SECONDS) || !Files.isRegularFile(partial)) {
                    log().info("No class-data archive: the training JVM wrote none; starts load classes from the jar");
                    return;
                }
                if (!succeeds(mapCheckJvm(partial), MAP_CHECK_SECONDS)) {
                    log().info("No class-data archive: the one written did not load in a test JVM");
                    return;
                }
                deleteQuietly(stamp(archive));
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(stamp(archive), Long.toString(Files.size(archive)));
                log().info(
                                "Class-data archive written in {} ms: {} (later starts map it)",
                                (System.nanoTime() - start) / 1_000_000,
                                archive);
                pruneBeside(archive);
            } catch (IOException | RuntimeException e) {
                log().info("No class-data archive: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cleanUp();
                try {
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs and finds nothing left to do
                }
            }
        }

        /**
         * Data directories of trainings whose server was killed (no shutdown hook ran) more than an hour ago: only this
         * user's, since another's cannot be removed anyway.
         */
        private static void removeAbandoned() {
            long hourAgo = System.currentTimeMillis() - LEFT_OVER_MILLIS;
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            try (DirectoryStream<Path> old = Files.newDirectoryStream(temporary, WORK_PREFIX + "*")) {
                for (Path directory : old) {
                    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                            && Files.isWritable(directory)
                            && modified(directory) < hourAgo) {
                        deleteTree(directory);
                    }
                }
            } catch (IOException | RuntimeException e) {
                log().debug("could not look for old training directories: {}", e.toString());
            }
        }

        /** Runs {@code jvm} as this training's child; whether it exited with 0 within {@code seconds}. */
        private boolean succeeds(ProcessBuilder jvm, long seconds) throws IOException, InterruptedException {
            Process process = jvm.start();
            child = process;
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }

        /** The shutdown hook: the JVM this training started is stopped before its files are removed. */
        private void abandon() {
            Process process = child;
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            cleanUp();
        }

        private void cleanUp() {
            deleteQuietly(partial);
            Path data = work;
            if (data != null) {
                deleteTree(data);
            }
        }
    }

    /** The training JVM: the built-in stack in {@code work}, stopping once ready, its exit writing {@code partial}. */
    private static ProcessBuilder trainingJvm(Path partial, Path work) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            command.addAll(List.of("/usr/bin/nice", "-n", "10"));
        }
        command.add(JvmRelaunch.javaExecutable());
        command.addAll(jvmOptions());
        command.addAll(List.of(
                "-XX:ArchiveClassesAtExit=" + partial,
                QUIET,
                "-D" + JvmRelaunch.LAUNCHED + "=true",
                "-D" + TRAINING + "=true",
                "-cp",
                System.getProperty("java.class.path", ""),
                "dev.gatehouse.server.Main",
                "--data-dir",
                work.resolve("data").toString(),
                "--aws-port",
                "0",
                "--api-port",
                "0",
                "--web-port",
                "0"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the built-in stack on SQLite, whatever this server's GATEHOUSE_* variables say (a store, a template)
        builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        return builder;
    }

    /** This JVM's options but system properties, logging and agents: the ones an archive must be made under. */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-D")
                    && !option.startsWith("-Xlog")
                    && !option.startsWith("-agent")
                    && !option.startsWith("-javaagent")) {
                options.add(option);
            }
        }
        return options;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(ClassArchive::deleteQuietly);
        } catch (IOException e) {
            log().debug("could not delete {}: {}", root, e.toString());
        }
    }
    /**
     * A JVM with this one's options that starts with {@code archive} required ({@code -Xshare:on}): it exits with an
     * error for an archive it cannot use, and crashes on a damaged one, either way in its own process.
     */
    private static ProcessBuilder mapCheckJvm(Path archive) {
        List<String> command = new ArrayList<>();
        command.add(JvmRelaunch.javaExecutable());
        command.addAll(jvmOptions());
        command.addAll(List.of(
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                QUIET,
                "-cp",
                System.getProperty("java.class.path", ""),
                "-version"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }

    /**
     * Keeps the {@link #KEPT} newest archives, removes temporary files older than an hour, and the lock files of archives
     * no longer there once no process holds them.
     */
    private static void pruneBeside(Path archive) throws IOException {
        Path directory = archive.getParent();
        if (directory == null) {
            return;
        }
        long hourAgo = System.currentTimeMillis() - LEFT_OVER_MILLIS;
        List<Path> ours;
        try (Stream<Path> files = Files.list(directory)) {
            ours = files.filter(f -> f.getFileName().toString().startsWith("gatehouse-"))
                    .filter(f -> !f.getFileName().toString().endsWith(".ok"))
                    .sorted(Comparator.comparingLong(ClassArchive::modified).reversed())
                    .toList();
        }
        List<Path> locks = new ArrayList<>();
        int archives = 0;
        for (Path file : ours) {
            String name = file.getFileName().toString();
            if (name.endsWith(".lock")) {
                locks.add(file);
            } else if (name.endsWith(".tmp") ? modified(file) < hourAgo : ++archives > KEPT) {
                deleteQuietly(stamp(file));
                deleteQuietly(file);
            }
        }
        for (Path lock : locks) {
            String name = lock.getFileName().toString();
            Path itsArchive = lock.resolveSibling(name.substring(0, name.length() - ".lock".length()));
            if (!itsArchive.equals(archive) && !Files.exists(itsArchive)) {
                deleteUnheld(lock);
            }
        }
    }

    /** Deletes a lock file while holding its lock, so never one a training process holds. */
    private static void deleteUnheld(Path lock) {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock()) {
            if (held != null) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException | RuntimeException e) {
            log().debug("could not delete {}: {}", lock, e.toString());
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether this process has {@code archive} mapped (Linux: {@code /proc/self/maps}). */
    private static boolean mapped(Path archive) {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            String name = archive.toString();
            return maps.anyMatch(line -> line.endsWith(name));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log().debug("could not delete {}: {}", file, e.toString());
        }
    }
}
