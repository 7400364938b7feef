package dev.gatehouse.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Encodes and decodes the portable query cursors of {@link Page#cursor()}. A cursor is the base64url form (no padding)
 * of a version byte, the first 8 bytes of the SHA-256 of the partition key, and the UTF-8 bytes of the last sort key
 * returned. Any adapter on any node can resume from it, and a cursor presented with another partition is rejected.
 *
 * <p>A cursor is opaque to callers but not secret or tamper-proof: it reveals the last sort key. Callers that hand
 * cursors to clients and must not reveal sort keys wrap them.
 */
public final class Cursors {

    private static final byte VERSION = 1;
    private static final int HASH_BYTES = 8;

    private Cursors() {}

    /** The cursor that resumes a query of {@code partition} after (in the query's direction) {@code lastSortKey}. */
    public static String encode(String partition, String lastSortKey) {
        Objects.requireNonNull(lastSortKey, "lastSortKey cannot be null");
        byte[] sort = lastSortKey.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + HASH_BYTES + sort.length);
        out.put(VERSION).put(partitionHash(partition)).put(sort);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * The last sort key recorded in {@code cursor}.
     *
     * @throws IllegalArgumentException if the cursor is malformed or was issued for another partition
     */
    public static String decode(String partition, String cursor) {
        Objects.requireNonNull(cursor, "cursor cannot be null");
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
        if (bytes.length < 2 + HASH_BYTES || bytes[0] != VERSION) {
            throw new IllegalArgumentException("invalid cursor");
        }
        // Not a secret comparison: the hash only guards against mixing up partitions.
        if (!Arrays.equals(bytes, 1, 1 + HASH_BYTES, partitionHash(partition), 0, HASH_BYTES)) {
            throw new IllegalArgumentException("cursor belongs to another partition");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 1 + HASH_BYTES, bytes.length - 1 - HASH_BYTES))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }

    private static byte[] partitionHash(String partition) {
        Objects.requireNonNull(partition, "partition cannot be null");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(partition.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
