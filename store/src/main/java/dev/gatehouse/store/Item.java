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
 * <p>Attribute names are non-empty and must not start with {@code _} (reserved for adapters). The whole item stays
 * under {@link #MAX_BYTES}, DynamoDB's item limit.
 */
public record Item(Key key, Map<String, String> attributes, @Nullable Instant expiresAt) {

  public static final int MAX_BYTES = 400 * 1024;

  public Item {
    Objects.requireNonNull(key, "key cannot be null");
    attributes = Map.copyOf(attributes);
    long size = key.partition().length() + key.sort().length();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().startsWith("_")) {
        throw new IllegalArgumentException("invalid attribute name: " + e.getKey());
      }
      size += e.getKey().length() + (long) e.getValue().length() * 3;
    }
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException("item is larger than " + MAX_BYTES + " bytes");
    }
  }

  public static Item of(Key key, Map<String, String> attributes) {
    return new Item(key, attributes, null);
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /** Whether the item has expired at {@code now}: an expiry equal to now counts as expired. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }
}
