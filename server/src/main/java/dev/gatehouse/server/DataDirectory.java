package dev.gatehouse.server;

import dev.gatehouse.userpool.OutboxMessageSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** The entries Gatehouse keeps in the data dir, each made owner-only when it is created or opened. */
    private static final List<String> OWN_ENTRIES =
            List.of(DATABASE, ADMIN_CREDENTIALS, "objects", OutboxMessageSender.FILE_NAME);

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
            } else if (POSIX) {
                // Never chmod a directory we did not create (it could be the working directory); the secret files in it
                // are
                // owner-only whatever the directory's mode.
                exposure(root).ifPresent(LOG::warn);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + root, e);
        }
        return new DataDirectory(root);
    }

    /**
     * What an existing data directory shows other local users, or empty when it is owner-only: its mode, what that mode
     * lets them do, and the entries in it (not made owner-only by Gatehouse) they can read.
     */
    static Optional<String> exposure(Path root) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(root);
        if (OWNER_DIR.containsAll(mode)) {
            return Optional.empty();
        }
        List<String> can = new ArrayList<>();
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            can.add("list the names of its files");
        }
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            can.add("create, rename and delete files in it (and so replace the database or the admin credentials)");
        }
        List<String> readable = readableByOthers(root);
        if (!readable.isEmpty()) {
            can.add("read " + String.join(", ", readable));
        }
        if (can.isEmpty()) {
            can.add("reach files in it by name, but every file Gatehouse keeps there is owner-only");
        }
        return Optional.of(
                "data dir " + root + " is " + PosixFilePermissions.toString(mode) + ": other local users can "
                        + String.join("; ", can) + ". Gatehouse's own files (" + String.join(", ", OWN_ENTRIES)
                        + ") are owner-only whatever its mode. To close this: chmod 700 " + root);
    }

    /** Entries of {@code root} other users may read (or list), other than the ones Gatehouse makes owner-only. */
    private static List<String> readableByOthers(Path root) throws IOException {
        List<String> readable = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
                String name = String.valueOf(entry.getFileName());
                if (OWN_ENTRIES.contains(name) || name.startsWith(DATABASE)) {
                    continue;
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS);
                if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                    readable.add(Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name);
                }
            }
        }
        return readable;
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
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttributes() {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }
}
