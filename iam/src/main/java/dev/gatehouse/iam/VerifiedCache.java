package dev.gatehouse.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
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
 * change after verification (time windows, key retirement) on every hit.
 *
 * <p>The entries live in a Caffeine cache bounded to {@code maxEntries}: its W-TinyLFU policy keeps the entries used
 * often (the live sessions) when a flood of new inputs arrives, and each entry is dropped once its own lifetime (from
 * {@code put}'s {@code now} to its expiry) has passed on the system ticker. That is housekeeping only: the decision at
 * {@link #get} is made against the caller's {@code now}. A miss only costs a new verification.
 *
 * @param <K> the key: a {@link Key} or the input itself
 * @param <V> what the verification produced
 */
public final class VerifiedCache<K, V> {

    private record Entry<V>(V value, Instant expiresAt, Duration lifetime) {}

    private final Cache<K, Entry<V>> entries;

    /**
     * A cache holding at most about {@code maxEntries} entries.
     *
     * @throws IllegalArgumentException if {@code maxEntries} is not positive
     */
    public VerifiedCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.creating((K key, Entry<V> entry) -> entry.lifetime()))
                .executor(
                        Runnable::run) // maintenance on the calling thread: no pool hop, and a bound that holds at once
                .build();
    }

    /** The cache key of an input: the SHA-256 of its UTF-8 bytes. */
    public static Key keyOf(String input) {
        Objects.requireNonNull(input, "input cannot be null");
        return new Key(SigV4Signing.sha256(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value stored for {@code key}, if any and still valid at {@code now} (an entry at its expiry is dropped). */
    public Optional<V> get(K key, Instant now) {
        Entry<V> entry = entries.getIfPresent(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expiresAt())) {
            entries.asMap().remove(key, entry);
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
        entries.put(key, new Entry<>(value, expiresAt, Duration.between(now, expiresAt)));
    }

    /** Forgets {@code key}. */
    public void remove(K key) {
        entries.invalidate(key);
    }

    /** The number of entries held, expired ones included until they are dropped. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** The SHA-256 of a verified input. */
    public static final class Key {
        private final byte[] digest;
        /** The digest's first four bytes: already uniformly distributed. */
        private final int hash;

        private Key(byte[] digest) {
            this.digest = digest;
            this.hash =
                    (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
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
