package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and the SigV4 signing-key derivation chain. */
final class SigV4Signing {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SigV4Signing() {
  }

  static String sha256Hex(byte[] data) {
    try {
      return hex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The lower-case hex HMAC of the string to sign with the {@link #signingKey}. */
  static String signature(SecretBytes secretKey, CredentialScope scope, String stringToSign) {
    byte[] key = signingKey(secretKey, scope);
    try {
      return hex(hmac(key, stringToSign));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** {@code HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")}; zero it after use. */
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
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
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
}
