package dev.gatehouse.server;

import dev.gatehouse.stack.TemplateReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * The data directory's lock for one stage ({@code gatehouse.lock} for the default stage, {@code gatehouse.<stage>.lock}
 * for another): held (an operating-system file lock) by the one server running that stage on the directory, with that
 * server's pid in it, so a second server of the same stage refuses to start and names the holder instead of serving
 * the same stack beside it without a word. Stages keep apart in the database (their own pools, ids and tables), so
 * two stages may run side by side on one directory. The lock goes with the process, however it ends; the file stays.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "gatehouse.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the default stage's lock of {@code dataDir}: {@link #acquire(Path, String)}. */
    static DataDirectoryLock acquire(Path dataDir) {
        return acquire(dataDir, TemplateReader.DEFAULT_STAGE);
    }

    /**
     * Takes the lock of {@code stage} on {@code dataDir} and writes this process's pid into it, or throws
     * {@link InUseException}.
     */
    static DataDirectoryLock acquire(Path dataDir, String stage) {
        Path file = dataDir.resolve(fileName(stage));
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new InUseException(dataDir, stage, holder(file));
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data dir " + dataDir, e);
        }
    }

    /** {@link #FILE} for the default stage, {@code gatehouse.<stage>.lock} for another. */
    static String fileName(String stage) {
        return TemplateReader.DEFAULT_STAGE.equals(stage) ? FILE : "gatehouse." + stage + ".lock";
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the data dir lock", e);
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process (another server started in-process on the same directory)
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,10}") ? "pid " + pid : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    /** Another server holds the directory: an operator error, reported in one line. */
    static final class InUseException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        InUseException(Path dataDir, String stage, String holder) {
            super("the data dir " + dataDir + " is in use by another Gatehouse (" + holder + ") for stage " + stage
                    + "; stop that one, or give this one another --data-dir or --stage");
        }
    }
}
