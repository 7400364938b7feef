package dev.gatehouse.functions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's task root ({@code LAMBDA_TASK_ROOT}, the worker's working directory): a directory is used as it is; a
 * jar or zip is unpacked, as Lambda unpacks a deployment package, into {@code <workDir>/tasks/<name>-<stamp>/}, one
 * directory per version of the file (its size and modification time), so a worker never sees a file change under it.
 */
final class TaskRoots {

    /** Lambda's limit on a function's unpacked code. */
    static final long MAX_UNPACKED_BYTES = 250L * 1024 * 1024;

    private final Path tasksDir;

    TaskRoots(Path workDir) {
        this.tasksDir = workDir.resolve("tasks");
    }

    /**
     * The task root of {@code function}; unpacks its package when needed. Blocking.
     *
     * @throws IOException when the code is missing, not a directory, jar or zip, unsafe (an entry outside the root) or
     *     larger than 250 MB unpacked
     */
    Path taskRoot(FunctionSpec function) throws IOException {
        Path code = function.code().toAbsolutePath().normalize();
        if (Files.isDirectory(code)) {
            return code;
        }
        if (!Files.isRegularFile(code)) {
            throw new IOException("function " + function.name() + ": its code " + code + " does not exist");
        }
        String fileName = code.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!fileName.endsWith(".jar") && !fileName.endsWith(".zip")) {
            throw new IOException("function " + function.name() + ": its code " + code
                    + " is neither a directory nor a .jar or .zip file");
        }
        BasicFileAttributes attributes = Files.readAttributes(code, BasicFileAttributes.class);
        String stamp = HexFormat.of().toHexDigits(attributes.size()) + "-"
                + HexFormat.of().toHexDigits(attributes.lastModifiedTime().toMillis());
        Path root = tasksDir.resolve(function.name() + "-" + stamp);
        synchronized (this) {
            if (!Files.isDirectory(root)) {
                Path partial = tasksDir.resolve(function.name() + "-" + stamp + ".part");
                deleteTree(partial);
                unzip(code, partial);
                Files.move(partial, root);
            }
        }
        return root;
    }

    private static void unzip(Path archive, Path target) throws IOException {
        Files.createDirectories(target);
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException(archive + ": entry " + entry.getName() + " points outside the package");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total += copy(zip, out, MAX_UNPACKED_BYTES - total);
            }
        }
    }

    private static long copy(InputStream in, Path out, long budget) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (var stream = Files.newOutputStream(out)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                written += n;
                if (written > budget) {
                    throw new IOException("the function's package is larger than 250 MB unpacked");
                }
                stream.write(buffer, 0, n);
            }
        }
        return written;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
