package dev.gatehouse.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory and the owner-only files in it. Where the file system has POSIX permissions, the directory is
 * {@code rwx------} and secret files are {@code rw-------} from the moment they exist (created with those
 * permissions, never chmod-ed after the content is written).
 */
final class DataDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  /** The SQLite database file. */
  static final String DATABASE = "gatehouse.db";
  /** The admin access key in AWS shared-credentials format. */
  static final String ADMIN_CREDENTIALS = "admin-credentials";

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private final Path root;

  private DataDirectory(Path root) {
    this.root = root;
  }

  /** Creates the directory (and missing parents), owner-only; an existing directory keeps its permissions. */
  static DataDirectory open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      if (Files.notExists(root)) {
        Path parent = root.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(root, directoryAttributes());
      } else if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("data dir " + root + " exists and is not a directory");
      } else if (POSIX && !OWNER_DIR.containsAll(Files.getPosixFilePermissions(root))) {
        // Never chmod a directory we did not create (it could be the working directory); the secret files in it are
        // owner-only whatever the directory's mode.
        LOG.warn("data dir {} is accessible to other users ({}); its secret files are still owner-only", root,
            PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + root, e);
    }
    return new DataDirectory(root);
  }

  Path root() {
    return root;
  }

  Path database() {
    return root.resolve(DATABASE);
  }

  /**
   * The database file, created empty and owner-only if missing (SQLite treats an empty file as a new database, and
   * creates its {@code -wal} and {@code -shm} files with the database file's permissions). It holds the admin secret
   * and password hashes, so existing database files are made owner-only too.
   */
  Path privateDatabase() {
    Path file = database();
    try {
      if (Files.notExists(file)) {
        Files.createFile(file, fileAttributes());
      }
      if (POSIX) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
          Path part = root.resolve(DATABASE + suffix);
          if (Files.exists(part)) {
            Files.setPosixFilePermissions(part, OWNER_FILE);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the database file " + file, e);
    }
    return file;
  }

  Path adminCredentials() {
    return root.resolve(ADMIN_CREDENTIALS);
  }

  /**
   * Replaces {@code file} with {@code content}, readable by its owner only, atomically: a reader sees the old file or
   * the new one, never a mix.
   */
  static void writeOwnerOnly(Path file, String content) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null) {
      throw new IllegalArgumentException("no parent directory for " + target);
    }
    try {
      Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", fileAttributes());
      try {
        Files.write(temp, content.getBytes(StandardCharsets.UTF_8));
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static FileAttribute<?>[] directoryAttributes() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)} : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] fileAttributes() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
  }
}
