package dev.gatehouse.iam;

/**
 * Where a {@link SessionTokenSealer} gets its keys. Implementations may cache (the store is read on a hot path) and
 * must be thread-safe.
 */
public interface SessionTokenKeySource {

    /** The keys to seal with and to open with. */
    SessionTokenKeys current();

    /**
     * Called when a token names a key id {@link #current()} does not hold, such as a key another node has just rotated
     * in: may re-read the storage (implementations should bound how often). By default, the same keys.
     */
    default SessionTokenKeys reload() {
        return current();
    }

    /** A fixed key set. */
    static SessionTokenKeySource fixed(SessionTokenKeys keys) {
        java.util.Objects.requireNonNull(keys, "keys cannot be null");
        return () -> keys;
    }
}
