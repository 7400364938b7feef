package dev.gatehouse.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One stored item: its key, string attributes, and an optional expiry. An item whose expiry has passed is absent to
 * every read and condition, whether or not an adapter has deleted it yet (DynamoDB's TTL deletes lazily).
 *
 * <p>Attribute names are non-empty and must not start with {@code _} (reserved for adapters). Names and values are
 * well-formed Unicode (no unpaired surrogate), since adapters store them as UTF-8. The whole item stays
 * under {@link #MAX_BYTES}, DynamoDB's item limit. The expiry is kept to the millisecond (finer parts are truncated
 * here, so an item reads back equal to the one written on every adapter).
 */
public record Item(Key key, Map<String, String> attributes, @Nullable Instant expiresAt) {

    /** DynamoDB's item size limit, in bytes. */
    public static final int MAX_BYTES = 400 * 1024;

    /**
     * Checks the item.
     *
     * @throws IllegalArgumentException if an attribute name is invalid, a name or value has an unpaired surrogate,
     *     the item is too large, or the expiry is outside the range of epoch milliseconds
     */
    public Item {
        Objects.requireNonNull(key, "key cannot be null");
        attributes = Map.copyOf(attributes);
        if (expiresAt != null) {
            try {
                expiresAt = Instant.ofEpochMilli(expiresAt.toEpochMilli());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("expiresAt is out of range: " + expiresAt, e);
            }
        }
        long size = (long) key.partition().length() + key.sort().length();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().startsWith("_")) {
                throw new IllegalArgumentException("invalid attribute name: " + e.getKey());
            }
            if (!Utf8Order.isWellFormed(e.getKey()) || !Utf8Order.isWellFormed(e.getValue())) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " has an unpaired surrogate");
            }
            size += e.getKey().length() + (long) e.getValue().length() * 3;
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("item is larger than " + MAX_BYTES + " bytes");
        }
    }

    /** An item that never expires. */
    public static Item of(Key key, Map<String, String> attributes) {
        return new Item(key, attributes, null);
    }

    /** An item that expires at {@code expiresAt}: from that instant on, it is absent. */
    public static Item expiring(Key key, Map<String, String> attributes, Instant expiresAt) {
        return new Item(key, attributes, Objects.requireNonNull(expiresAt, "expiresAt cannot be null"));
    }

    /** The value of attribute {@code name}, if the item has it. */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** When the item expires; empty when it never does. */
    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    /** Whether the item has expired at {@code now}: an expiry equal to now counts as expired. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
