package dev.gatehouse.objects;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Utf8Order;
import dev.gatehouse.store.Write;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects on disk and their metadata in the item store. Every method blocks: call it off the event loop.
 *
 * <p>Design note. The bytes of an object live in {@code <dir>/blobs/<random id>}; a key's text never reaches the file
 * system, so no key can escape the directory. Metadata is an item in {@value #TABLE} with partition = bucket and sort
 * key = object key, so a listing is one ordered range read. A write goes temp file → fsync → atomic rename into
 * {@code blobs/} → item put (conditional on the item it replaces, retried on a race) → old blob removed; a reader
 * therefore always finds the blob its item names, except across a concurrent overwrite or delete, which it reports as
 * a missing key. A crash between rename and put leaves an unreferenced blob, never a dangling item. Deletion removes
 * the item, then the file. Where the file system has POSIX permissions, the directory and its {@code blobs/} and
 * {@code tmp/} are {@code rwx------} and every file is created {@code rw-------}, whatever the umask and the mode of
 * the directory above: objects are private attachments.
 *
 * <p>On a store that several nodes share, the bytes also go to the item store ({@link SharedBlobs}) before the item
 * that names them, and a node that lacks a blob's file fetches it from there before serving it; the files are then a
 * per-node cache, emptied at start.
 */
public final class ObjectStore {

    /** The item-store table of object metadata. */
    static final String TABLE = "s3_objects";

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
    static final String BLOB = "blob";
    static final String SIZE = "size";
    static final String ETAG = "etag";
    private static final String MODIFIED = "modified";
    static final String HEADER = "h.";
    static final String META = "m.";
    private static final java.time.Duration SWEEP_INTERVAL = java.time.Duration.ofMinutes(10);

    private final ItemStore items;
    private final Path blobs;
    private final Path temp;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final @Nullable SharedBlobs shared;
    /** The bound on {@code blobs/} when it is a cache of the shared store; none on a store of one node. */
    private final @Nullable BlobCache cache;

    private volatile Instant nextSweep = Instant.MIN;

    private ObjectStore(ItemStore items, Path root, Clock clock, @Nullable CacheLimits sharedCache) {
        this.items = Objects.requireNonNull(items, "items cannot be null");
        this.blobs = root.resolve("blobs");
        this.temp = root.resolve("tmp");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.shared = sharedCache == null ? null : new SharedBlobs(items);
        this.cache =
                sharedCache == null ? null : new BlobCache(blobs, sharedCache.maxBytes(), sharedCache.maxIdle(), clock);
    }

    /**
     * The bound on a node's cache of shared object bytes: least recently used files go beyond {@code maxBytes}, any
     * file once unused for {@code maxIdle} (see {@link BlobCache}).
     */
    public record CacheLimits(long maxBytes, java.time.Duration maxIdle) {

        /** 1 GiB, one hour. */
        public static final CacheLimits DEFAULT =
                new CacheLimits(BlobCache.DEFAULT_MAX_BYTES, BlobCache.DEFAULT_MAX_IDLE);

        public CacheLimits {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes cannot be negative");
            }
            Objects.requireNonNull(maxIdle, "maxIdle cannot be null");
        }
    }

    /**
     * Opens (creating if needed) the store under {@code directory}, and removes upload leftovers in its temp folder. The
     * directory and its {@code blobs/} and {@code tmp/} are made owner-only, also when an earlier version left them
     * readable by others (the files in them are then out of other users' reach).
     */
    public static ObjectStore open(ItemStore items, Path directory, Clock clock) {
        return open(items, directory, clock, false);
    }

    /**
     * Opens the store under {@code directory}; with {@code sharedStore} (an item store other nodes use too), object
     * bytes live in the item store and the directory is this node's cache of them, emptied here.
     */
    public static ObjectStore open(ItemStore items, Path directory, Clock clock, boolean sharedStore) {
        return open(items, directory, clock, sharedStore ? Optional.of(CacheLimits.DEFAULT) : Optional.empty());
    }

    /**
     * Opens the store under {@code directory}; with {@code sharedCache} (the item store is shared with other nodes),
     * object bytes live in the item store and the directory is this node's cache of them, bounded by those limits and
     * emptied here.
     */
    public static ObjectStore open(ItemStore items, Path directory, Clock clock, Optional<CacheLimits> sharedCache) {
        Path root = directory.toAbsolutePath().normalize();
        boolean sharedStore = sharedCache.isPresent();
        ObjectStore store = new ObjectStore(items, root, clock, sharedCache.orElse(null));
        try {
            Path parent = root.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            for (Path dir : List.of(root, store.blobs, store.temp)) {
                OwnerOnlyFiles.directory(dir);
            }
            OwnerOnlyFiles.empty(store.temp);
            if (sharedStore) {
                OwnerOnlyFiles.empty(store.blobs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the object directory " + root, e);
        }
        // A start sweeps too, so that leftovers of a crash go even if no upload follows.
        store.sweepIfDue();
        return store;
    }

    /**
     * The object's metadata, once its bytes are in this node's {@link #blobFile}: on a shared store, a node that lacks
     * them fetches them first. Empty when there is no such object, or it was deleted while being fetched.
     */
    Optional<ObjectInfo> headForRead(String bucket, String key) {
        Optional<ObjectInfo> found = head(bucket, key);
        if (shared == null || found.isEmpty()) {
            return found;
        }
        if (Files.exists(blobFile(found.get()))) {
            used(found.get().blob());
            return found;
        }
        try {
            localBlob(found.get().blob(), found.get().size());
            return found;
        } catch (IOException e) {
            // Deleted or replaced while being fetched: as a missing key, like a local reader across a concurrent
            // delete.
            LOG.debug("fetching object bytes failed: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * Removes the shared bytes that no object or part references (left by a node that crashed mid-write or
     * mid-delete); see {@link SharedBlobs}. Does nothing on a store of one node. Returns how many blobs went.
     */
    public int sweep() {
        return shared == null ? 0 : shared.sweep(clock.instant());
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (shared != null && !now.isBefore(nextSweep)) {
            nextSweep = now.plus(SWEEP_INTERVAL);
            try {
                shared.sweep(now);
            } catch (RuntimeException e) {
                LOG.warn("Sweeping unreferenced object blobs failed: {}", e.toString());
            }
        }
    }

    /** The file of a blob, fetched from the shared store first when this node lacks it. */
    Path localBlob(String blob, long size) throws IOException {
        Path file = blobs.resolve(blob);
        if (shared == null || blob.isEmpty()) {
            return file;
        }
        if (Files.exists(file)) {
            used(blob);
            return file;
        }
        Path download = newTempFile();
        try {
            if (!shared.download(blob, size, download)) {
                throw new IOException("the bytes of blob " + blob + " are gone from the shared store");
            }
            Files.move(download, file, StandardCopyOption.REPLACE_EXISTING);
            cached(blob, size);
            return file;
        } finally {
            discard(download);
        }
    }

    private void used(String blob) {
        if (cache != null) {
            cache.used(blob);
        }
    }

    private void cached(String blob, long size) {
        if (cache != null) {
            cache.added(blob, size);
        }
    }

    /** Copies a blob into the shared store, pending for {@code owner}; empty on a store of one node. */
    Optional<Key> publish(String blob, SharedBlobs.Owner owner) {
        if (shared == null) {
            return Optional.empty();
        }
        try {
            Key pending = shared.upload(blob, blobs.resolve(blob), owner, clock.instant());
            // Only now is the file a copy: before, it was the only one, which the cache must not remove.
            cached(blob, Files.size(blobs.resolve(blob)));
            return Optional.of(pending);
        } catch (IOException | RuntimeException e) {
            removeBlob(blob, null);
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot store an object's bytes", io)
                    : (RuntimeException) e;
        }
    }

    /**
     * The writes that make {@code owner} reference {@code blob} (its pending item settled) in place of {@code previous}
     * (retired), besides the owner's own write.
     */
    List<Write> replacing(Write ownerWrite, Optional<Key> pending, Optional<String> previous, SharedBlobs.Owner owner) {
        List<Write> writes = new ArrayList<>(List.of(ownerWrite));
        if (shared != null) {
            pending.ifPresent(key -> writes.add(SharedBlobs.settle(key)));
            previous.filter(b -> !b.isEmpty()).ifPresent(b -> writes.add(shared.retire(b, owner)));
        }
        return writes;
    }

    /** This store's multipart uploads. */
    MultipartUploads uploads() {
        return new MultipartUploads(this, items);
    }

    /** A fresh temp file name for an upload (no I/O). */
    Path newTempFile() {
        return temp.resolve(newId() + ".part");
    }

    /** The file of an object's bytes. */
    Path blobFile(ObjectInfo info) {
        return blobs.resolve(info.blob());
    }

    /** Removes a temp file, ignoring failures (best effort after a failed upload). */
    void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove temp file {}: {}", file.getFileName(), e.toString());
        }
    }

    /**
     * Makes {@code upload} (a complete temp file from {@link #newTempFile}) the object {@code bucket}/{@code key},
     * replacing any previous one. Returns the stored object.
     */
    ObjectInfo commit(
            String bucket,
            String key,
            Path upload,
            long size,
            String etag,
            Map<String, String> headers,
            Map<String, String> metadata) {
        String blob = moveIntoBlobs(upload);
        ObjectInfo info = new ObjectInfo(
                bucket, key, blob, size, etag, clock.instant().truncatedTo(ChronoUnit.SECONDS), headers, metadata);
        Item item = toItem(info);
        Key itemKey = Key.of(bucket, key);
        SharedBlobs.Owner owner = new SharedBlobs.Owner(TABLE, itemKey, BLOB);
        Optional<Key> pending = publish(blob, owner);
        try {
            for (int attempt = 0; ; attempt++) {
                Optional<Item> previous = items.get(TABLE, itemKey);
                Optional<String> previousBlob = previous.flatMap(p -> p.attribute(BLOB));
                Condition condition = previous.map(p -> Condition.attributeEquals(
                                BLOB, p.attribute(BLOB).orElse("")))
                        .orElse(Condition.notExists());
                try {
                    items.transact(replacing(Write.put(TABLE, item, condition), pending, previousBlob, owner));
                    previousBlob.ifPresent(this::retireBlob);
                    sweepIfDue();
                    return info;
                } catch (ConditionFailedException e) {
                    if (attempt >= 10) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            removeBlob(blob, pending.orElse(null));
            throw e;
        }
    }

    /**
     * Stores a small object from memory (tests, seeding), as PutObject would: ETag = quoted MD5 hex.
     *
     * @throws IllegalArgumentException if the key is not a valid key ({@link ObjectKeys#isValidKey})
     */
    public ObjectInfo putBytes(String bucket, String key, byte[] content, String contentType) {
        if (!ObjectKeys.isValidKey(key)) {
            throw new IllegalArgumentException("invalid object key");
        }
        Path upload = newTempFile();
        try {
            try (FileChannel out = OwnerOnlyFiles.create(upload)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            String etag = "\""
                    + HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("MD5")
                                    .digest(content)) + "\"";
            return commit(bucket, key, upload, content.length, etag, Map.of("content-type", contentType), Map.of());
        } catch (IOException e) {
            discard(upload);
            throw new UncheckedIOException("cannot store an object file", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            discard(upload);
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    /** fsync, then atomically move a complete temp file into {@code blobs/}; returns the blob id. */
    String moveIntoBlobs(Path upload) {
        String blob = newId();
        Path target = blobs.resolve(blob);
        try {
            try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(upload, target);
            }
        } catch (IOException e) {
            discard(upload);
            throw new UncheckedIOException("cannot store an object file", e);
        }
        return blob;
    }

    /** The object's metadata, if it exists. */
    public Optional<ObjectInfo> head(String bucket, String key) {
        return items.get(TABLE, Key.of(bucket, key)).map(ObjectStore::fromItem);
    }

    /**
     * Deletes an object; deleting a missing one is not an error (as in S3). For other modules (a note's attachment is
     * deleted with the note).
     *
     * @return whether an object was deleted
     */
    public boolean deleteObject(String bucket, String key) {
        if (key.isEmpty() || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ObjectKeys.MAX_KEY_BYTES) {
            return false;
        }
        Key itemKey = Key.of(bucket, key);
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<Item> previous = items.get(TABLE, itemKey);
            if (previous.isEmpty()) {
                return false;
            }
            String blob = previous.get().attribute(BLOB).orElse("");
            try {
                items.transact(replacing(
                        Write.delete(TABLE, itemKey, Condition.attributeEquals(BLOB, blob)),
                        Optional.empty(),
                        Optional.of(blob),
                        new SharedBlobs.Owner(TABLE, itemKey, BLOB)));
                retireBlob(blob);
                return true;
            } catch (ConditionFailedException e) {
                // overwritten meanwhile: delete what is there now
            }
        }
        return false;
    }

    /**
     * One page of a ListObjectsV2 listing: keys after {@code startAfter} (exclusive; may be empty) that start with
     * {@code prefix}, with keys sharing a {@code delimiter}-terminated part after the prefix rolled up into common
     * prefixes. {@code skipPrefix}, when present, is a common prefix returned on an earlier page: its keys are skipped.
     */
    ListPage list(
            String bucket,
            String prefix,
            @Nullable String delimiter,
            int maxKeys,
            String startAfter,
            @Nullable String skipPrefix) {
        List<ObjectInfo> contents = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        if (maxKeys == 0) {
            return new ListPage(contents, commonPrefixes, false, null, false);
        }
        boolean useAfter = !startAfter.isEmpty() && Utf8Order.compare(startAfter, prefix) >= 0;
        SortCondition range = useAfter ? SortCondition.greaterThan(startAfter) : SortCondition.beginsWith(prefix);
        String cursor = null;
        String lastReturned = null;
        boolean lastWasPrefix = false;
        while (true) {
            Page page = items.query(TABLE, new Query(bucket, range, Query.MAX_LIMIT, true, cursor));
            for (Item item : page.items()) {
                String key = item.key().sort();
                if (!key.startsWith(prefix)) {
                    if (Utf8Order.compare(key, prefix) > 0) {
                        return new ListPage(contents, commonPrefixes, false, lastReturned, lastWasPrefix);
                    }
                    continue;
                }
                if (skipPrefix != null && key.startsWith(skipPrefix)) {
                    continue;
                }
                String rolledUp = rollUp(key, prefix, delimiter);
                if (rolledUp != null
                        && !commonPrefixes.isEmpty()
                        && commonPrefixes.get(commonPrefixes.size() - 1).equals(rolledUp)) {
                    continue;
                }
                if (contents.size() + commonPrefixes.size() >= maxKeys) {
                    return new ListPage(contents, commonPrefixes, true, lastReturned, lastWasPrefix);
                }
                if (rolledUp != null) {
                    commonPrefixes.add(rolledUp);
                    lastReturned = rolledUp;
                    lastWasPrefix = true;
                } else {
                    contents.add(fromItem(item));
                    lastReturned = key;
                    lastWasPrefix = false;
                }
            }
            if (page.cursor().isEmpty()) {
                return new ListPage(contents, commonPrefixes, false, lastReturned, lastWasPrefix);
            }
            cursor = page.cursor().get();
        }
    }

    private static @Nullable String rollUp(String key, String prefix, @Nullable String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    /**
     * A listing page.
     *
     * @param truncated more keys follow
     * @param last the last key or common prefix returned (where the next page starts); null when nothing was returned
     * @param lastIsPrefix whether {@code last} is a common prefix
     */
    record ListPage(
            List<ObjectInfo> contents,
            List<String> commonPrefixes,
            boolean truncated,
            @Nullable String last,
            boolean lastIsPrefix) {}

    /** Removes a blob that its owner no longer references (retired, on a shared store). */
    void retireBlob(String blob) {
        removeBlob(blob, shared == null ? null : SharedBlobs.retiredKey(blob));
    }

    /**
     * Removes a blob's file and, on a shared store, its bytes there and then its pending item. A failure there is left
     * to {@link #sweep}, which finds the pending item.
     */
    void removeBlob(String blob, @Nullable Key pending) {
        if (blob.isEmpty()) {
            return;
        }
        try {
            Files.deleteIfExists(blobs.resolve(blob));
        } catch (IOException e) {
            LOG.warn("could not remove object file {}: {}", blob, e.toString());
        }
        if (cache != null) {
            cache.removed(blob);
        }
        if (shared != null) {
            try {
                shared.remove(blob, pending);
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not remove object bytes {} from the shared store (a sweep will): {}",
                        blob,
                        e.toString());
            }
        }
    }

    String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Item toItem(ObjectInfo info) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(BLOB, info.blob());
        attributes.put(SIZE, Long.toString(info.size()));
        attributes.put(ETAG, info.etag());
        attributes.put(MODIFIED, Long.toString(info.lastModified().toEpochMilli()));
        info.headers().forEach((name, value) -> attributes.put(HEADER + name, value));
        info.metadata().forEach((name, value) -> attributes.put(META + name, value));
        return Item.of(Key.of(info.bucket(), info.key()), attributes);
    }

    private static ObjectInfo fromItem(Item item) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        item.attributes().forEach((name, value) -> {
            if (name.startsWith(HEADER)) {
                headers.put(name.substring(HEADER.length()), value);
            } else if (name.startsWith(META)) {
                metadata.put(name.substring(META.length()), value);
            }
        });
        return new ObjectInfo(
                item.key().partition(),
                item.key().sort(),
                item.attribute(BLOB).orElse(""),
                Long.parseLong(item.attribute(SIZE).orElse("0")),
                item.attribute(ETAG).orElse("\"\""),
                Instant.ofEpochMilli(Long.parseLong(item.attribute(MODIFIED).orElse("0"))),
                headers,
                metadata);
    }
}
