package dev.gatehouse.functions;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's {@link CodeStamp}, kept current at O(1) per invocation for a directory: the directory tree (without
 * {@code node_modules} and {@code .git}, as the stamp) is watched with Linux inotify, and an invocation reads the
 * watch's queue with one non-blocking {@code read}; only when it holds an event is the tree walked again (and new
 * directories watched).
 *
 * <p>Why this sees the first request after a save: the kernel queues an inotify event inside the {@code write},
 * {@code rename} or {@code utimes} call that changed the file, before that call returns to the editor. The queue is
 * read here, on the invoking thread, not by a watcher thread: so a request sent after the save returned finds the
 * event, with no window. (Java's {@code WatchService} reads the same queue on a thread of its own and would leave one.)
 *
 * <p>Falls back to walking on every call (the stamp as before) where inotify cannot be had: not Linux, no JNA, the
 * watch limit reached, a directory that could not be watched, the root itself removed or not yet there. A jar or zip
 * is one {@code stat} either way. Thread-safe; {@link #stamp} serialises its callers (a walk, when one is due, is
 * awaited by a concurrent caller rather than skipped).
 */
final class CodeWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CodeWatch.class);

    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int IN_MODIFY = 0x2;
    private static final int IN_ATTRIB = 0x4;
    private static final int IN_CLOSE_WRITE = 0x8;
    private static final int IN_MOVED_FROM = 0x40;
    private static final int IN_MOVED_TO = 0x80;
    private static final int IN_CREATE = 0x100;
    private static final int IN_DELETE = 0x200;
    private static final int IN_DELETE_SELF = 0x400;
    private static final int IN_MOVE_SELF = 0x800;
    private static final int IN_ONLYDIR = 0x1000000;
    private static final int CHANGES = IN_MODIFY
            | IN_ATTRIB
            | IN_CLOSE_WRITE
            | IN_MOVED_FROM
            | IN_MOVED_TO
            | IN_CREATE
            | IN_DELETE
            | IN_DELETE_SELF
            | IN_MOVE_SELF
            | IN_ONLYDIR;
    private static final int BUFFER_BYTES = 4096;

    private static final @Nullable Inotify INOTIFY = loadInotify();

    private final Path code;
    private final Function<Path, CodeStamp> stamper;
    private final int fd;
    private final @Nullable Memory buffer;
    private boolean stale = true;
    private boolean closed;
    private long walks;
    private CodeStamp last = CodeStamp.MISSING;

    private CodeWatch(Path code, Function<Path, CodeStamp> stamper, int fd) {
        this.code = code;
        this.stamper = stamper;
        this.fd = fd;
        this.buffer = fd >= 0 ? new Memory(BUFFER_BYTES) : null;
    }

    /**
     * Watches {@code code} (absolute); {@code stamper} takes its stamp (it may throw, as {@link CodeStamp#of} does).
     * Nothing is read here: the first {@link #stamp} walks.
     */
    static CodeWatch of(Path code, Function<Path, CodeStamp> stamper) {
        return new CodeWatch(code, stamper, Files.isDirectory(code) ? openInotify() : -1);
    }

    /** Whether this watch reads inotify (false: it walks on every call). */
    boolean watching() {
        return fd >= 0;
    }

    /** How many times the code was stamped (walked) so far. */
    synchronized long walks() {
        return walks;
    }

    /** The code's stamp now: the last one when nothing changed since, else a fresh one. */
    synchronized CodeStamp stamp() {
        if (fd < 0 || closed) {
            walks++;
            return stamper.apply(code);
        }
        if (drained() || stale) {
            walks++;
            stale = !watchTree();
            last = stamper.apply(code);
        }
        return last;
    }

    /** Reads every queued event; true when there was any (or the queue overflowed). */
    private boolean drained() {
        Inotify inotify = java.util.Objects.requireNonNull(INOTIFY);
        Memory memory = java.util.Objects.requireNonNull(buffer);
        boolean any = false;
        while (inotify.read(fd, memory, BUFFER_BYTES) > 0) {
            any = true;
        }
        return any;
    }

    /** Adds a watch on every directory of the tree (again: the kernel keeps one per directory); false when one failed. */
    private boolean watchTree() {
        Inotify inotify = java.util.Objects.requireNonNull(INOTIFY);
        boolean[] complete = {true};
        try {
            Files.walkFileTree(code, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (CodeStamp.skipped(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (inotify.inotify_add_watch(fd, dir.toString(), CHANGES) < 0) {
                        complete[0] = false;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (file.equals(code)) {
                        complete[0] = false;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return false;
        }
        return complete[0];
    }

    @Override
    public synchronized void close() {
        if (!closed && fd >= 0) {
            java.util.Objects.requireNonNull(INOTIFY).close(fd);
        }
        closed = true;
    }

    private static int openInotify() {
        if (INOTIFY == null) {
            return -1;
        }
        int fd = INOTIFY.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            LOG.debug("inotify_init1 failed: function code is walked on every invocation");
        }
        return fd;
    }

    private static @Nullable Inotify loadInotify() {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", Inotify.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("no inotify ({}): function code is walked on every invocation", e.toString());
            return null;
        }
    }

    /** The C library's inotify calls (Linux; the sizes are LP64's). */
    @SuppressWarnings("MethodName")
    interface Inotify extends Library {
        int inotify_init1(int flags);

        int inotify_add_watch(int fd, String path, int mask);

        long read(int fd, Pointer buffer, long count);

        int close(int fd);
    }
}
