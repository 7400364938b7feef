package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsTests {

    // The example key pair from AWS's documentation.
    private static final AdminCredentials KEYS =
            new AdminCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @TempDir
    Path dir;

    @Test
    void toSharedCredentialsFileWhenRenderedThenDefaultProfileWithBothKeys() {
        String text = KEYS.toSharedCredentialsFile();

        assertThat(text.lines().filter(l -> !l.startsWith("#")))
                .containsExactly(
                        "[default]",
                        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @Test
    void writeToWhenWrittenThenOwnerOnlyPermissions() throws Exception {
        Path file = DataDirectory.open(dir.resolve("data")).adminCredentials();

        KEYS.writeTo(file);

        assertThat(Files.readString(file)).isEqualTo(KEYS.toSharedCredentialsFile());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void writeToWhenFileWasWorldReadableThenReplacedOwnerOnly() throws Exception {
        Path file = dir.resolve("admin-credentials");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        KEYS.writeTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void openWhenDirectoryExistsThenItsPermissionsAreLeftAlone() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path database = DataDirectory.open(existing).privateDatabase();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(database)))
                .isEqualTo("rw-------");
    }

    @Test
    void exposureWhenDirectoryIsWorldReadableThenSaysWhatOthersCanDoAndRead() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(existing.resolve("notes.txt"), "mine");
        Files.setPosixFilePermissions(existing.resolve("notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(existing.resolve("private.txt"), "mine");
        Files.setPosixFilePermissions(existing.resolve("private.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectory(existing.resolve("objects"));
        Files.setPosixFilePermissions(existing.resolve("objects"), PosixFilePermissions.fromString("rwxr-xr-x"));

        String warning = DataDirectory.exposure(existing).orElseThrow();

        assertThat(warning)
                .startsWith("data dir " + existing + " is rwxr-xr-x: other local users can list the names of "
                        + "its files; read notes.txt. ")
                .contains("(gatehouse.db, admin-credentials, objects, outbox.jsonl) are owner-only")
                .doesNotContain("private.txt")
                .doesNotContain("create, rename");
    }

    @Test
    void exposureWhenDirectoryIsWorldWritableThenSaysFilesCanBeReplaced() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(DataDirectory.exposure(existing).orElseThrow()).contains("create, rename and delete files in it");
    }

    @Test
    void exposureWhenOwnerOnlyThenNothing() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("mine"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwx------"));

        assertThat(DataDirectory.exposure(existing)).isEmpty();
    }

    @Test
    void toStringWhenPrintedThenSecretHidden() {
        assertThat(KEYS.toString()).contains("AKIAIOSFODNN7EXAMPLE").doesNotContain("EXAMPLEKEY");
    }

    @Test
    void constructorWhenKeyWouldBreakTheFileThenIllegalArgument() {
        assertThatThrownBy(() -> new AdminCredentials("AKIA\n[evil]", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
