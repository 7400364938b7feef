package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.InMemoryItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTests {

    private static final String BUCKET = "gatehouse-attachments-test";

    @TempDir
    Path dir;

    private ObjectStore store;

    @BeforeEach
    void open() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        store = ObjectStore.open(new InMemoryItemStore(clock), dir, clock);
    }

    private ObjectInfo put(String key, String content) throws IOException {
        Path temp = store.newTempFile();
        Files.writeString(temp, content);
        return store.commit(
                BUCKET,
                key,
                temp,
                content.length(),
                "\"etag-" + content + "\"",
                Map.of("content-type", "text/plain"),
                Map.of("origin", "test"));
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
            return files.toList();
        }
    }

    @Test
    void openWhenParentIsWorldReadableThenDirectoriesAndFilesAreOwnerOnly() throws IOException {
        Path shared = Files.createDirectory(
                dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        // An earlier version left objects/ and blobs/ as the umask made them.
        Files.createDirectories(shared.resolve("objects/blobs"));
        Files.setPosixFilePermissions(shared.resolve("objects"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared.resolve("objects/blobs"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        ObjectStore shared1 = ObjectStore.open(new InMemoryItemStore(clock), shared.resolve("objects"), clock);

        ObjectInfo info = shared1.putBytes(
                BUCKET, "private/a/secret.txt", "secret".getBytes(StandardCharsets.UTF_8), "text/plain");

        for (String sub : List.of("objects", "objects/blobs", "objects/tmp")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve(sub))))
                    .as(sub)
                    .isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared1.blobFile(info))))
                .isEqualTo("rw-------");
    }

    @Test
    void commitWhenKeyLooksLikeAPathThenFileIsNamedByRandomIdInsideTheDirectory() throws IOException {
        ObjectInfo info = put("../../etc/passwd", "x");
        assertThat(info.blob()).matches("[0-9a-f]{32}");
        assertThat(store.blobFile(info)
                        .toAbsolutePath()
                        .normalize()
                        .startsWith(dir.resolve("blobs").toAbsolutePath()))
                .isTrue();
        assertThat(blobFiles()).hasSize(1);
    }

    @Test
    void headWhenCommittedThenMetadataReadBack() throws IOException {
        put("private/a/file.txt", "hello");
        ObjectInfo info = store.head(BUCKET, "private/a/file.txt").orElseThrow();
        assertThat(info.size()).isEqualTo(5);
        assertThat(info.etag()).isEqualTo("\"etag-hello\"");
        assertThat(info.contentType()).isEqualTo("text/plain");
        assertThat(info.metadata()).containsEntry("origin", "test");
        assertThat(Files.readString(store.blobFile(info), StandardCharsets.UTF_8))
                .isEqualTo("hello");
    }

    @Test
    void commitWhenOverwrittenThenOldFileRemoved() throws IOException {
        put("k", "one");
        put("k", "two");
        assertThat(blobFiles()).hasSize(1);
        assertThat(Files.readString(store.blobFile(store.head(BUCKET, "k").orElseThrow())))
                .isEqualTo("two");
    }

    @Test
    void deleteObjectWhenPresentThenItemAndFileRemoved() throws IOException {
        put("k", "one");
        assertThat(store.deleteObject(BUCKET, "k")).isTrue();
        assertThat(store.head(BUCKET, "k")).isEmpty();
        assertThat(blobFiles()).isEmpty();
        assertThat(store.deleteObject(BUCKET, "k")).isFalse();
    }

    @Test
    void listWhenDelimiterThenCommonPrefixesRolledUpAndPaged() throws IOException {
        for (String key : List.of("p/a.txt", "p/d1/x", "p/d1/y", "p/d2/z", "p/b.txt", "q/other", "o/before")) {
            put(key, key);
        }
        ObjectStore.ListPage all = store.list(BUCKET, "p/", "/", 1000, "", null);
        assertThat(all.contents()).extracting(ObjectInfo::key).containsExactly("p/a.txt", "p/b.txt");
        assertThat(all.commonPrefixes()).containsExactly("p/d1/", "p/d2/");
        assertThat(all.truncated()).isFalse();

        ObjectStore.ListPage first = store.list(BUCKET, "p/", "/", 3, "", null);
        assertThat(first.truncated()).isTrue();
        assertThat(first.last()).isEqualTo("p/d1/");
        assertThat(first.lastIsPrefix()).isTrue();
        ObjectStore.ListPage second = store.list(BUCKET, "p/", "/", 3, "p/d1/", "p/d1/");
        assertThat(second.commonPrefixes()).containsExactly("p/d2/");
        assertThat(second.contents()).isEmpty();
        assertThat(second.truncated()).isFalse();
    }

    @Test
    void listWhenStartAfterThenOnlyLaterKeysWithPrefix() throws IOException {
        for (String key : List.of("a", "b/1", "b/2", "b/3", "c")) {
            put(key, key);
        }
        assertThat(store.list(BUCKET, "b/", null, 1000, "b/1", null).contents())
                .extracting(ObjectInfo::key)
                .containsExactly("b/2", "b/3");
        assertThat(store.list(BUCKET, "b/", null, 1000, "a", null).contents())
                .extracting(ObjectInfo::key)
                .containsExactly("b/1", "b/2", "b/3");
        assertThat(store.list(BUCKET, "", null, 2, "", null).truncated()).isTrue();
    }

    private void putPart(MultipartUploads.Upload upload, int number, byte[] content, String etag) throws IOException {
        Path temp = store.newTempFile();
        Files.write(temp, content);
        store.uploads().commitPart(upload, number, temp, content.length, etag);
    }

    @Test
    void completeUploadWhenPartsInOrderThenObjectJoinedAndPartsRemoved() throws Exception {
        String id = store.uploads().createUpload(BUCKET, "big", Map.of("content-type", "application/zip"), Map.of());
        MultipartUploads.Upload upload =
                store.uploads().upload(id, BUCKET, "big").orElseThrow();
        byte[] first = new byte[10];
        java.util.Arrays.fill(first, (byte) 'a');
        String md5First = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(first));
        putPart(upload, 1, first, "\"" + md5First + "\"");
        putPart(
                upload,
                2,
                "tail".getBytes(StandardCharsets.UTF_8),
                "\""
                        + java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("MD5")
                                        .digest("tail".getBytes(StandardCharsets.UTF_8)))
                        + "\"");
        ObjectInfo info = store.uploads()
                .completeUpload(
                        upload,
                        List.of(
                                new MultipartUploads.PartRef(1, md5First),
                                new MultipartUploads.PartRef(2, partEtag("tail"))),
                        5,
                        1000);
        assertThat(info.size()).isEqualTo(14);
        assertThat(info.etag()).endsWith("-2\"");
        assertThat(info.contentType()).isEqualTo("application/zip");
        assertThat(Files.readString(store.blobFile(info))).isEqualTo("aaaaaaaaaatail");
        assertThat(blobFiles()).hasSize(1);
        assertThat(store.uploads().upload(id, BUCKET, "big")).isEmpty();
    }

    @Test
    void completeUploadWhenPartMissingOrTooSmallThenS3Errors() throws Exception {
        String id = store.uploads().createUpload(BUCKET, "big", Map.of(), Map.of());
        MultipartUploads.Upload upload =
                store.uploads().upload(id, BUCKET, "big").orElseThrow();
        putPart(upload, 1, "ab".getBytes(StandardCharsets.UTF_8), "\"" + partEtag("ab") + "\"");
        putPart(upload, 2, "cd".getBytes(StandardCharsets.UTF_8), "\"" + partEtag("cd") + "\"");
        assertThat(catchCode(() ->
                        store.uploads().completeUpload(upload, List.of(new MultipartUploads.PartRef(3, "x")), 1, 100)))
                .isEqualTo("InvalidPart");
        assertThat(catchCode(() -> store.uploads()
                        .completeUpload(
                                upload,
                                List.of(
                                        new MultipartUploads.PartRef(2, partEtag("cd")),
                                        new MultipartUploads.PartRef(1, partEtag("ab"))),
                                1,
                                100)))
                .isEqualTo("InvalidPartOrder");
        assertThat(catchCode(() -> store.uploads()
                        .completeUpload(
                                upload,
                                List.of(
                                        new MultipartUploads.PartRef(1, partEtag("ab")),
                                        new MultipartUploads.PartRef(2, partEtag("cd"))),
                                5,
                                100)))
                .isEqualTo("EntityTooSmall");
        assertThat(catchCode(() -> store.uploads()
                        .completeUpload(
                                upload,
                                List.of(
                                        new MultipartUploads.PartRef(1, partEtag("ab")),
                                        new MultipartUploads.PartRef(2, partEtag("cd"))),
                                1,
                                3)))
                .isEqualTo("EntityTooLarge");
        store.uploads().abortUpload(id);
        assertThat(store.uploads().upload(id, BUCKET, "big")).isEmpty();
        assertThat(blobFiles()).isEmpty();
    }

    @Test
    void uploadWhenOtherKeyThenEmpty() {
        String id = store.uploads().createUpload(BUCKET, "mine", Map.of(), Map.of());
        assertThat(store.uploads().upload(id, BUCKET, "theirs")).isEmpty();
        assertThat(store.uploads().upload("../../x", BUCKET, "mine")).isEmpty();
    }

    private static String partEtag(String content) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String catchCode(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.error().code();
        }
        return "no error";
    }
}
