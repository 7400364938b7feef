package dev.gatehouse.userpool;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of Cognito's SRP-6a variant ("Caldera"), as amazon-cognito-identity-js and Amplify compute it: the
 * RFC 5054 3072-bit group with g = 2, SHA-256 throughout, and every number hashed in its {@code padHex} form.
 *
 * <p>{@code padHex(n)} is the even-length hex of n with {@code 00} prepended when the first nibble is 8 or more: exactly
 * the minimal two's-complement big-endian bytes of {@link BigInteger#toByteArray()} for n &ge; 0, which is what
 * {@link #padded(BigInteger)} returns. Pure functions, no state; range checks of peer values are the caller's
 * ({@link SrpServer}).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc5054#appendix-A">RFC 5054, 3072-bit group</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc5869">RFC 5869, HKDF</a>
 */
final class SrpMath {

    /** The RFC 3526 / RFC 5054 3072-bit safe prime. */
    static final BigInteger N = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                    + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                    + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                    + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                    + "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
                    + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
                    + "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
            16);

    static final BigInteger G = BigInteger.TWO;

    /** k = H(padHex(N) || padHex(g)). */
    static final BigInteger K = hashToInteger(padded(N), padded(G));

    /** HKDF info: the label Cognito's clients use, followed by the single-block counter 0x01. */
    private static final byte[] DERIVED_KEY_INFO = "Caldera Derived Key\u0001".getBytes(StandardCharsets.UTF_8);

    private static final int DERIVED_KEY_BYTES = 16;
    private static final String HMAC_SHA256 = "HmacSHA256";

    private SrpMath() {}

    /** The padHex bytes of a non-negative number. */
    static byte[] padded(BigInteger n) {
        if (n.signum() < 0) {
            throw new IllegalArgumentException("SRP values are never negative");
        }
        return n.toByteArray();
    }

    /** x = H(padHex(salt) || H(poolName + userIdForSrp + ":" + password)). */
    static BigInteger x(BigInteger salt, String poolName, String userIdForSrp, String password) {
        byte[] inner = sha256(utf8(poolName + userIdForSrp + ":" + password));
        return hashToInteger(padded(salt), inner);
    }

    /** v = g^x mod N. */
    static BigInteger verifier(BigInteger x) {
        return G.modPow(x, N);
    }

    /** B = (k·v + g^b) mod N. */
    static BigInteger serverPublic(BigInteger v, BigInteger b) {
        return K.multiply(v).add(G.modPow(b, N)).mod(N);
    }

    /** u = H(padHex(A) || padHex(B)). */
    static BigInteger u(BigInteger clientPublic, BigInteger serverPublic) {
        return hashToInteger(padded(clientPublic), padded(serverPublic));
    }

    /** The server's premaster secret S = (A·v^u)^b mod N. */
    static BigInteger serverSecret(BigInteger clientPublic, BigInteger v, BigInteger u, BigInteger b) {
        return clientPublic.multiply(v.modPow(u, N)).mod(N).modPow(b, N);
    }

    /** K = first 16 bytes of HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key"). */
    static byte[] derivedKey(BigInteger u, BigInteger premasterSecret) {
        byte[] prk = hmac(padded(u), padded(premasterSecret));
        byte[] okm = hmac(prk, DERIVED_KEY_INFO);
        byte[] key = new byte[DERIVED_KEY_BYTES];
        System.arraycopy(okm, 0, key, 0, DERIVED_KEY_BYTES);
        return key;
    }

    /** HMAC-SHA256(K, utf8(poolName) || utf8(userIdForSrp) || secretBlock || utf8(timestamp)). */
    static byte[] passwordClaimSignature(
            byte[] derivedKey, String poolName, String userIdForSrp, byte[] secretBlock, String timestamp) {
        return hmac(derivedKey, utf8(poolName), utf8(userIdForSrp), secretBlock, utf8(timestamp));
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static BigInteger hashToInteger(byte[]... parts) {
        return new BigInteger(1, sha256(parts));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
