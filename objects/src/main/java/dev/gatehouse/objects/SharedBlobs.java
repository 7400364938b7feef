package dev.gatehouse.objects;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Write;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object bytes in the shared item store, so that every node on a shared store (PostgreSQL, DynamoDB) reads what any
 * node wrote. Each node keeps its files as a cache; this is the copy every node reaches.
 *
 * <p>Design note. A blob (random id, never reused, never changed) is a run of items in {@value #CHUNKS}: partition =
 * blob id, sort key = the chunk's 8-digit index, attribute {@code b} = {@value #CHUNK_BYTES} bytes (the last one
 * fewer) in base64, which keeps every item under DynamoDB's 400 KB. Chunks are written before the metadata that
 * names the blob, so no reader ever finds metadata without its bytes.
 *
 * <p>No orphan outlives a crash: before its first chunk, a blob gets a <em>pending</em> item in {@value #PENDING}
 * naming the item that is to reference it (its owner: an object, or a part of a multipart upload). The transaction
 * that makes the owner reference the blob also deletes the pending item, and puts a <em>retired</em> pending item
 * for the blob the owner referenced before (if any); that blob's chunks are then deleted, and its pending item last.
 * A crash at any point leaves a pending item, and {@link #sweep} (every node, at start and now and then) deletes
 * the chunks of any pending blob that its owner does not reference: retired ones at once, new ones once
 * {@link #GRACE} has passed (an upload in progress that long is taken for dead).
 */
final class SharedBlobs {

    /** Chunks of blobs: partition = blob id, sort key = chunk index. */
    static final String CHUNKS = "s3_blob_chunks";
    /** Blobs not (or no longer) referenced by their owner: one partition, sort key = due time + blob id. */
    static final String PENDING = "s3_blob_pending";
    /** Raw bytes per chunk: base64 of it (131,072 characters) stays under DynamoDB's item limit as the port counts. */
    static final int CHUNK_BYTES = 96 * 1024;
    /** How long a new blob may stay unreferenced before a sweep takes its upload for dead. */
    static final Duration GRACE = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(SharedBlobs.class);
    private static final String PARTITION = "pending";
    private static final String DATA = "b";
    private static final int CHUNKS_PER_PAGE = 4;

    private final ItemStore items;

    SharedBlobs(ItemStore items) {
        this.items = items;
    }

    /** The item that references a blob through its {@code blobAttribute}. */
    record Owner(String table, Key key, String blobAttribute) {}

    /**
     * Records {@code blob} as pending for {@code owner}, then copies {@code file} into chunks. Returns the pending
     * item's key: the caller deletes it in the transaction that makes the owner reference the blob.
     */
    Key upload(String blob, Path file, Owner owner, Instant now) throws IOException {
        Key pending = pendingKey(now.toEpochMilli(), blob);
        items.put(PENDING, pendingItem(pending, blob, owner), Condition.none());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK_BYTES];
            int index = 0;
            int read;
            do {
                // An empty blob is one empty chunk, so that every stored blob has at least one.
                read = in.readNBytes(buffer, 0, CHUNK_BYTES);
                String data = Base64.getEncoder().encodeToString(Arrays.copyOf(buffer, read));
                items.put(CHUNKS, Item.of(chunkKey(blob, index++), Map.of(DATA, data)), Condition.none());
            } while (read == CHUNK_BYTES);
        }
        return pending;
    }

    /** The write that marks {@code blob} retired: due at once for removal unless its owner references it again. */
    Write retire(String blob, Owner owner) {
        return Write.put(PENDING, pendingItem(pendingKey(0, blob), blob, owner), Condition.none());
    }

    /** The key {@link #retire} writes for {@code blob}. */
    static Key retiredKey(String blob) {
        return pendingKey(0, blob);
    }

    /** The write that deletes a pending item once its owner references the blob. */
    static Write settle(Key pending) {
        return Write.delete(PENDING, pending, Condition.none());
    }

    /**
     * Copies the blob's chunks into {@code target} (replacing it). Returns false, writing nothing useful, when the blob
     * has no chunks or not {@code size} bytes of them (deleted meanwhile).
     */
    boolean download(String blob, long size, Path target) throws IOException {
        long written = 0;
        int expected = 0;
        String cursor = null;
        try (OutputStream out = Files.newOutputStream(
                target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            do {
                Page page = items.query(CHUNKS, new Query(blob, SortCondition.any(), CHUNKS_PER_PAGE, true, cursor));
                for (Item chunk : page.items()) {
                    if (!chunk.key().sort().equals(index(expected++))) {
                        return false;
                    }
                    byte[] bytes =
                            Base64.getDecoder().decode(chunk.attribute(DATA).orElse(""));
                    out.write(bytes);
                    written += bytes.length;
                }
                cursor = page.cursor().orElse(null);
            } while (cursor != null);
        }
        return expected > 0 && written == size;
    }

    /** Deletes the blob's chunks, then its pending item {@code pending} (when given). */
    void remove(String blob, @Nullable Key pending) {
        String cursor = null;
        do {
            Page page = items.query(CHUNKS, new Query(blob, SortCondition.any(), Query.MAX_LIMIT, true, cursor));
            for (Item chunk : page.items()) {
                items.delete(CHUNKS, chunk.key(), Condition.none());
            }
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        if (pending != null) {
            items.delete(PENDING, pending, Condition.none());
        }
    }

    /**
     * Removes the chunks of every pending blob that is due (retired, or new and older than {@link #GRACE}) and that its
     * owner does not reference; forgets the pending item of one it does. Returns how many blobs were removed.
     */
    int sweep(Instant now) {
        String due = pendingKey(now.minus(GRACE).toEpochMilli(), "").sort();
        int removed = 0;
        String cursor = null;
        do {
            Page page = items.query(PENDING, new Query(PARTITION, SortCondition.lessThan(due), 100, true, cursor));
            for (Item pending : page.items()) {
                removed += settleOrRemove(pending) ? 1 : 0;
            }
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        if (removed > 0) {
            LOG.info("Removed {} unreferenced object blobs from the shared store", removed);
        }
        return removed;
    }

    private boolean settleOrRemove(Item pending) {
        String blob = pending.attribute("blob").orElse("");
        Owner owner = new Owner(
                pending.attribute("table").orElse(""),
                Key.of(
                        pending.attribute("pk").orElse("-"),
                        pending.attribute("sk").orElse("-")),
                pending.attribute("attribute").orElse(""));
        Optional<String> referenced =
                items.get(owner.table(), owner.key()).flatMap(i -> i.attribute(owner.blobAttribute()));
        if (referenced.isPresent() && referenced.get().equals(blob)) {
            // The owner's transaction committed but the node died before the pending item went: keep the blob.
            items.delete(PENDING, pending.key(), Condition.none());
            return false;
        }
        remove(blob, pending.key());
        return true;
    }

    private static Item pendingItem(Key key, String blob, Owner owner) {
        return Item.of(
                key,
                Map.of(
                        "blob",
                        blob,
                        "table",
                        owner.table(),
                        "pk",
                        owner.key().partition(),
                        "sk",
                        owner.key().sort(),
                        "attribute",
                        owner.blobAttribute()));
    }

    private static Key pendingKey(long dueMillis, String blob) {
        return Key.of(PARTITION, String.format(Locale.ROOT, "%020d#%s", Math.max(0, dueMillis), blob));
    }

    private static Key chunkKey(String blob, int index) {
        return Key.of(blob, index(index));
    }

    private static String index(int index) {
        return String.format(Locale.ROOT, "%08d", index);
    }
}
