package dev.gatehouse.functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a function's code looked like when its workers started: for a jar or zip its size and modification time, for a
 * directory the count, total size and latest modification time of its files. A function whose stamp changed gets new
 * workers at its next invocation (live reload), so an edited handler file, a rebuilt jar or recompiled classes answer
 * the next request with no restart.
 *
 * <p>Design: for a directory, {@link CodeWatch} takes the stamp again only when inotify reported a change (read on the
 * invoking thread, so a request sent right after a save sees it); where it cannot watch, the stamp is taken on every
 * invocation. Directories named {@code node_modules} and {@code .git} are not walked: a function's dependencies rarely change
 * while it runs, and walking them on every request would cost more than the request (touch the handler to reload).
 *
 * @param files how many files (1 for a jar or zip; 0 when the code is missing)
 * @param bytes their total size
 * @param lastModifiedMillis the latest modification time among them
 */
record CodeStamp(long files, long bytes, long lastModifiedMillis) {

    static final CodeStamp MISSING = new CodeStamp(0, 0, 0);

    /** The stamp of {@code code} now; {@link #MISSING} when it does not exist. Blocking (file metadata only). */
    static CodeStamp of(Path code) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(code, BasicFileAttributes.class);
            if (!attributes.isDirectory()) {
                return new CodeStamp(
                        1, attributes.size(), attributes.lastModifiedTime().toMillis());
            }
            Walk walk = new Walk();
            Files.walkFileTree(code, walk);
            return new CodeStamp(walk.files, walk.bytes, walk.lastModified);
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the stamp leaves out {@code dir}'s subtree ({@code node_modules}, {@code .git}). */
    static boolean skipped(Path dir) {
        Path name = dir.getFileName();
        return name != null
                && (name.toString().equals("node_modules") || name.toString().equals(".git"));
    }

    private static final class Walk extends SimpleFileVisitor<Path> {
        private long files;
        private long bytes;
        private long lastModified;

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return skipped(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            files++;
            bytes += attributes.size();
            lastModified = Math.max(lastModified, attributes.lastModifiedTime().toMillis());
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // removed while walking: the next stamp sees it gone
        }
    }
}
