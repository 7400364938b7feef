package dev.gatehouse.userpool;

import dev.gatehouse.crypto.Sealer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Seals SRP state for storage with the one AEAD ({@link Sealer}: Tink AES-256-GCM) under a server key: a user's
 * {@link SrpVerifier} (v can be brute-forced at hash speed, so a copy of the store alone must not give it away) and a
 * pending {@link SrpChallenge} (it holds the ephemeral secret b) for the auth-session store. Each is bound to its pool
 * and user, and to its kind, as additional data, so a sealed value moved to another user or used as the other kind does
 * not open.
 *
 * <p>Sealed form 2 (written): base64url (no padding) of {@code 0x02 || sealed}, {@code sealed} as {@link Sealer#seal}
 * returns it. Form 1 (written before the one AEAD, still read: verifiers live as long as the user):
 * {@code 0x01 || nonce (12 bytes) || ciphertext+tag}, AES-256-GCM under the same key and the same associated data. The
 * first byte tells them apart. Verifier plaintext: {@code len(salt) (1 byte) || salt || v}, numbers as minimal
 * big-endian bytes.
 */
final class SrpVerifierSealer {

    private static final byte FORM_RAW_GCM = 1;
    private static final byte FORM_SEALER = 2;
    private static final int RAW_GCM_OVERHEAD = 12 + 16;
    private static final String VERIFIER = "gatehouse-srp-verifier";
    private static final String CHALLENGE = "gatehouse-srp-challenge";
    private static final String TOTP = "gatehouse-totp-secret";

    private final SecretKey key;
    /** Made at first use: Tink's set-up (its registry, protobuf) is not needed before the first sign-up or sign-in. */
    private volatile @Nullable Sealer sealer;

    /** @param key a 256-bit AES key that must survive restarts, or stored verifiers become unreadable */
    SrpVerifierSealer(SecretKey key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (!"AES".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("key must be an AES key");
        }
        this.key = key;
    }

    private Sealer sealer() {
        Sealer made = sealer;
        if (made == null) {
            synchronized (this) {
                made = sealer;
                if (made == null) {
                    made = Sealer.single("srp-sealing-key", key.getEncoded());
                    sealer = made;
                }
            }
        }
        return made;
    }

    /** Seals the verifier of this user; each call uses a fresh nonce. */
    String seal(String userPoolId, String userIdForSrp, SrpVerifier verifier) {
        byte[] salt = SrpMath.padded(verifier.salt());
        byte[] v = SrpMath.padded(verifier.verifier());
        if (salt.length > 255) {
            throw new IllegalArgumentException("salt is too long");
        }
        byte[] plaintext = ByteBuffer.allocate(1 + salt.length + v.length)
                .put((byte) salt.length)
                .put(salt)
                .put(v)
                .array();
        return seal(associatedData(VERIFIER, userPoolId, userIdForSrp), plaintext);
    }

    /**
     * Opens a verifier sealed for this pool and user.
     *
     * @throws IllegalStateException if it was sealed for another pool or user, under another key, or was altered
     */
    SrpVerifier open(String userPoolId, String userIdForSrp, String sealed) {
        byte[] plaintext = open(associatedData(VERIFIER, userPoolId, userIdForSrp), sealed, "verifier");
        int saltLength = plaintext.length == 0 ? -1 : Byte.toUnsignedInt(plaintext[0]);
        if (saltLength < 1 || 1 + saltLength >= plaintext.length) {
            throw new IllegalStateException("sealed SRP verifier has an invalid layout");
        }
        BigInteger salt = new BigInteger(Arrays.copyOfRange(plaintext, 1, 1 + saltLength));
        BigInteger v = new BigInteger(Arrays.copyOfRange(plaintext, 1 + saltLength, plaintext.length));
        Arrays.fill(plaintext, (byte) 0);
        return new SrpVerifier(salt, v);
    }

    /** Seals a user's TOTP secret (verified or pending), bound to pool and user. */
    String sealTotp(String userPoolId, String username, byte[] secret) {
        return seal(associatedData(TOTP, userPoolId, username), secret.clone());
    }

    /**
     * Opens a TOTP secret sealed for this pool and user.
     *
     * @throws IllegalStateException if it was sealed for another pool or user, under another key, or was altered
     */
    byte[] openTotp(String userPoolId, String username, String sealed) {
        return open(associatedData(TOTP, userPoolId, username), sealed, "TOTP secret");
    }

    /** Seals a pending challenge, to keep in the auth-session store until RespondToAuthChallenge. */
    String sealChallenge(String userPoolId, SrpChallenge challenge) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(challenge.poolName());
            out.writeUTF(challenge.userIdForSrp());
            for (BigInteger n : new BigInteger[] {
                challenge.verifier().salt(),
                challenge.verifier().verifier(),
                challenge.clientPublic(),
                challenge.serverSecret(),
                challenge.serverPublic()
            }) {
                byte[] encoded = SrpMath.padded(n);
                out.writeShort(encoded.length);
                out.write(encoded);
            }
            out.writeUTF(challenge.secretBlock());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plaintext = bytes.toByteArray();
        return seal(associatedData(CHALLENGE, userPoolId, challenge.userIdForSrp()), plaintext);
    }

    /**
     * Opens a challenge sealed for this pool and user.
     *
     * @throws IllegalStateException if it was sealed for another pool or user, under another key, or was altered
     */
    SrpChallenge openChallenge(String userPoolId, String userIdForSrp, String sealed) {
        byte[] plaintext = open(associatedData(CHALLENGE, userPoolId, userIdForSrp), sealed, "challenge");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
            String poolName = in.readUTF();
            String userId = in.readUTF();
            BigInteger[] numbers = new BigInteger[5];
            for (int i = 0; i < numbers.length; i++) {
                byte[] encoded = new byte[in.readUnsignedShort()];
                in.readFully(encoded);
                numbers[i] = new BigInteger(encoded);
            }
            String secretBlock = in.readUTF();
            return new SrpChallenge(
                    poolName,
                    userId,
                    new SrpVerifier(numbers[0], numbers[1]),
                    numbers[2],
                    numbers[3],
                    numbers[4],
                    secretBlock);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("sealed SRP challenge has an invalid layout", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private String seal(byte[] associatedData, byte[] plaintext) {
        try {
            byte[] sealed = sealer().seal(plaintext, associatedData);
            byte[] framed = new byte[1 + sealed.length];
            framed[0] = FORM_SEALER;
            System.arraycopy(sealed, 0, framed, 1, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(framed);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] open(byte[] associatedData, String sealed, String kind) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sealed SRP " + kind + " is not base64url", e);
        }
        if (bytes.length < 1 + RAW_GCM_OVERHEAD || (bytes[0] != FORM_SEALER && bytes[0] != FORM_RAW_GCM)) {
            throw new IllegalStateException("sealed SRP " + kind + " has an unknown format");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        try {
            return bytes[0] == FORM_SEALER
                    ? sealer().open(body, associatedData)
                    : sealer().openLegacy(sealer().primaryKeyId(), body, associatedData);
        } catch (GeneralSecurityException e) {
            // a wrong key, pool, user or kind, or altered bytes: GCM authentication fails
            throw new IllegalStateException("sealed SRP " + kind + " cannot be opened", e);
        }
    }

    private static byte[] associatedData(String kind, String userPoolId, String userIdForSrp) {
        return (kind + "\u0000" + userPoolId + "\u0000" + userIdForSrp).getBytes(StandardCharsets.UTF_8);
    }
}
