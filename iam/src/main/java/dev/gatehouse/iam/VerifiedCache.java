package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, thread-safe memo of work already done on an authenticated input (a token whose signature or seal was
 * verified), so the same bytes are not verified again on every request.
 *
 * <p>Design note. Entries are keyed on the <em>whole</em> input that was verified, never on a part of it (a
 * {@code kid}, a key id, a prefix): an input differing in any byte, a tampered one included, has another key and takes
 * the full verification path. A bearer token, which grants access by itself (a JWT), is keyed on its SHA-256
 * ({@link #keyOf}) and not kept. An input that grants nothing alone, such as a session token (ciphertext under the
 * server's key, useless without the secret it seals), may be its own key: comparing the text costs less than hashing
 * it. Every entry carries the instant it stops being valid (the token's expiry); {@link #get} never returns an entry
 * at or past it, so expiry is decided at the moment of use exactly as without the cache. Callers re-check whatever can
 * change after verification (time windows, key retirement) on every hit. When {@code maxEntries} is reached, expired
 * entries are dropped, then arbitrary ones until a quarter of the room is free: a miss only costs a new verification.
 *
 * @param <K> the key: a {@link Key} or the input itself
 * @param <V> what the verification produced
 */
public final class VerifiedCache<K, V> {

  private record Entry<V>(V value, Instant expiresAt) {
  }

  private final int maxEntries;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

  /**
   * A cache holding at most about {@code maxEntries} entries.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  public VerifiedCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
  }

  /** The cache key of an input: the SHA-256 of its UTF-8 bytes. */
  public static Key keyOf(String input) {
    Objects.requireNonNull(input, "input cannot be null");
    return new Key(SigV4Signing.sha256(input.getBytes(StandardCharsets.UTF_8)));
  }

  /** The value stored for {@code key}, if any and still valid at {@code now} (an entry at its expiry is dropped). */
  public Optional<V> get(K key, Instant now) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!now.isBefore(entry.expiresAt())) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  /** Stores {@code value} until {@code expiresAt} (exclusive); nothing is stored if that is not after {@code now}. */
  public void put(K key, V value, Instant expiresAt, Instant now) {
    Objects.requireNonNull(value, "value cannot be null");
    if (!now.isBefore(expiresAt)) {
      return;
    }
    if (entries.size() >= maxEntries) {
      evict(now);
    }
    entries.put(key, new Entry<>(value, expiresAt));
  }

  /** Forgets {@code key}. */
  public void remove(K key) {
    entries.remove(key);
  }

  /** The number of entries held, expired ones included until they are dropped. */
  public int size() {
    return entries.size();
  }

  private void evict(Instant now) {
    entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
    int target = maxEntries - Math.max(1, maxEntries / 4);
    Iterator<K> keys = entries.keySet().iterator();
    while (entries.size() > target && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }

  /** The SHA-256 of a verified input. */
  public static final class Key {
    private final byte[] digest;
    /** The digest's first four bytes: already uniformly distributed. */
    private final int hash;

    private Key(byte[] digest) {
      this.digest = digest;
      this.hash = (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Key && MessageDigest.isEqual(((Key) other).digest, digest);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "VerifiedCache.Key[redacted]";
    }
  }
}
