package dev.gatehouse.crypto;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadWrapper;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmKeyManager;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.AesGcmParameters.Variant;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Authenticated encryption with associated data under a set of AES-256 keys: Tink's AES-GCM {@link Aead} over a Tink
 * {@link KeysetHandle}. The primary key seals; every key in the set opens. Immutable and thread-safe.
 *
 * <p>Design note. Every value Gatehouse seals (session tokens, SRP verifiers and challenges, keys wrapped under the
 * key-encryption key) goes through this one class; each caller keeps only its associated data (what the value is bound
 * to: its pool, user, kid, kind) and its own framing (a version byte or prefix in front of what {@link #seal} returns).
 * <ul>
 *   <li>Sealed form: Tink's, {@code 0x01 | keyId (4 bytes, big-endian) | nonce (12) | ciphertext | tag (16)}, so
 *       {@link #OVERHEAD} bytes more than the plaintext. The key id names the key; a value under a key the set does not
 *       hold fails to open, like a tampered one.</li>
 *   <li>Key ids are Tink's 32-bit ids. Gatehouse's stores keep raw keys under names of their own (a kid), so a key's id
 *       is derived from its name ({@link #keyId(String)}): every node computes the same id, nothing new is stored.
 *       Two names of one set that map to the same id are refused by {@link Builder#build()}.</li>
 *   <li>Values written before this class (raw AES-256-GCM, {@code nonce (12) | ciphertext | tag (16)}, under the same
 *       key bytes) open with {@link #openLegacy}: the caller's framing tells the two apart, never a guess.</li>
 *   <li>Nonces are random (96 bits), as Tink draws them; a key seals far fewer than 2^32 values before it is rotated.</li>
 * </ul>
 *
 * @see <a href="https://developers.google.com/tink/wire-format#aead">Tink wire format</a>
 */
public final class Sealer {

    /** Bytes {@link #seal} adds to the plaintext: Tink's 5-byte prefix, the 12-byte nonce and the 16-byte tag. */
    public static final int OVERHEAD = 5 + 12 + 16;

    private static final int KEY_BYTES = 32;
    private static final int PREFIX_BYTES = 5;
    private static final byte TINK_START_BYTE = 0x01;

    static {
        try {
            // AES-GCM only: the one key type sealed with; AeadConfig.register() would load every AEAD (and MAC) type
            // Tink has, about 80 ms of a cold start.
            AeadWrapper.register();
            AesGcmKeyManager.register(true);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Aead aead;
    private final int primaryKeyId;
    /** The same keys without Tink's prefix, for values sealed before it, by key id. */
    private final Map<Integer, Aead> legacy;

    private Sealer(Aead aead, int primaryKeyId, Map<Integer, Aead> legacy) {
        this.aead = aead;
        this.primaryKeyId = primaryKeyId;
        this.legacy = legacy;
    }

    /** A builder of a key set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A set of one key, named {@code name} (the id it seals under is {@link #keyId(String) keyId(name)}). */
    public static Sealer single(String name, byte[] key) {
        int id = keyId(name);
        return builder().add(id, key).primary(id).build();
    }

    /**
     * The Tink key id of the key called {@code name}: the first four bytes of SHA-256 over a fixed label and the name.
     * Stable across nodes and restarts; it reveals nothing of the key.
     */
    public static int keyId(String name) {
        Objects.requireNonNull(name, "name cannot be null");
        byte[] digest = sha256(("gatehouse-aead-key-id\u0000" + name).getBytes(StandardCharsets.UTF_8));
        return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }

    /** The key id in a value {@link #seal} returned, read from {@code offset}; empty if it has no Tink prefix there. */
    public static OptionalInt keyIdOf(byte[] sealed, int offset) {
        if (offset < 0 || sealed.length < offset + PREFIX_BYTES || sealed[offset] != TINK_START_BYTE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((sealed[offset + 1] & 0xff) << 24
                | (sealed[offset + 2] & 0xff) << 16
                | (sealed[offset + 3] & 0xff) << 8
                | (sealed[offset + 4] & 0xff));
    }

    /** The id of the key {@link #seal} uses. */
    public int primaryKeyId() {
        return primaryKeyId;
    }

    /** Whether the set holds the key with this id. */
    public boolean holds(int keyId) {
        return legacy.containsKey(keyId);
    }

    /** Seals {@code plaintext} bound to {@code associatedData} under the primary key, with a fresh random nonce. */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /**
     * Opens a value {@link #seal} returned.
     *
     * @throws GeneralSecurityException if it was altered, is truncated, was sealed under a key this set does not hold,
     *     or was bound to other associated data
     */
    public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        return aead.decrypt(sealed, associatedData);
    }

    /**
     * Opens a value sealed before Tink: {@code nonce (12) | ciphertext | tag (16)}, AES-256-GCM under the key with id
     * {@code keyId}.
     *
     * @throws GeneralSecurityException if the set has no such key, or the value does not authenticate under it
     */
    public byte[] openLegacy(int keyId, byte[] nonceAndCiphertext, byte[] associatedData)
            throws GeneralSecurityException {
        Aead key = legacy.get(keyId);
        if (key == null) {
            throw new GeneralSecurityException("no key with id " + Integer.toUnsignedString(keyId));
        }
        return key.decrypt(nonceAndCiphertext, associatedData);
    }

    @Override
    public String toString() {
        return "Sealer[primary=" + Integer.toUnsignedString(primaryKeyId) + ", keys=" + legacy.size() + "]";
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Builds a {@link Sealer}: keys by id, one of them primary. */
    public static final class Builder {
        private final Map<Integer, byte[]> keys = new LinkedHashMap<>();
        private @Nullable Integer primary;

        private Builder() {}

        /**
         * Adds a 32-byte AES key (copied) under {@code keyId}.
         *
         * @throws IllegalArgumentException if the key is not 32 bytes or the id is already in the set
         */
        public Builder add(int keyId, byte[] key) {
            Objects.requireNonNull(key, "key cannot be null");
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("an AES-256 key must be " + KEY_BYTES + " bytes, not " + key.length);
            }
            if (keys.putIfAbsent(keyId, key.clone()) != null) {
                throw new IllegalArgumentException(
                        "key id " + Integer.toUnsignedString(keyId) + " is already in the set");
            }
            return this;
        }

        /** The key that seals; it must be added too. */
        public Builder primary(int keyId) {
            this.primary = keyId;
            return this;
        }

        /** @throws IllegalArgumentException if no primary key was named or it was not added */
        public Sealer build() {
            Integer primaryId = primary;
            if (primaryId == null || !keys.containsKey(primaryId)) {
                throw new IllegalArgumentException("the primary key must be one of the set");
            }
            try {
                KeysetHandle.Builder keyset = KeysetHandle.newBuilder();
                Map<Integer, Aead> legacy = new LinkedHashMap<>();
                for (Map.Entry<Integer, byte[]> key : keys.entrySet()) {
                    KeysetHandle.Builder.Entry entry =
                            KeysetHandle.importKey(key(key.getValue(), Variant.TINK, key.getKey()));
                    keyset.addEntry(key.getKey().equals(primaryId) ? entry.makePrimary() : entry);
                    legacy.put(key.getKey(), AesGcmJce.create(key(key.getValue(), Variant.NO_PREFIX, null)));
                }
                Aead aead = keyset.build().getPrimitive(RegistryConfiguration.get(), Aead.class);
                return new Sealer(aead, primaryId, Collections.unmodifiableMap(legacy));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is unavailable", e);
            }
        }

        /** Our stores keep raw key bytes, so the key is built from them: the one place key material enters Tink. */
        @AccessesPartialKey
        private static AesGcmKey key(byte[] bytes, Variant variant, @Nullable Integer id)
                throws GeneralSecurityException {
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(variant)
                    .build();
            return AesGcmKey.builder()
                    .setParameters(parameters)
                    .setKeyBytes(SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get()))
                    .setIdRequirement(id)
                    .build();
        }
    }
}
