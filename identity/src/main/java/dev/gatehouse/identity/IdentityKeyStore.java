package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.crypto.Sealer;
import dev.gatehouse.iam.SessionTokenKeySource;
import dev.gatehouse.iam.SessionTokenKeys;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
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
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The identity service's own keys: the AES-256 keys session tokens are sealed under, and the RSA key that signs
 * GetOpenIdToken's tokens.
 *
 * <p>Table {@value #TABLE}: one item, key ({@code "identity"}, {@code "keys"}), attributes {@code version} (a decimal
 * counter) and {@code keys} (JSON: {@code session[]} of {@code kid}, {@code created}, {@code key}; {@code openid} with
 * {@code kid}, PKCS#8 {@code key}). One item makes the set change atomically: the first use creates it with a put
 * conditioned on absence (nodes racing end with the winner's set), rotation puts conditioned on the version it read.
 * With a key-encryption key every {@code key} is stored sealed under it by the one AEAD ({@link Sealer}), bound to its
 * kid: {@code TINK.} and base64 of what {@link Sealer#seal} returns. Keys written before it ({@code A256GCM.} and base64
 * of {@code nonce || AES-256-GCM ciphertext}, also bound to the kid) are still read; the prefix tells them apart, and
 * base64 alone (no prefix: it has no dot) is a key stored in clear. Without a key-encryption key the store must be
 * protected as a secret.
 *
 * <p>The newest session key seals; every listed key opens. A rotation keeps the previous keys for
 * {@link #RETIRED_KEY_LIFETIME}, longer than any credentials sealed under them live. The cache is refreshed after
 * {@code cacheTtl}; a token naming an unknown kid forces a re-read at most once per {@link #MIN_RELOAD_INTERVAL}.
 */
final class IdentityKeyStore implements SessionTokenKeySource {

    static final String TABLE = "identity-keys";
    static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(10);
    static final Duration RETIRED_KEY_LIFETIME = Duration.ofHours(2);

    private static final Key KEY = Key.of("identity", "keys");
    /** A key sealed by the one AEAD under the key-encryption key. */
    private static final String SEALED = "TINK.";
    /** A key sealed before the one AEAD: raw AES-256-GCM under the key-encryption key; read only. */
    private static final String RAW_GCM = "A256GCM.";

    /** A loaded key set. */
    record Loaded(
            long version,
            SessionTokenKeys sessionKeys,
            String openIdKid,
            RSAPrivateCrtKey openIdPrivate,
            RSAPublicKey openIdPublic,
            ObjectNode document,
            Instant loadedAt) {}

    private final ItemStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration cacheTtl;
    private final @Nullable Sealer keyEncryptionKey;
    private volatile @Nullable Loaded cached;
    private volatile Instant lastForcedReload = Instant.MIN;

    IdentityKeyStore(
            ItemStore store,
            Clock clock,
            SecureRandom random,
            Duration cacheTtl,
            @Nullable SecretKey keyEncryptionKey) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.cacheTtl = cacheTtl;
        this.keyEncryptionKey =
                keyEncryptionKey == null ? null : Sealer.single("key-encryption-key", keyEncryptionKey.getEncoded());
    }

    @Override
    public SessionTokenKeys current() {
        return loaded().sessionKeys();
    }

    @Override
    public SessionTokenKeys reload() {
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(lastForcedReload.plus(MIN_RELOAD_INTERVAL))) {
                return loaded().sessionKeys();
            }
            lastForcedReload = now;
        }
        return read().map(this::cache).orElseGet(this::loaded).sessionKeys();
    }

    /** The cached set, re-read after the TTL; created on first use. */
    Loaded loaded() {
        Loaded current = cached;
        if (current != null && clock.instant().isBefore(current.loadedAt().plus(cacheTtl))) {
            return current;
        }
        Optional<Loaded> stored = read();
        if (stored.isPresent()) {
            return cache(stored.get());
        }
        return cache(create());
    }

    /** Adds a new active session key; keys sealed under the previous ones open for {@link #RETIRED_KEY_LIFETIME}. */
    void rotateSessionKey() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Loaded current = read().orElseGet(this::create);
            ObjectNode document = current.document().deepCopy();
            Instant now = clock.instant();
            ArrayNode kept = AwsJson.mapper().createArrayNode();
            for (JsonNode key : document.path("session")) {
                ObjectNode copy = ((ObjectNode) key).deepCopy();
                if (!copy.has("retireAt")) {
                    copy.put("retireAt", now.plus(RETIRED_KEY_LIFETIME).getEpochSecond());
                }
                if (copy.get("retireAt").asLong() > now.getEpochSecond()) {
                    kept.add(copy);
                }
            }
            kept.add(newSessionKey(now, kept));
            document.set("session", kept);
            try {
                store.put(
                        TABLE,
                        item(current.version() + 1, document),
                        Condition.attributeEquals("version", Long.toString(current.version())));
                cached = null;
                return;
            } catch (ConditionFailedException e) {
                // another node rotated or created at the same time: read again and retry
            }
        }
        throw new IllegalStateException("session key rotation kept losing races");
    }

    private Loaded cache(Loaded loaded) {
        cached = loaded;
        return loaded;
    }

    private Loaded create() {
        ObjectNode document = AwsJson.mapper().createObjectNode();
        Instant now = clock.instant();
        document.putArray("session").add(newSessionKey(now, AwsJson.mapper().createArrayNode()));
        KeyPair pair = newRsaKeyPair();
        String kid = UUID.randomUUID().toString();
        document.putObject("openid")
                .put("kid", kid)
                .put("key", protect(kid, pair.getPrivate().getEncoded()));
        try {
            store.put(TABLE, item(1, document), Condition.notExists());
            return parse(1, document);
        } catch (ConditionFailedException e) {
            return read().orElseThrow(() -> e);
        }
    }

    /** A new session key whose kid names another Tink key id than every key in {@code kept} (see {@link Sealer#keyId}). */
    private ObjectNode newSessionKey(Instant now, ArrayNode kept) {
        Set<Integer> taken = new HashSet<>();
        kept.forEach(key -> taken.add(Sealer.keyId(key.path("kid").asText())));
        String kid;
        do {
            // kids sort by creation time, so the newest key is the active one on every node
            kid = String.format(java.util.Locale.ROOT, "%013d-%08x", now.toEpochMilli(), random.nextInt());
        } while (taken.contains(Sealer.keyId(kid)));
        byte[] key = new byte[32];
        random.nextBytes(key);
        return AwsJson.mapper()
                .createObjectNode()
                .put("kid", kid)
                .put("created", now.getEpochSecond())
                .put("key", protect(kid, key));
    }

    private KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    private Item item(long version, ObjectNode document) {
        return Item.of(KEY, Map.of("version", Long.toString(version), "keys", document.toString()));
    }

    private Optional<Loaded> read() {
        return store.get(TABLE, KEY).map(item -> {
            try {
                JsonNode document =
                        AwsJson.mapper().readTree(item.attribute("keys").orElse("{}"));
                return parse(Long.parseLong(item.attribute("version").orElse("0")), (ObjectNode) document);
            } catch (IOException | ClassCastException | NumberFormatException e) {
                throw new IllegalStateException("the identity key set in " + TABLE + " is unreadable", e);
            }
        });
    }

    private Loaded parse(long version, ObjectNode document) {
        Map<String, byte[]> sessionKeys = new LinkedHashMap<>();
        String active = "";
        for (JsonNode key : document.path("session")) {
            String kid = key.path("kid").asText();
            sessionKeys.put(kid, unprotect(kid, key.path("key").asText()));
            if (kid.compareTo(active) > 0) {
                active = kid;
            }
        }
        JsonNode openId = document.path("openid");
        String kid = openId.path("kid").asText();
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(unprotect(kid, openId.path("key").asText())));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new Loaded(
                    version,
                    SessionTokenKeys.of(active, sessionKeys),
                    kid,
                    privateKey,
                    publicKey,
                    document,
                    clock.instant());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the identity OpenID key is unreadable", e);
        }
    }

    private String protect(String kid, byte[] key) {
        Sealer kek = keyEncryptionKey;
        if (kek == null) {
            return Base64.getEncoder().encodeToString(key);
        }
        return SEALED + Base64.getEncoder().encodeToString(kek.seal(key, kid.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] unprotect(String kid, String stored) {
        boolean sealed = stored.startsWith(SEALED);
        if (!sealed && !stored.startsWith(RAW_GCM)) {
            return Base64.getDecoder().decode(stored);
        }
        Sealer kek = keyEncryptionKey;
        if (kek == null) {
            throw new IllegalStateException(
                    "the identity keys in " + TABLE + " are encrypted: a key-encryption key is required");
        }
        byte[] associatedData = kid.getBytes(StandardCharsets.UTF_8);
        try {
            if (sealed) {
                return kek.open(Base64.getDecoder().decode(stored.substring(SEALED.length())), associatedData);
            }
            return kek.openLegacy(
                    kek.primaryKeyId(), Base64.getDecoder().decode(stored.substring(RAW_GCM.length())), associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot unwrap identity key " + kid + ": wrong key-encryption key?", e);
        }
    }
}
