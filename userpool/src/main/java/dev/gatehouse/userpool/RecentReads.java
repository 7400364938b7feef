package dev.gatehouse.userpool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A short-lived memo of store reads that decide access (a sign-in session, a user record), so that a burst of requests
 * with the same token does not read the same rows again and again.
 *
 * <p>Design note: how a change reaches it. A value is served for at most {@code ttl} after the read that produced it
 * <em>started</em>, so it is never older than {@code ttl} than the store: that is the bound for a change made by
 * another node, which shares only the store. A change made through this node calls {@link #forget}/{@link #forgetIf}
 * after its store write, and from the moment that returns no read here serves the old value: the entry is dropped, and
 * a read that was already under way when the change happened (it may have seen the old row) notices the change counter
 * moved and drops what it stored. Only present values are kept: an absent row is read again each time (absence refuses
 * access, so it is never the stale side of a revocation).
 *
 * @param <K> the row's key
 * @param <V> what was read (immutable: every caller gets the same instance)
 */
final class RecentReads<K, V> {

    /** How long a value read here is served: the bound for a change made on another node to reach this one. */
    static final Duration DEFAULT_TTL = Duration.ofMillis(500);

    static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long readAtNanos) {}

    private final Cache<K, Entry<V>> entries;
    private final AtomicLong changes = new AtomicLong();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    RecentReads(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        if (ttl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("ttl must not be negative and maxEntries positive");
        }
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime cannot be null");
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                // housekeeping only (on the system ticker): get decides freshness on its own clock
                .expireAfterWrite(Math.max(1, ttlNanos), TimeUnit.NANOSECONDS)
                .executor(Runnable::run)
                .build();
    }

    RecentReads() {
        this(DEFAULT_TTL, DEFAULT_MAX_ENTRIES, System::nanoTime);
    }

    /** The value read for {@code key} less than the TTL ago, else {@code reader}'s answer (kept when present). */
    Optional<V> get(K key, Supplier<Optional<V>> reader) {
        Entry<V> entry = entries.getIfPresent(key);
        if (entry != null && nanoTime.getAsLong() - entry.readAtNanos() < ttlNanos) {
            return Optional.of(entry.value());
        }
        long seen = changes.get();
        long readAt = nanoTime.getAsLong();
        Optional<V> value = reader.get();
        if (value.isPresent() && ttlNanos > 0) {
            Entry<V> read = new Entry<>(value.get(), readAt);
            // atomic with forget's invalidate of the same key: a change on this node that raced with the read (which
            // may have seen the row from before it) has moved the counter by then, and nothing is stored
            entries.asMap().compute(key, (k, old) -> changes.get() == seen ? read : old);
        }
        return value;
    }

    /** After a change of {@code key}'s row through this node: no read here serves the old value any more. */
    void forget(K key) {
        changes.incrementAndGet();
        entries.invalidate(key);
    }

    /** As {@link #forget}, for every key {@code which} accepts (a user's sessions, a pool's users). */
    void forgetIf(Predicate<K> which) {
        changes.incrementAndGet();
        entries.asMap().keySet().removeIf(which);
    }
}
