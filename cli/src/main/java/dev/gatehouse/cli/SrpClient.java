package dev.gatehouse.cli;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of Cognito's SRP sign-in ({@code USER_SRP_AUTH}, answered with {@code PASSWORD_VERIFIER}), computed
 * as amazon-cognito-identity-js does: the RFC 5054 3072-bit group with g = 2, SHA-256, every number hashed in its
 * minimal two's-complement form ({@link BigInteger#toByteArray()}, the libraries' {@code padHex}), and the session key
 * from HKDF-SHA256 with the info "Caldera Derived Key".
 *
 * <p>One instance is one sign-in attempt: it holds the secret {@code a}; {@link #srpA()} goes into InitiateAuth, and
 * {@link #passwordClaimSignature} answers the challenge. The server's values are checked (B mod N and u not zero)
 * before any secret is used with them.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc5054">RFC 5054</a>
 */
final class SrpClient {

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
    static final BigInteger K = hashToInteger(N.toByteArray(), G.toByteArray());

    /** Clients' {@code TIMESTAMP}: English names, UTC, day of month not zero-padded ("Tue Mar 5 09:04:07 UTC 2024"). */
    static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern(
                    "EEE MMM d HH:mm:ss 'UTC' uuuu", Locale.US)
            .withZone(ZoneOffset.UTC);

    /** amazon-cognito-identity-js draws a from 128 random bytes. */
    private static final int SECRET_BYTES = 128;

    private static final byte[] DERIVED_KEY_INFO = "Caldera Derived Key\u0001".getBytes(StandardCharsets.UTF_8);
    private static final int DERIVED_KEY_BYTES = 16;
    private static final String HMAC_SHA256 = "HmacSHA256";

    private final BigInteger a;
    private final BigInteger publicA;

    /** A fresh attempt with a random secret. */
    static SrpClient create(SecureRandom random) {
        Objects.requireNonNull(random, "random cannot be null");
        while (true) {
            byte[] bytes = new byte[SECRET_BYTES];
            random.nextBytes(bytes);
            BigInteger a = new BigInteger(1, bytes);
            if (G.modPow(a, N).signum() != 0) {
                return new SrpClient(a);
            }
        }
    }

    /** An attempt with a given secret (known-answer tests). */
    SrpClient(BigInteger a) {
        this.a = Objects.requireNonNull(a, "a cannot be null");
        this.publicA = G.modPow(a, N);
        if (publicA.signum() == 0) {
            throw new IllegalArgumentException("A mod N must not be 0");
        }
    }

    /** {@code SRP_A} for InitiateAuth: A in lowercase hex without padding, as the JavaScript clients send it. */
    String srpA() {
        return publicA.toString(16);
    }

    /**
     * {@code PASSWORD_CLAIM_SIGNATURE}: base64 of HMAC-SHA256(K, poolName || userIdForSrp || secretBlock || timestamp).
     *
     * @param poolName the part of the user pool id after {@code _}
     * @param userIdForSrp the challenge's {@code USER_ID_FOR_SRP}
     * @param saltHex the challenge's {@code SALT}
     * @param srpBHex the challenge's {@code SRP_B}
     * @param secretBlock the challenge's {@code SECRET_BLOCK} (base64)
     * @param timestamp the {@code TIMESTAMP} sent with the answer, in {@link #TIMESTAMP_FORMAT}
     * @throws IllegalArgumentException if the server's values are malformed or unsafe (B mod N = 0, u = 0)
     */
    String passwordClaimSignature(
            String poolName,
            String userIdForSrp,
            String password,
            String saltHex,
            String srpBHex,
            String secretBlock,
            String timestamp) {
        BigInteger b = parseHex("SRP_B", srpBHex);
        if (b.mod(N).signum() == 0) {
            throw new IllegalArgumentException("the server sent an SRP_B that is 0 mod N");
        }
        BigInteger u = u(publicA, b);
        if (u.signum() == 0) {
            throw new IllegalArgumentException("the server's SRP_B gives u = 0");
        }
        BigInteger x = x(parseHex("SALT", saltHex), poolName, userIdForSrp, password);
        BigInteger secret = premasterSecret(b, x, u);
        byte[] key = derivedKey(u, secret);
        byte[] block;
        try {
            block = Base64.getDecoder().decode(secretBlock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the server sent a SECRET_BLOCK that is not base64", e);
        }
        return Base64.getEncoder()
                .encodeToString(hmac(key, utf8(poolName), utf8(userIdForSrp), block, utf8(timestamp)));
    }

    /** The {@code TIMESTAMP} for an instant. */
    static String timestamp(Instant now) {
        return TIMESTAMP_FORMAT.format(now);
    }

    /** The pool name SRP hashes: the user pool id after {@code _} ({@code AbCdEf123} of {@code us-east-1_AbCdEf123}). */
    static String poolName(String userPoolId) {
        int underscore = userPoolId.indexOf('_');
        if (underscore < 0 || underscore == userPoolId.length() - 1) {
            throw new IllegalArgumentException("a user pool id looks like <region>_<name>, not " + userPoolId);
        }
        return userPoolId.substring(underscore + 1);
    }

    /** u = H(padHex(A) || padHex(B)). */
    static BigInteger u(BigInteger publicA, BigInteger publicB) {
        return hashToInteger(publicA.toByteArray(), publicB.toByteArray());
    }

    /** x = H(padHex(salt) || H(poolName + userIdForSrp + ":" + password)). */
    static BigInteger x(BigInteger salt, String poolName, String userIdForSrp, String password) {
        return hashToInteger(salt.toByteArray(), sha256(utf8(poolName + userIdForSrp + ":" + password)));
    }

    /** The client's premaster secret S = (B - k·g^x)^(a + u·x) mod N. */
    BigInteger premasterSecret(BigInteger publicB, BigInteger x, BigInteger u) {
        BigInteger base = publicB.subtract(K.multiply(G.modPow(x, N))).mod(N);
        return base.modPow(a.add(u.multiply(x)), N);
    }

    /** K = first 16 bytes of HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key"). */
    static byte[] derivedKey(BigInteger u, BigInteger premasterSecret) {
        byte[] prk = hmac(u.toByteArray(), premasterSecret.toByteArray());
        byte[] okm = hmac(prk, DERIVED_KEY_INFO);
        byte[] key = new byte[DERIVED_KEY_BYTES];
        System.arraycopy(okm, 0, key, 0, DERIVED_KEY_BYTES);
        return key;
    }

    private static BigInteger parseHex(String name, String hex) {
        // N has 768 hex digits: anything much longer is not an SRP value, and is not worth a modPow.
        if (hex.isEmpty() || hex.length() > 1024 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("the server sent a malformed " + name);
        }
        return new BigInteger(hex, 16);
    }

    private static BigInteger hashToInteger(byte[]... parts) {
        return new BigInteger(1, sha256(parts));
    }

    private static byte[] sha256(byte[]... parts) {
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

    private static byte[] hmac(byte[] key, byte[]... parts) {
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
