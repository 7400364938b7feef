package dev.gatehouse.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes (two object stores, each with its own directory) on one shared item store. */
class SharedObjectStoreTests {

    private static final String BUCKET = "gatehouse-attachments-test";

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private ItemStore items;
    private ObjectStore nodeA;
    private ObjectStore nodeB;

    @BeforeEach
    void open() {
        items = new InMemoryItemStore(clock);
        nodeA = ObjectStore.open(items, dirA, clock, true);
        nodeB = ObjectStore.open(items, dirB, clock, true);
    }

    @Test
    void getWhenUploadedThroughOtherNodeThenSameBytesOfEverySize() throws IOException {
        for (int size :
                List.of(0, 1, SharedBlobs.CHUNK_BYTES, SharedBlobs.CHUNK_BYTES + 1, 3 * SharedBlobs.CHUNK_BYTES)) {
            byte[] content = bytes(size);
            nodeA.putBytes(BUCKET, "k" + size, content, "application/octet-stream");

            ObjectInfo info = nodeB.headForRead(BUCKET, "k" + size).orElseThrow();
            assertThat(Files.readAllBytes(nodeB.blobFile(info))).isEqualTo(content);
        }
    }

    @Test
    void putWhenTheSameKeyGoesToTwoBucketsThroughTwoNodesThenEachBucketKeepsItsOwnBytes() throws IOException {
        byte[] first = "in the first bucket".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] second = "in the second".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        nodeA.putBytes(BUCKET, "same", first, "text/plain");
        nodeB.putBytes("other-bucket", "same", second, "text/plain");

        assertThat(Files.readAllBytes(
                        nodeB.blobFile(nodeB.headForRead(BUCKET, "same").orElseThrow())))
                .isEqualTo(first);
        assertThat(Files.readAllBytes(
                        nodeA.blobFile(nodeA.headForRead("other-bucket", "same").orElseThrow())))
                .isEqualTo(second);
        assertThat(nodeA.deleteObject("other-bucket", "same")).isTrue();
        assertThat(nodeB.headForRead(BUCKET, "same")).isPresent();
    }

    @Test
    void deleteThroughOtherNodeThenGoneEverywhereAndNoBytesLeft() {
        nodeA.putBytes(BUCKET, "k", bytes(200_000), "application/octet-stream");
        assertThat(nodeB.headForRead(BUCKET, "k")).isPresent();

        assertThat(nodeB.deleteObject(BUCKET, "k")).isTrue();

        assertThat(nodeA.headForRead(BUCKET, "k")).isEmpty();
        assertNoSharedBytesOrPendingExcept(List.of());
    }

    @Test
    void overwriteThenOldBytesRemovedAndNewOnesServed() throws IOException {
        ObjectInfo first = nodeA.putBytes(BUCKET, "k", bytes(10), "text/plain");
        byte[] second = "second".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ObjectInfo replaced = nodeB.putBytes(BUCKET, "k", second, "text/plain");

        ObjectInfo read = nodeA.headForRead(BUCKET, "k").orElseThrow();
        assertThat(Files.readAllBytes(nodeA.blobFile(read))).isEqualTo(second);
        assertThat(chunks(first.blob())).isZero();
        assertNoSharedBytesOrPendingExcept(List.of(replaced.blob()));
    }

    @Test
    void multipartWhenPartsUploadedThroughDifferentNodesThenCompletedObjectReadableEverywhere() throws IOException {
        String uploadId = nodeA.uploads().createUpload(BUCKET, "big", Map.of("content-type", "text/plain"), Map.of());
        byte[] one = bytes(150_000);
        byte[] two = bytes(1_000);
        nodeA.uploads()
                .commitPart(
                        nodeA.uploads().upload(uploadId, BUCKET, "big").orElseThrow(),
                        1,
                        temp(nodeA, one),
                        one.length,
                        md5(one));
        nodeB.uploads()
                .commitPart(
                        nodeB.uploads().upload(uploadId, BUCKET, "big").orElseThrow(),
                        2,
                        temp(nodeB, two),
                        two.length,
                        md5(two));

        ObjectInfo done = nodeB.uploads()
                .completeUpload(
                        nodeB.uploads().upload(uploadId, BUCKET, "big").orElseThrow(),
                        List.of(new MultipartUploads.PartRef(1, md5(one)), new MultipartUploads.PartRef(2, md5(two))),
                        1,
                        10_000_000);

        ObjectInfo read = nodeA.headForRead(BUCKET, "big").orElseThrow();
        byte[] joined = new byte[one.length + two.length];
        System.arraycopy(one, 0, joined, 0, one.length);
        System.arraycopy(two, 0, joined, one.length, two.length);
        assertThat(Files.readAllBytes(nodeA.blobFile(read))).isEqualTo(joined);
        assertNoSharedBytesOrPendingExcept(List.of(done.blob()));
    }

    @Test
    void sweepWhenUploadDiedBeforeItsMetadataThenBytesRemovedOnlyAfterGrace() throws IOException {
        SharedBlobs blobs = new SharedBlobs(items);
        Path file = Files.write(dirA.resolve("orphan"), bytes(100_000));
        blobs.upload(
                "0123456789abcdef0123456789abcdef",
                file,
                new SharedBlobs.Owner(ObjectStore.TABLE, Key.of(BUCKET, "never-committed"), "blob"),
                clock.instant());

        assertThat(nodeB.sweep()).isZero();
        assertThat(chunks("0123456789abcdef0123456789abcdef")).isPositive();

        clock.advance(SharedBlobs.GRACE.plus(Duration.ofSeconds(1)));
        assertThat(nodeB.sweep()).isOne();
        assertNoSharedBytesOrPendingExcept(List.of());
    }

    @Test
    void openWhenAnOrphanIsDueThenTheStartingNodeSweepsIt() throws IOException {
        Path file = Files.write(dirA.resolve("orphan"), bytes(10));
        new SharedBlobs(items)
                .upload(
                        "fedcba9876543210fedcba9876543210",
                        file,
                        new SharedBlobs.Owner(ObjectStore.TABLE, Key.of(BUCKET, "never-committed"), "blob"),
                        clock.instant());
        clock.advance(SharedBlobs.GRACE.plus(Duration.ofSeconds(1)));

        ObjectStore.open(items, dirA.resolve("restarted"), clock, true);

        assertThat(chunks("fedcba9876543210fedcba9876543210")).isZero();
        assertNoSharedBytesOrPendingExcept(List.of());
    }

    @Test
    void sweepWhenNodeDiedAfterCommitBeforeSettlingThenKeepsReferencedBytes() throws IOException {
        ObjectInfo info = nodeA.putBytes(BUCKET, "k", bytes(5), "text/plain");
        // As if the node had died between its write of chunks and the transaction: a pending item naming a live blob.
        SharedBlobs blobs = new SharedBlobs(items);
        Path file = Files.write(dirA.resolve("again"), bytes(5));
        blobs.upload(
                info.blob(),
                file,
                new SharedBlobs.Owner(ObjectStore.TABLE, Key.of(BUCKET, "k"), "blob"),
                clock.instant());
        clock.advance(SharedBlobs.GRACE.plus(Duration.ofSeconds(1)));

        assertThat(nodeB.sweep()).isZero();
        assertThat(nodeB.headForRead(BUCKET, "k")).isPresent();
        assertNoSharedBytesOrPendingExcept(List.of(info.blob()));
    }

    @Test
    void cacheWhenOverItsCapThenLeastRecentlyUsedFilesGoOnceAMinuteOldAndAreFetchedAgain() throws IOException {
        ObjectStore small = ObjectStore.open(
                items,
                dirB.resolve("small"),
                clock,
                Optional.of(new ObjectStore.CacheLimits(250_000, Duration.ofDays(1))));
        byte[] one = bytes(100_000);
        byte[] two = bytes(100_001);
        byte[] three = bytes(100_002);
        nodeA.putBytes(BUCKET, "one", one, "application/octet-stream");
        nodeA.putBytes(BUCKET, "two", two, "application/octet-stream");
        nodeA.putBytes(BUCKET, "three", three, "application/octet-stream");

        ObjectInfo first = small.headForRead(BUCKET, "one").orElseThrow();
        ObjectInfo second = small.headForRead(BUCKET, "two").orElseThrow();
        clock.advance(Duration.ofSeconds(30));
        small.headForRead(BUCKET, "one");
        ObjectInfo third = small.headForRead(BUCKET, "three").orElseThrow();
        // 300 KB cached, over the cap, but every file was used within the last minute: a reader may be opening it.
        assertThat(cachedFiles(small)).hasSize(3);

        clock.advance(BlobCache.MIN_KEEP);
        small.headForRead(BUCKET, "three");

        // "two" was used least recently: it went, and the cache is back under its cap.
        assertThat(Files.exists(small.blobFile(second))).isFalse();
        assertThat(cachedFiles(small)).containsExactlyInAnyOrder(first.blob(), third.blob());
        assertThat(Files.readAllBytes(
                        small.blobFile(small.headForRead(BUCKET, "two").orElseThrow())))
                .isEqualTo(two);
    }

    @Test
    void cacheWhenAFileIsUnusedLongerThanMaxIdleThenItGoesAtTheNextUse() throws IOException {
        ObjectStore idle = ObjectStore.open(
                items,
                dirB.resolve("idle"),
                clock,
                Optional.of(new ObjectStore.CacheLimits(1L << 30, Duration.ofMinutes(5))));
        ObjectInfo deletedElsewhere = nodeA.putBytes(BUCKET, "gone", bytes(1000), "text/plain");
        nodeA.putBytes(BUCKET, "kept", bytes(1000), "text/plain");
        idle.headForRead(BUCKET, "gone");
        nodeA.deleteObject(BUCKET, "gone");

        clock.advance(Duration.ofMinutes(6));
        ObjectInfo kept = idle.headForRead(BUCKET, "kept").orElseThrow();

        // The object deleted through another node leaves no file behind here.
        assertThat(cachedFiles(idle)).containsExactly(kept.blob());
        assertThat(Files.exists(idle.blobFile(deletedElsewhere))).isFalse();
    }

    @Test
    void cacheWhenTheWritingNodeIsOverItsCapThenItsUploadsStayReadable() throws IOException {
        ObjectStore writer = ObjectStore.open(
                items, dirA.resolve("writer"), clock, Optional.of(new ObjectStore.CacheLimits(0, Duration.ofDays(1))));
        byte[] content = bytes(150_000);
        writer.putBytes(BUCKET, "k", content, "application/octet-stream");
        clock.advance(BlobCache.MIN_KEEP.plusSeconds(1));
        writer.putBytes(BUCKET, "other", bytes(10), "text/plain");

        ObjectInfo read = writer.headForRead(BUCKET, "k").orElseThrow();
        assertThat(Files.readAllBytes(writer.blobFile(read))).isEqualTo(content);
    }

    private static List<String> cachedFiles(ObjectStore store) throws IOException {
        Path blobs = store.blobFile(
                        new ObjectInfo(BUCKET, "x", "x", 0, "", java.time.Instant.EPOCH, Map.of(), Map.of()))
                .getParent();
        try (var files = Files.list(blobs)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private void assertNoSharedBytesOrPendingExcept(List<String> liveBlobs) {
        assertThat(items.query(SharedBlobs.PENDING, Query.partition("pending")).items())
                .isEmpty();
        for (String blob : liveBlobs) {
            assertThat(chunks(blob)).isPositive();
        }
    }

    private int chunks(String blob) {
        return items.query(SharedBlobs.CHUNKS, Query.partition(blob).withLimit(Query.MAX_LIMIT))
                .items()
                .size();
    }

    private static Path temp(ObjectStore node, byte[] content) throws IOException {
        Path file = node.newTempFile();
        Files.write(file, content);
        return file;
    }

    private static String md5(byte[] content) {
        try {
            return "\""
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("MD5")
                                    .digest(content)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
