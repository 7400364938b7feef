package dev.gatehouse.userpool;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test-only SRP client, written from {@code shared/reference/srp.md} section 2.3 the way the JavaScript clients do
 * it: numbers go through hex strings and {@code padHex} string rules, not {@link BigInteger#toByteArray()}, so it is an
 * independent check of {@link SrpMath}. Shares no code with the server classes. Public (in the module's test-jar) for
 * the server's integration tests.
 */
public final class SrpTestClient {

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
    static final BigInteger K = new BigInteger(hexHash(padHex(N) + padHex(G)), 16);

    private final BigInteger smallA;
    private final BigInteger largeA;

    SrpTestClient(BigInteger smallA) {
        this.smallA = smallA;
        this.largeA = G.modPow(smallA, N);
    }

    /** a = 128 random bytes, not reduced (amazon-cognito-identity-js 6.x). */
    public static SrpTestClient random(Random random) {
        byte[] bytes = new byte[128];
        random.nextBytes(bytes);
        return new SrpTestClient(new BigInteger(1, bytes));
    }

    BigInteger largeA() {
        return largeA;
    }

    /** {@code SRP_A}: unpadded lowercase hex. */
    public String srpA() {
        return largeA.toString(16);
    }

    /** The parts of the client computation a known-answer test compares. */
    record Proof(BigInteger x, BigInteger u, BigInteger premasterSecret, byte[] key, String signature) {}

    /** The {@code PASSWORD_CLAIM_SIGNATURE} for a {@code PASSWORD_VERIFIER} challenge's parameters. */
    public String signature(
            String poolName, String password, Map<String, String> challengeParameters, String timestamp) {
        return proof(poolName, password, challengeParameters, timestamp).signature();
    }

    Proof proof(String poolName, String password, Map<String, String> challengeParameters, String timestamp) {
        String userIdForSrp = challengeParameters.get("USER_ID_FOR_SRP");
        BigInteger largeB = new BigInteger(challengeParameters.get("SRP_B"), 16);
        BigInteger salt = new BigInteger(challengeParameters.get("SALT"), 16);
        if (largeB.mod(N).signum() == 0) {
            throw new IllegalStateException("B cannot be zero");
        }
        BigInteger u = new BigInteger(hexHash(padHex(largeA) + padHex(largeB)), 16);
        if (u.signum() == 0) {
            throw new IllegalStateException("U cannot be zero");
        }
        String usernamePasswordHash = hash(poolName + userIdForSrp + ":" + password);
        BigInteger x = new BigInteger(hexHash(padHex(salt) + usernamePasswordHash), 16);
        BigInteger base = largeB.subtract(K.multiply(G.modPow(x, N)));
        BigInteger s = base.modPow(smallA.add(u.multiply(x)), N);
        byte[] key = hkdf(hexToBytes(padHex(s)), hexToBytes(padHex(u)));
        byte[] secretBlock = Base64.getDecoder().decode(challengeParameters.get("SECRET_BLOCK"));
        byte[] message = concat(utf8(poolName), utf8(userIdForSrp), secretBlock, utf8(timestamp));
        String signature = Base64.getEncoder().encodeToString(hmac(key, message));
        return new Proof(x, u, s, key, signature);
    }

    /** The JavaScript rule: even length, then "00" when the first nibble is 8 or more. */
    static String padHex(BigInteger n) {
        String hex = n.abs().toString(16);
        if (hex.length() % 2 != 0) {
            hex = "0" + hex;
        }
        if ("89abcdef".indexOf(hex.charAt(0)) >= 0) {
            hex = "00" + hex;
        }
        return hex;
    }

    static String hexHash(String hex) {
        return HexFormat.of().formatHex(sha256(hexToBytes(hex)));
    }

    static String hash(String text) {
        String hex = HexFormat.of().formatHex(sha256(utf8(text)));
        return "0".repeat(64 - hex.length()) + hex;
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt) {
        byte[] prk = hmac(salt, ikm);
        byte[] info = concat(utf8("Caldera Derived Key"), utf8(String.valueOf((char) 1)));
        byte[] okm = hmac(prk, info);
        byte[] key = new byte[16];
        System.arraycopy(okm, 0, key, 0, 16);
        return key;
    }

    private static byte[] hexToBytes(String hex) {
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
