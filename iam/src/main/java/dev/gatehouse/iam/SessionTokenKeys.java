package dev.gatehouse.iam;

import dev.gatehouse.crypto.Sealer;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AES-256 keys session tokens are sealed under, by key id: one active key seals, every key opens. Rotating means
 * adding a new active key and keeping the old ones until the last token sealed under them has expired (one hour).
 * Each key id names a key of one Tink keyset ({@link Sealer#keyId(String)}). Immutable.
 */
public final class SessionTokenKeys {

    /** Key ids are short ASCII names; tokens of format 1 carry them in clear. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final int KEY_BYTES = 32;

    private final String activeKeyId;
    private final Set<String> keyIds;
    private final Sealer sealer;

    private SessionTokenKeys(String activeKeyId, Set<String> keyIds, Sealer sealer) {
        this.activeKeyId = activeKeyId;
        this.keyIds = keyIds;
        this.sealer = sealer;
    }

    /**
     * A key set.
     *
     * @param activeKeyId the key new tokens are sealed under; must be one of {@code keys}
     * @param keys raw 32-byte AES keys by id (copied)
     * @throws IllegalArgumentException if a key id is malformed, a key is not 32 bytes, the active key is missing, or
     *     two ids name the same Tink key id (one chance in 2^32 per pair: pick another id)
     */
    public static SessionTokenKeys of(String activeKeyId, Map<String, byte[]> keys) {
        Objects.requireNonNull(activeKeyId, "activeKeyId cannot be null");
        Objects.requireNonNull(keys, "keys cannot be null");
        Sealer.Builder sealer = Sealer.builder();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("invalid session token key id: " + id);
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("session token key " + id + " must be " + KEY_BYTES + " bytes");
            }
            sealer.add(Sealer.keyId(id), key);
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active key " + activeKeyId + " is not in the key set");
        }
        return new SessionTokenKeys(
                activeKeyId,
                Collections.unmodifiableSet(new LinkedHashSet<>(keys.keySet())),
                sealer.primary(Sealer.keyId(activeKeyId)).build());
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** The keys as one Tink keyset: the active key seals. */
    Sealer sealer() {
        return sealer;
    }

    /** Whether the set holds the key named {@code keyId} (tokens of format 1 name their key so). */
    boolean holds(String keyId) {
        return keyIds.contains(keyId);
    }

    /** Whether a key id is well formed; the sealer never looks up anything else. */
    static boolean isKeyId(String keyId) {
        return KEY_ID.matcher(keyId).matches();
    }

    @Override
    public String toString() {
        return "SessionTokenKeys[active=" + activeKeyId + ", ids=" + keyIds + "]";
    }
}
