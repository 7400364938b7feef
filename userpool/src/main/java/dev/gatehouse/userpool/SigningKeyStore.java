package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.crypto.Sealer;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.userpool.PoolKeys.Purpose;
import dev.gatehouse.userpool.PoolKeys.SealingKey;
import dev.gatehouse.userpool.PoolKeys.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Loads, creates and rotates the pools' key sets, and caches them.
 *
 * <p>Table {@value #TABLE}: one item per pool, key ({@code <userPoolId>}, {@code "keys"}), attributes {@code version}
 * (a decimal counter) and {@code keys} (JSON: {@code signing[]} with {@code kid}, {@code purpose}, {@code created},
 * PKCS#8 {@code key}; {@code sealing[]} with {@code kid}, {@code created}, raw AES {@code key}; all base64). One item
 * makes the set change atomically: the first use creates it with a put conditioned on absence, so nodes racing to
 * create it end with the winner's set; rotation puts conditioned on the version it read.
 *
 * <p>With a key-encryption key, every {@code key} is stored as base64 of what the one AEAD ({@link Sealer}) sealed under
 * it, bound to its pool and kid as associated data, and the item's {@code protection} attribute says {@code TINK}. The
 * attribute tells the forms apart: a set written before the one AEAD ({@code A256GCM}: base64 of
 * {@code nonce || AES-256-GCM ciphertext}, same associated data) or stored in clear ({@code none}: no KEK when it was
 * written) is still read, and is sealed anew at its next rotation. Without a KEK
 * the data directory (or the DynamoDB table) must be protected as a secret.
 *
 * <p>The cache is refreshed after {@code cacheTtl}, so keys another node added are published here within that time; a
 * refresh reads the item and decodes it only when its {@code version} changed. A token with an unknown {@code kid}
 * forces a re-read, at most once per {@link #MIN_RELOAD_INTERVAL} per pool counted from the last forced re-read (not
 * from the last refresh, which would let a refresh just before another node's rotation hide the new kid), so forged
 * kids cannot turn every request into a store read.
 */
final class SigningKeyStore {

    static final String TABLE = "userpool-keys";

    /** Re-reads forced by an unknown kid are at least this far apart. */
    static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(10);

    /** Previous signing keys kept per purpose after a rotation: tokens they signed stay verifiable. */
    static final int PREVIOUS_SIGNING_KEYS = 2;

    private static final String SORT = "keys";
    private static final int RSA_BITS = 2048;
    private static final String CLEAR = "none";
    /** Written before the one AEAD: raw AES-256-GCM under the KEK; read only. */
    private static final String A256GCM = "A256GCM";

    private static final String SEALED = "TINK";

    private final ItemStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration cacheTtl;
    private final @Nullable Sealer keyEncryptionKey;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Instant> forcedReloads = new ConcurrentHashMap<>();
    private final ObjectMapper json = AwsJson.mapper();
    private final Supplier<KeyPair> rsaKeyPairs;

    private record Cached(PoolKeys keys, Instant loadedAt) {}

    SigningKeyStore(
            ItemStore store,
            Clock clock,
            SecureRandom random,
            Duration cacheTtl,
            @Nullable SecretKey keyEncryptionKey) {
        this(store, clock, random, cacheTtl, keyEncryptionKey, () -> newRsaKeyPair(random));
    }

    /** With the RSA key pairs of new signing keys from {@code rsaKeyPairs} (tests hand out pre-generated ones). */
    SigningKeyStore(
            ItemStore store,
            Clock clock,
            SecureRandom random,
            Duration cacheTtl,
            @Nullable SecretKey keyEncryptionKey,
            Supplier<KeyPair> rsaKeyPairs) {
        this.rsaKeyPairs = rsaKeyPairs;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.cacheTtl = cacheTtl;
        this.keyEncryptionKey =
                keyEncryptionKey == null ? null : Sealer.single("key-encryption-key", keyEncryptionKey.getEncoded());
    }

    /** The pool's key set, created on first use. */
    PoolKeys keysForSigning(String userPoolId) {
        Optional<PoolKeys> existing = existing(userPoolId);
        return existing.isPresent() ? existing.get() : create(userPoolId);
    }

    /** The pool's key set if it has one; never creates one (verification must not create keys for any name). */
    Optional<PoolKeys> existing(String userPoolId) {
        Cached cached = cache.get(userPoolId);
        if (cached != null && clock.instant().isBefore(cached.loadedAt().plus(cacheTtl))) {
            return Optional.of(cached.keys());
        }
        return load(userPoolId);
    }

    /** As {@link #existing} from this node's copy only; {@link CacheMiss} when that is missing or stale. */
    PoolKeys cached(String userPoolId) {
        Cached cached = cache.get(userPoolId);
        if (cached == null || !clock.instant().isBefore(cached.loadedAt().plus(cacheTtl))) {
            throw CacheMiss.INSTANCE;
        }
        return cached.keys();
    }

    /**
     * The stored key set, re-read unless the last forced re-read of this pool is younger than
     * {@link #MIN_RELOAD_INTERVAL}.
     */
    Optional<PoolKeys> reloaded(String userPoolId) {
        Instant now = clock.instant();
        Instant last = forcedReloads.get(userPoolId);
        Cached cached = cache.get(userPoolId);
        if (cached != null && last != null && now.isBefore(last.plus(MIN_RELOAD_INTERVAL))) {
            return Optional.of(cached.keys());
        }
        forcedReloads.put(userPoolId, now);
        return load(userPoolId);
    }

    /**
     * Adds a new active key per purpose; previous keys stay for verification (up to {@link #PREVIOUS_SIGNING_KEYS}
     * signing keys per purpose; every sealing key, since refresh tokens live for years).
     */
    PoolKeys rotate(String userPoolId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<PoolKeys> current = load(userPoolId);
            if (current.isEmpty()) {
                return create(userPoolId);
            }
            PoolKeys next = rotated(current.get());
            try {
                store.put(
                        TABLE,
                        encode(next),
                        Condition.attributeEquals(
                                "version", Long.toString(current.get().version())));
                cache.put(userPoolId, new Cached(next, clock.instant()));
                return next;
            } catch (ConditionFailedException e) {
                // another node changed the set since we read it: read again and rotate that
            }
        }
        throw new StoreException("key set of " + userPoolId + " kept changing; rotation abandoned");
    }

    /** Deletes the pool's key set and this node's cached copy (DeleteUserPool). */
    void delete(String userPoolId) {
        store.delete(TABLE, Key.of(userPoolId, SORT), Condition.none());
        cache.remove(userPoolId);
    }

    private PoolKeys rotated(PoolKeys current) {
        List<SigningKey> signing = new ArrayList<>();
        for (Purpose purpose : Purpose.values()) {
            List<SigningKey> ofPurpose = current.signingKeys().stream()
                    .filter(k -> k.purpose() == purpose)
                    .toList();
            signing.addAll(ofPurpose.subList(Math.max(0, ofPurpose.size() - PREVIOUS_SIGNING_KEYS), ofPurpose.size()));
            signing.add(newSigningKey(purpose));
        }
        List<SealingKey> sealing = new ArrayList<>(current.sealingKeys());
        sealing.add(newSealingKey());
        return new PoolKeys(current.userPoolId(), current.version() + 1, signing, sealing);
    }

    private PoolKeys create(String userPoolId) {
        // RSA key generation dominates a first start (a prime search of tens to hundreds of milliseconds per key): make
        // the access token's key on another core while this thread makes the id token's.
        CompletableFuture<SigningKey> access = CompletableFuture.supplyAsync(() -> newSigningKey(Purpose.ACCESS));
        SigningKey id = newSigningKey(Purpose.ID);
        PoolKeys fresh = new PoolKeys(userPoolId, 1, List.of(id, access.join()), List.of(newSealingKey()));
        try {
            store.put(TABLE, encode(fresh), Condition.notExists());
            cache.put(userPoolId, new Cached(fresh, clock.instant()));
            return fresh;
        } catch (ConditionFailedException e) {
            // another node created the set first: use theirs, so every node signs with the same keys
            return load(userPoolId).orElseThrow(() -> new StoreException("key set of " + userPoolId + " vanished"));
        }
    }

    /**
     * The stored key set, read now (not counted against the forced re-reads of unknown kids): for a caller that limits
     * its own reads, such as the JWT authorizer's key source (at most one a second).
     */
    Optional<PoolKeys> readNow(String userPoolId) {
        return load(userPoolId);
    }

    private Optional<PoolKeys> load(String userPoolId) {
        Optional<PoolKeys> keys = store.get(TABLE, Key.of(userPoolId, SORT)).map(this::decodeUnlessCached);
        keys.ifPresent(k -> cache.put(userPoolId, new Cached(k, clock.instant())));
        return keys;
    }

    /** The cached set when the stored item has its version (decoding RSA keys is the costly part of a refresh). */
    private PoolKeys decodeUnlessCached(Item item) {
        Cached cached = cache.get(item.key().partition());
        Optional<String> version = item.attribute("version");
        if (cached != null
                && version.isPresent()
                && version.get().equals(Long.toString(cached.keys().version()))) {
            return cached.keys();
        }
        return decode(item);
    }

    private SigningKey newSigningKey(Purpose purpose) {
        KeyPair pair = rsaKeyPairs.get();
        return new SigningKey(
                newKid(), purpose, now(), (RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    }

    private static KeyPair newRsaKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(RSA_BITS, RSAKeyGenParameterSpec.F4), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is unavailable", e);
        }
    }

    private SealingKey newSealingKey() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new SealingKey(newKid(), now(), new SecretKeySpec(secret, "AES"));
    }

    /** 32 random bytes in standard base64, the shape of Cognito's kids (44 characters). */
    private String newKid() {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private Item encode(PoolKeys keys) {
        ObjectNode root = json.createObjectNode();
        ArrayNode signing = root.putArray("signing");
        for (SigningKey key : keys.signingKeys()) {
            signing.addObject()
                    .put("kid", key.kid())
                    .put("purpose", key.purpose().name())
                    .put("created", key.created().getEpochSecond())
                    .put(
                            "key",
                            protect(
                                    keys.userPoolId(),
                                    key.kid(),
                                    key.privateKey().getEncoded()));
        }
        ArrayNode sealing = root.putArray("sealing");
        for (SealingKey key : keys.sealingKeys()) {
            sealing.addObject()
                    .put("kid", key.kid())
                    .put("created", key.created().getEpochSecond())
                    .put("key", protect(keys.userPoolId(), key.kid(), key.key().getEncoded()));
        }
        return Item.of(
                Key.of(keys.userPoolId(), SORT),
                Map.of(
                        "version",
                        Long.toString(keys.version()),
                        "protection",
                        keyEncryptionKey == null ? CLEAR : SEALED,
                        "keys",
                        root.toString()));
    }

    private String protect(String userPoolId, String kid, byte[] material) {
        Sealer kek = keyEncryptionKey;
        if (kek == null) {
            return Base64.getEncoder().encodeToString(material);
        }
        return Base64.getEncoder().encodeToString(kek.seal(material, associatedData(userPoolId, kid)));
    }

    private byte[] unprotect(String protection, String userPoolId, String kid, String stored)
            throws GeneralSecurityException {
        byte[] bytes = Base64.getDecoder().decode(stored);
        if (CLEAR.equals(protection)) {
            return bytes;
        }
        Sealer kek = keyEncryptionKey;
        if (kek == null) {
            throw new StoreException(
                    "key set of " + userPoolId + " is encrypted at rest and no key-encryption key is set");
        }
        return switch (protection) {
            case SEALED -> kek.open(bytes, associatedData(userPoolId, kid));
            case A256GCM -> kek.openLegacy(kek.primaryKeyId(), bytes, associatedData(userPoolId, kid));
            default -> throw new StoreException(
                    "key set of " + userPoolId + " has an unknown protection: " + protection);
        };
    }

    private static byte[] associatedData(String userPoolId, String kid) {
        return (userPoolId + "/" + kid).getBytes(StandardCharsets.UTF_8);
    }

    private PoolKeys decode(Item item) {
        try {
            JsonNode root = json.readTree(item.attribute("keys").orElseThrow());
            String protection = item.attribute("protection").orElse(CLEAR);
            String poolId = item.key().partition();
            List<SigningKey> signing = new ArrayList<>();
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            for (JsonNode node : root.path("signing")) {
                RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(unprotect(
                        protection,
                        poolId,
                        node.path("kid").asText(),
                        node.path("key").asText())));
                RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                        new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
                signing.add(new SigningKey(
                        node.path("kid").asText(),
                        Purpose.valueOf(node.path("purpose").asText()),
                        Instant.ofEpochSecond(node.path("created").asLong()),
                        privateKey,
                        publicKey));
            }
            List<SealingKey> sealing = new ArrayList<>();
            for (JsonNode node : root.path("sealing")) {
                SecretKey secret = new SecretKeySpec(
                        unprotect(
                                protection,
                                poolId,
                                node.path("kid").asText(),
                                node.path("key").asText()),
                        "AES");
                sealing.add(new SealingKey(
                        node.path("kid").asText(),
                        Instant.ofEpochSecond(node.path("created").asLong()),
                        secret));
            }
            long version = Long.parseLong(item.attribute("version").orElseThrow());
            return new PoolKeys(item.key().partition(), version, signing, sealing);
        } catch (StoreException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // also a wrong key-encryption key: GCM authentication fails
            throw new StoreException("stored key set of " + item.key().partition() + " is unreadable", e);
        }
    }
}
