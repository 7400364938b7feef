package dev.gatehouse.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and the SigV4 signing-key derivation chain. */
final class SigV4Signing {

    /** Lower-case hex digits, by value. */
    static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });
    private static final ThreadLocal<KeyedMac> KEYED_HMAC = ThreadLocal.withInitial(KeyedMac::new);
    /** The SHA-256 of an empty body, the payload hash of every GET. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private SigV4Signing() {}

    static String sha256Hex(byte[] data) {
        if (data.length == 0) {
            return EMPTY_SHA256;
        }
        return hex(sha256(data));
    }

    /** The SHA-256 of {@code data}, with this thread's digest. */
    static byte[] sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    /** The SHA-256 of {@code data[offset, offset + length)}, with this thread's digest. */
    static byte[] sha256(byte[] data, int offset, int length) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        digest.update(data, offset, length);
        return digest.digest();
    }

    /** The derived signing key of a secret for a scope (date, region, service). */
    static byte[] signingKey(SecretBytes secretKey, CredentialScope scope) {
        byte[] secret = secretKey.toByteArray(SecretKeyAccess.insecure());
        byte[] seed = new byte[secret.length + 4];
        seed[0] = 'A';
        seed[1] = 'W';
        seed[2] = 'S';
        seed[3] = '4';
        System.arraycopy(secret, 0, seed, 4, secret.length);
        try {
            byte[] key = hmac(seed, scope.date());
            key = hmac(key, scope.region());
            key = hmac(key, scope.service());
            return hmac(key, CredentialScope.TERMINATOR);
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 refused a key", e);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The HMAC-SHA256 of {@code data[offset, offset + length)} under {@code key}. Each thread keeps a {@link Mac} still
     * initialised with the key it last used (a copy), so the requests of one signing key and day skip the key set-up.
     */
    static byte[] hmac(byte[] key, byte[] data, int offset, int length) {
        KeyedMac keyed = KEYED_HMAC.get();
        // Constant time: both are derived signing keys, and the comparison must not hint at their bytes.
        if (keyed.key.length != key.length || !MessageDigest.isEqual(keyed.key, key)) {
            try {
                keyed.mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 refused a key", e);
            }
            Arrays.fill(keyed.key, (byte) 0);
            keyed.key = key.clone();
        }
        keyed.mac.update(data, offset, length);
        return keyed.mac.doFinal();
    }

    /** True when {@code hex} is exactly the lower-case hex of {@code bytes}; constant time for the expected length. */
    static boolean hexEquals(byte[] bytes, String hex) {
        if (hex.length() != bytes.length * 2) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < bytes.length; i++) {
            diff |= HEX[(bytes[i] >> 4) & 0xF] ^ hex.charAt(2 * i);
            diff |= HEX[bytes[i] & 0xF] ^ hex.charAt(2 * i + 1);
        }
        return diff == 0;
    }

    /** A thread's HMAC and the key it is initialised with (empty before the first use). */
    private static final class KeyedMac {
        private final Mac mac;
        private byte[] key = new byte[0];

        private KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * Derived signing keys by access key and scope, so the four-HMAC derivation runs once per key and day rather than
     * per request. An entry is used only if the secret it was derived from equals, in constant time, the secret the
     * resolver returned for this request: a rotated secret never meets a key derived from the old one. A Caffeine cache
     * bounded to {@code maxEntries}, with no expiry: a key of expired credentials or of a past day is never asked for
     * again and falls out by the bound (a miss costs four HMACs). Thread-safe.
     */
    static final class SigningKeyCache {

        private record Scope(String accessKeyId, CredentialScope scope) {}

        private record Derived(SecretBytes secret, byte[] key) {}

        private final Cache<Scope, Derived> derived;

        SigningKeyCache(int maxEntries) {
            this.derived = Caffeine.newBuilder()
                    .maximumSize(maxEntries)
                    .executor(Runnable::run)
                    .build();
        }

        byte[] signingKey(String accessKeyId, SecretBytes secretKey, CredentialScope scope) {
            Scope cacheKey = new Scope(accessKeyId, scope);
            Derived entry = derived.getIfPresent(cacheKey);
            if (entry != null
                    && entry.secret().size() == secretKey.size()
                    && entry.secret().equalsSecretBytes(secretKey)) {
                return entry.key();
            }
            byte[] key = SigV4Signing.signingKey(secretKey, scope);
            byte[] secret = secretKey.toByteArray(SecretKeyAccess.insecure());
            // A copy: the entry must keep meaning "derived from these bytes" whatever happens to the caller's object.
            derived.put(cacheKey, new Derived(SecretBytes.copyOf(secret), key));
            Arrays.fill(secret, (byte) 0);
            return key;
        }
    }
}
