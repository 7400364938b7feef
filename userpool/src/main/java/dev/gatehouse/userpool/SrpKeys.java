package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.StoreException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server secrets SRP needs, made once per store and shared by every node: the HMAC key the fake verifiers of
 * unknown users derive from, and the AES-256 key that seals verifiers and pending challenges. Kept in table
 * {@value #TABLE}, item ({@code srp}, {@code v1}); the first node to start writes it with a conditional put, the others
 * (and a node that loses the race) read the winner's, so all agree.
 *
 * @param fakeVerifierKey HMAC-SHA256 key, 32 bytes
 * @param sealingKey AES key, 32 bytes
 */
record SrpKeys(SecretKey fakeVerifierKey, SecretKey sealingKey) {

    static final String TABLE = "userpool-keys";
    private static final Key KEY = Key.of("srp", "v1");
    private static final int KEY_BYTES = 32;

    /** The stored keys, or new ones stored now. */
    static SrpKeys loadOrCreate(ItemStore store, SecureRandom random) {
        Optional<SrpKeys> existing = load(store);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] fake = new byte[KEY_BYTES];
        byte[] seal = new byte[KEY_BYTES];
        random.nextBytes(fake);
        random.nextBytes(seal);
        Base64.Encoder b64 = Base64.getEncoder();
        try {
            store.put(
                    TABLE,
                    Item.of(
                            KEY,
                            Map.of(
                                    "fakeVerifierKey",
                                    b64.encodeToString(fake),
                                    "sealingKey",
                                    b64.encodeToString(seal))),
                    Condition.notExists());
            return of(fake, seal);
        } catch (ConditionFailedException e) {
            // another node stored its keys first: use those
            return load(store).orElseThrow(() -> new StoreException("SRP keys vanished after a conflicting create"));
        }
    }

    private static Optional<SrpKeys> load(ItemStore store) {
        return store.get(TABLE, KEY).map(item -> {
            byte[] fake = decode(item, "fakeVerifierKey");
            byte[] seal = decode(item, "sealingKey");
            return of(fake, seal);
        });
    }

    private static byte[] decode(Item item, String name) {
        String value = item.attribute(name).orElseThrow(() -> new StoreException("SRP keys item lacks " + name));
        byte[] bytes = Base64.getDecoder().decode(value);
        if (bytes.length != KEY_BYTES) {
            throw new StoreException("SRP key " + name + " has " + bytes.length + " bytes, expected " + KEY_BYTES);
        }
        return bytes;
    }

    private static SrpKeys of(byte[] fake, byte[] seal) {
        return new SrpKeys(new SecretKeySpec(fake, "HmacSHA256"), new SecretKeySpec(seal, "AES"));
    }

    @Override
    public String toString() {
        return "SrpKeys[redacted]";
    }
}
