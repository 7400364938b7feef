package dev.gatehouse.userpool;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stored confirmation or reset code: never the code itself, only HMAC-SHA256 under a per-code salt, with its expiry
 * and the wrong guesses it has taken. A code dies after {@link #MAX_ATTEMPTS} wrong guesses, on expiry, and on use.
 */
record OneTimeCode(String salt, String hash, Instant expiresAt, int attempts) {

    static final int MAX_ATTEMPTS = 5;
    static final Duration SIGN_UP_VALIDITY = Duration.ofHours(24);
    static final Duration RESET_VALIDITY = Duration.ofHours(1);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What a presented code turned out to be. */
    enum Check {
        MATCH,
        MISMATCH,
        EXPIRED,
        EXHAUSTED
    }

    /** A fresh code: the six digits to send, and what to store. */
    record Issued(String code, OneTimeCode stored) {}

    static Issued issue(SecureRandom random, Instant now, Duration validity) {
        String code = String.format("%06d", random.nextInt(1_000_000));
        byte[] saltBytes = new byte[16];
        random.nextBytes(saltBytes);
        String salt = B64.encodeToString(saltBytes);
        return new Issued(code, new OneTimeCode(salt, mac(salt, code), now.plus(validity), 0));
    }

    /** Compares in constant time. An expiry equal to now counts as expired. */
    Check check(String presented, Instant now) {
        if (attempts >= MAX_ATTEMPTS) {
            return Check.EXHAUSTED;
        }
        if (!expiresAt.isAfter(now)) {
            return Check.EXPIRED;
        }
        boolean same = MessageDigest.isEqual(
                hash.getBytes(StandardCharsets.US_ASCII), mac(salt, presented).getBytes(StandardCharsets.US_ASCII));
        return same ? Check.MATCH : Check.MISMATCH;
    }

    OneTimeCode withFailedAttempt() {
        return new OneTimeCode(salt, hash, expiresAt, attempts + 1);
    }

    String encode() {
        return salt + "." + hash + "." + expiresAt.getEpochSecond() + "." + attempts;
    }

    static Optional<OneTimeCode> decode(String encoded) {
        String[] parts = encoded.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OneTimeCode(
                    parts[0], parts[1], Instant.ofEpochSecond(Long.parseLong(parts[2])), Integer.parseInt(parts[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String mac(String salt, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(code.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
