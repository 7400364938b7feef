package dev.gatehouse.server;

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
 * The data directory's {@code gatehouse.lock}: held (an operating-system file lock) by the one server using the
 * directory, with that server's pid in it, so a second server on the same directory refuses to start and names the
 * holder instead of sharing the database and the outbox without a word. The lock goes with the process, however it
 * ends; the file stays.
 */
final class DataDirectoryLock implements AutoCloseable {

  static final String FILE = "gatehouse.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code dataDir} and writes this process's pid into it, or throws {@link InUseException}. */
  static DataDirectoryLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new InUseException(dataDir, holder(file));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new DataDirectoryLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the data dir " + dataDir, e);
    }
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

    InUseException(Path dataDir, String holder) {
      super("the data dir " + dataDir + " is in use by another Gatehouse (" + holder + "); stop that one, or give"
          + " this one another --data-dir");
    }
  }
}
