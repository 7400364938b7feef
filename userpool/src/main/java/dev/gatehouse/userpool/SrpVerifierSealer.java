package dev.gatehouse.userpool;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a user's {@link SrpVerifier} for storage with AES-256-GCM under a server key, bound to its pool and user as
 * additional data, so a copy of the store alone does not allow guessing passwords at hash speed against v, and a sealed
 * verifier moved to another user does not open.
 *
 * <p>Sealed form: base64url (no padding) of {@code 0x01 || nonce (12 bytes) || ciphertext+tag}; the plaintext is
 * {@code len(salt) (1 byte) || salt || v}, each number as its minimal big-endian bytes.
 */
final class SrpVerifierSealer {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKey key;
  private final SecureRandom random;

  /** @param key an AES key (256 bits recommended) that must survive restarts, or stored verifiers become unreadable */
  SrpVerifierSealer(SecretKey key, SecureRandom random) {
    this.key = Objects.requireNonNull(key, "key cannot be null");
    this.random = Objects.requireNonNull(random, "random cannot be null");
    if (!"AES".equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("key must be an AES key");
    }
  }

  /** Seals the verifier of this user; each call uses a fresh nonce. */
  String seal(String userPoolId, String userIdForSrp, SrpVerifier verifier) {
    byte[] salt = SrpMath.padded(verifier.salt());
    byte[] v = SrpMath.padded(verifier.verifier());
    if (salt.length > 255) {
      throw new IllegalArgumentException("salt is too long");
    }
    byte[] plaintext = ByteBuffer.allocate(1 + salt.length + v.length).put((byte) salt.length).put(salt).put(v).array();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(userPoolId, userIdForSrp));
      byte[] ciphertext = cipher.doFinal(plaintext);
      byte[] sealed = ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length).put(VERSION).put(nonce).put(ciphertext)
          .array();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Opens a verifier sealed for this pool and user.
   *
   * @throws IllegalStateException if it was sealed for another pool or user, under another key, or was altered
   */
  SrpVerifier open(String userPoolId, String userIdForSrp, String sealed) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("sealed SRP verifier is not base64url", e);
    }
    if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
      throw new IllegalStateException("sealed SRP verifier has an unknown format");
    }
    byte[] plaintext;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData(userPoolId, userIdForSrp));
      plaintext = cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      // a wrong key, pool or user, or altered bytes: GCM authentication fails
      throw new IllegalStateException("sealed SRP verifier cannot be opened", e);
    }
    int saltLength = plaintext.length == 0 ? -1 : Byte.toUnsignedInt(plaintext[0]);
    if (saltLength < 1 || 1 + saltLength >= plaintext.length) {
      throw new IllegalStateException("sealed SRP verifier has an invalid layout");
    }
    BigInteger salt = new BigInteger(Arrays.copyOfRange(plaintext, 1, 1 + saltLength));
    BigInteger v = new BigInteger(Arrays.copyOfRange(plaintext, 1 + saltLength, plaintext.length));
    Arrays.fill(plaintext, (byte) 0);
    return new SrpVerifier(salt, v);
  }

  private static byte[] associatedData(String userPoolId, String userIdForSrp) {
    return ("gatehouse-srp-verifier\u0000" + userPoolId + "\u0000" + userIdForSrp).getBytes(StandardCharsets.UTF_8);
  }
}
