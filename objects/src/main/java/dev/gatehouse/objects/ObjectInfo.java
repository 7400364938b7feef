package dev.gatehouse.objects;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the store knows of one object.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param blob the random id of the file holding the bytes (never derived from the key)
 * @param size bytes
 * @param etag S3's ETag: the MD5 hex in double quotes (for a multipart object, the MD5 of the parts' MD5s, a hyphen
 *     and the part count)
 * @param lastModified when the object was written, to the second
 * @param headers the stored representation headers ({@code content-type}, {@code content-disposition}…), lower-case
 * @param metadata user metadata ({@code x-amz-meta-<name>}), names lower-case without the prefix
 */
public record ObjectInfo(
        String bucket,
        String key,
        String blob,
        long size,
        String etag,
        Instant lastModified,
        Map<String, String> headers,
        Map<String, String> metadata) {

    public ObjectInfo {
        Objects.requireNonNull(bucket, "bucket cannot be null");
        Objects.requireNonNull(key, "key cannot be null");
        Objects.requireNonNull(blob, "blob cannot be null");
        Objects.requireNonNull(etag, "etag cannot be null");
        Objects.requireNonNull(lastModified, "lastModified cannot be null");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The Content-Type served; S3's default for objects stored without one. */
    public String contentType() {
        return headers.getOrDefault("content-type", "binary/octet-stream");
    }
}
