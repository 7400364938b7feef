package dev.gatehouse.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The primary key of an item: a partition key and a sort key, both non-empty, well-formed Unicode strings (no unpaired
 * surrogate) of at most 1024 UTF-8 bytes. Items of one partition are ordered by sort key in UTF-8 byte order
 * (DynamoDB's order for strings), which is code point order, not {@link String#compareTo}'s UTF-16 order.
 */
public record Key(String partition, String sort) {

    /** DynamoDB's limit for a sort key; the partition key limit (2048) is larger, so this bounds both. */
    public static final int MAX_BYTES = 1024;

    /**
     * Checks the key.
     *
     * @throws IllegalArgumentException if a part is empty, too long, or has an unpaired surrogate
     */
    public Key {
        Objects.requireNonNull(partition, "partition cannot be null");
        Objects.requireNonNull(sort, "sort cannot be null");
        if (partition.isEmpty() || sort.isEmpty()) {
            throw new IllegalArgumentException("partition and sort keys must not be empty");
        }
        if (utf8Length(partition) > MAX_BYTES || utf8Length(sort) > MAX_BYTES) {
            throw new IllegalArgumentException("keys must be at most " + MAX_BYTES + " UTF-8 bytes");
        }
        // An unpaired surrogate has no UTF-8 form: two different keys would collapse into one in a byte-keyed adapter.
        if (!Utf8Order.isWellFormed(partition) || !Utf8Order.isWellFormed(sort)) {
            throw new IllegalArgumentException("keys must not contain unpaired surrogates");
        }
    }

    /** The key with these parts; see the constructor for the checks. */
    public static Key of(String partition, String sort) {
        return new Key(partition, sort);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
