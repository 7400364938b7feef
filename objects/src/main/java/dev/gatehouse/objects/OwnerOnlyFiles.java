package dev.gatehouse.objects;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The object store's directories and files, readable by their owner only where the file system has POSIX modes. */
final class OwnerOnlyFiles {

    /** The mode of every object file, for Vert.x's {@code OpenOptions.setPerms} too. */
    static final String FILE_PERMS = "rw-------";

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString(FILE_PERMS);

    private OwnerOnlyFiles() {}

    /** Creates {@code dir} owner-only, or makes an existing one so. */
    static void directory(Path dir) throws IOException {
        if (!POSIX) {
            Files.createDirectories(dir);
        } else if (Files.notExists(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else if (!Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
    }

    /** Creates {@code file} (it must not exist), owner-only, open for writing. */
    static FileChannel create(Path file) throws IOException {
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes);
    }

    /** Deletes the files directly in {@code directory}. */
    static void empty(Path directory) throws IOException {
        try (var leftovers = Files.list(directory)) {
            for (Path file : (Iterable<Path>) leftovers::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
