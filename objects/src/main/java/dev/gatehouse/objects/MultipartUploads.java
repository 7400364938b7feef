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
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The multipart uploads of an {@link ObjectStore}: their parts in {@value #UPLOADS}, joined into an object on completion. */
final class MultipartUploads {

    /** Multipart uploads: partition = upload id; the upload itself under {@value #UPLOAD}, parts under {@code part#…}. */
    static final String UPLOADS = "s3_uploads";

    private static final String UPLOAD = "upload";
    private static final String PART = "part#";

    private final ObjectStore store;
    private final ItemStore items;

    MultipartUploads(ObjectStore store, ItemStore items) {
        this.store = store;
        this.items = items;
    }

    /** A multipart upload in progress: where its object will go and the headers it was created with. */
    record Upload(
            String uploadId, String bucket, String key, Map<String, String> headers, Map<String, String> metadata) {}

    /** A part named in CompleteMultipartUpload. */
    record PartRef(int number, String etag) {}

    /** Starts a multipart upload; returns its id (random, 32 hex). */
    String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> metadata) {
        String uploadId = store.newId();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("bucket", bucket);
        attributes.put("key", key);
        headers.forEach((name, value) -> attributes.put(ObjectStore.HEADER + name, value));
        metadata.forEach((name, value) -> attributes.put(ObjectStore.META + name, value));
        items.put(UPLOADS, Item.of(Key.of(uploadId, UPLOAD), attributes), Condition.notExists());
        return uploadId;
    }

    /** The upload, if it exists and is for {@code bucket}/{@code key}. */
    Optional<Upload> upload(String uploadId, String bucket, String key) {
        if (!uploadId.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        return items.get(UPLOADS, Key.of(uploadId, UPLOAD))
                .filter(item -> item.attribute("bucket").orElse("").equals(bucket)
                        && item.attribute("key").orElse("").equals(key))
                .map(item -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    Map<String, String> metadata = new LinkedHashMap<>();
                    item.attributes().forEach((name, value) -> {
                        if (name.startsWith(ObjectStore.HEADER)) {
                            headers.put(name.substring(ObjectStore.HEADER.length()), value);
                        } else if (name.startsWith(ObjectStore.META)) {
                            metadata.put(name.substring(ObjectStore.META.length()), value);
                        }
                    });
                    return new Upload(uploadId, bucket, key, headers, metadata);
                });
    }

    /** Stores part {@code number} (1..10000) of an upload from a complete temp file, replacing an earlier one. */
    void commitPart(Upload upload, int number, Path file, long size, String etag) {
        String blob = store.moveIntoBlobs(file);
        Key partKey = Key.of(upload.uploadId(), partSortKey(number));
        SharedBlobs.Owner owner = new SharedBlobs.Owner(UPLOADS, partKey, ObjectStore.BLOB);
        Optional<Key> pending = store.publish(blob, owner);
        Optional<String> previous = items.get(UPLOADS, partKey).flatMap(p -> p.attribute(ObjectStore.BLOB));
        try {
            Item part = Item.of(
                    partKey,
                    Map.of(ObjectStore.BLOB, blob, ObjectStore.SIZE, Long.toString(size), ObjectStore.ETAG, etag));
            items.transact(store.replacing(Write.put(UPLOADS, part, Condition.none()), pending, previous, owner));
        } catch (RuntimeException e) {
            store.removeBlob(blob, pending.orElse(null));
            throw e;
        }
        previous.ifPresent(store::retireBlob);
    }

    /**
     * Joins the named parts into the object and ends the upload. Every part but the last must be at least
     * {@code minPartSize}; the object at most {@code maxSize}.
     *
     * @throws S3Exception {@code InvalidPart}, {@code InvalidPartOrder}, {@code EntityTooSmall} or {@code EntityTooLarge}
     */
    ObjectInfo completeUpload(Upload upload, List<PartRef> parts, long minPartSize, long maxSize) {
        if (parts.isEmpty()) {
            throw new S3Exception(S3Error.of(
                    "MalformedXML",
                    400,
                    "The XML you provided was not well-formed or did not " + "validate against our published schema"));
        }
        List<Item> stored = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            PartRef part = parts.get(i);
            if (i > 0 && part.number() <= parts.get(i - 1).number()) {
                throw new S3Exception(S3Error.of(
                                "InvalidPartOrder",
                                400,
                                "The list of parts was not in ascending order. "
                                        + "Parts must be ordered by part number.")
                        .with("UploadId", upload.uploadId()));
            }
            Item item = items.get(UPLOADS, Key.of(upload.uploadId(), partSortKey(part.number())))
                    .filter(found -> unquote(found.attribute(ObjectStore.ETAG).orElse(""))
                            .equals(unquote(part.etag())))
                    .orElseThrow(() -> new S3Exception(S3Error.of(
                                    "InvalidPart",
                                    400,
                                    "One or more of the specified parts could "
                                            + "not be found. The part may not have been uploaded, or the specified entity tag may not match the "
                                            + "part's entity tag.")
                            .with("UploadId", upload.uploadId())
                            .with("PartNumber", Integer.toString(part.number()))));
            long size = Long.parseLong(item.attribute(ObjectStore.SIZE).orElse("0"));
            if (i < parts.size() - 1 && size < minPartSize) {
                throw new S3Exception(S3Error.of(
                                "EntityTooSmall",
                                400,
                                "Your proposed upload is smaller than the minimum " + "allowed object size.")
                        .with("MinSizeAllowed", Long.toString(minPartSize)));
            }
            total += size;
            stored.add(item);
        }
        if (total > maxSize) {
            throw new S3Exception(S3Error.entityTooLarge(maxSize));
        }
        Path joined = store.newTempFile();
        java.security.MessageDigest md5s;
        try {
            md5s = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
        try (FileChannel out = OwnerOnlyFiles.create(joined)) {
            for (Item item : stored) {
                Path partFile = store.localBlob(
                        item.attribute(ObjectStore.BLOB).orElse(""),
                        Long.parseLong(item.attribute(ObjectStore.SIZE).orElse("0")));
                try (FileChannel in = FileChannel.open(partFile, StandardOpenOption.READ)) {
                    long position = 0;
                    long size = in.size();
                    while (position < size) {
                        position += in.transferTo(position, size - position, out);
                    }
                }
                md5s.update(HexFormat.of()
                        .parseHex(unquote(item.attribute(ObjectStore.ETAG).orElse(""))));
            }
        } catch (IOException e) {
            store.discard(joined);
            throw new UncheckedIOException("cannot join the parts of an upload", e);
        }
        String etag = "\"" + HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size() + "\"";
        ObjectInfo info =
                store.commit(upload.bucket(), upload.key(), joined, total, etag, upload.headers(), upload.metadata());
        abortUpload(upload.uploadId());
        return info;
    }

    /** Removes an upload and all its parts; an unknown id is not an error. */
    void abortUpload(String uploadId) {
        if (!uploadId.matches("[0-9a-f]{32}")) {
            return;
        }
        String cursor = null;
        do {
            Page page = items.query(
                    UPLOADS, new Query(uploadId, SortCondition.beginsWith(PART), Query.MAX_LIMIT, true, cursor));
            for (Item part : page.items()) {
                Optional<String> blob = part.attribute(ObjectStore.BLOB);
                items.transact(store.replacing(
                        Write.delete(UPLOADS, part.key(), Condition.none()),
                        Optional.empty(),
                        blob,
                        new SharedBlobs.Owner(UPLOADS, part.key(), ObjectStore.BLOB)));
                blob.ifPresent(store::retireBlob);
            }
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        items.delete(UPLOADS, Key.of(uploadId, UPLOAD), Condition.none());
    }

    private static String partSortKey(int number) {
        return PART + String.format(java.util.Locale.ROOT, "%05d", number);
    }

    private static String unquote(String etag) {
        String trimmed = etag.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1)
                : trimmed;
    }
}
