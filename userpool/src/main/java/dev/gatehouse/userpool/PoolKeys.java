package dev.gatehouse.userpool;

import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * An immutable snapshot of one pool's key set: RS256 key pairs that sign id and access tokens (one pair each, as
 * Cognito does) and AES-256 keys that seal refresh tokens. Rotation appends keys; the last key of a purpose is the
 * active one, the older ones stay for verification and opening.
 *
 * @param version increments on every change of the stored set (optimistic concurrency)
 */
record PoolKeys(String userPoolId, long version, List<SigningKey> signingKeys, List<SealingKey> sealingKeys) {

    /** What a signing key signs. */
    enum Purpose {
        ID,
        ACCESS
    }

    /** An RSA key pair; {@code kid} is published in the JWKS. */
    record SigningKey(
            String kid, Purpose purpose, Instant created, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
        SigningKey {
            Objects.requireNonNull(kid, "kid cannot be null");
            Objects.requireNonNull(purpose, "purpose cannot be null");
            Objects.requireNonNull(created, "created cannot be null");
            Objects.requireNonNull(privateKey, "privateKey cannot be null");
            Objects.requireNonNull(publicKey, "publicKey cannot be null");
        }
    }

    /** A secret key for refresh tokens; never published. */
    record SealingKey(String kid, Instant created, SecretKey key) {
        SealingKey {
            Objects.requireNonNull(kid, "kid cannot be null");
            Objects.requireNonNull(created, "created cannot be null");
            Objects.requireNonNull(key, "key cannot be null");
        }
    }

    PoolKeys {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        signingKeys = List.copyOf(signingKeys);
        sealingKeys = List.copyOf(sealingKeys);
        for (Purpose purpose : Purpose.values()) {
            if (signingKeys.stream().noneMatch(k -> k.purpose() == purpose)) {
                throw new IllegalArgumentException("key set of " + userPoolId + " has no " + purpose + " key");
            }
        }
        if (sealingKeys.isEmpty()) {
            throw new IllegalArgumentException("key set of " + userPoolId + " has no sealing key");
        }
    }

    /** The key new tokens of this purpose are signed with. */
    SigningKey activeSigningKey(Purpose purpose) {
        SigningKey active = null;
        for (SigningKey key : signingKeys) {
            if (key.purpose() == purpose) {
                active = key;
            }
        }
        return Objects.requireNonNull(active, "no active key");
    }

    /** The key new refresh tokens are sealed with. */
    SealingKey activeSealingKey() {
        return sealingKeys.get(sealingKeys.size() - 1);
    }

    /** The public key with this id, only if it signs tokens of this purpose. */
    Optional<RSAPublicKey> verificationKey(String kid, Purpose purpose) {
        return signingKeys.stream()
                .filter(k -> k.kid().equals(kid) && k.purpose() == purpose)
                .map(SigningKey::publicKey)
                .findFirst();
    }

    Optional<SecretKey> sealingKey(String kid) {
        return sealingKeys.stream()
                .filter(k -> k.kid().equals(kid))
                .map(SealingKey::key)
                .findFirst();
    }
}
