package dev.gatehouse.userpool;

import dev.gatehouse.userpool.SrpException.Reason;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * The server side of Cognito's SRP sign-in ({@code USER_SRP_AUTH} answered by {@code PASSWORD_VERIFIER}): verifiers
 * at sign-up and password change, the challenge (B) at InitiateAuth, and the check of {@code PASSWORD_CLAIM_SIGNATURE}
 * at RespondToAuthChallenge. Thread-safe.
 *
 * <p>A user that does not exist gets a {@link #fakeVerifier fake verifier} and a {@link #fakeUserIdForSrp fake
 * USER_ID_FOR_SRP} derived from a server secret, so its {@code SALT} and user id are the same on every call and after
 * restarts and its B is computed like a real one; the proof then fails as for a wrong password, and callers hiding
 * user existence answer exactly as for a wrong password.
 *
 * <p>{@link #newVerifier}, {@link #fakeVerifier}, {@link #challenge} and {@link #verify} each cost one to three
 * 3072-bit modular exponentiations (milliseconds): call them off the event loop.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc5054">RFC 5054</a> and {@code shared/reference/srp.md}
 */
final class SrpServer {

    /** A {@code TIMESTAMP} further than this from the clock, either way, is refused. */
    static final Duration MAX_TIMESTAMP_SKEW = Duration.ofMinutes(5);

    /** Salt length: Cognito's clients make 16-byte salts for device verifiers; user salts look the same. */
    static final int SALT_BYTES = 16;

    static final int SERVER_SECRET_BITS = 256;
    static final int SECRET_BLOCK_BYTES = 32;

    /** N has 768 hex digits; room for leading zeros, but no unbounded parsing. */
    static final int MAX_PUBLIC_VALUE_HEX_DIGITS = 1024;

    /** Clients' {@code TIMESTAMP}: English names, UTC, day of month not zero-padded ("Tue Mar 5 09:04:07 UTC 2024"). */
    static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern(
                    "EEE MMM d HH:mm:ss 'UTC' uuuu", Locale.US)
            .withResolverStyle(ResolverStyle.STRICT);

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final BigInteger N_MINUS_ONE = SrpMath.N.subtract(BigInteger.ONE);

    private final Clock clock;
    private final SecureRandom random;
    private final byte[] fakeVerifierKey;

    /**
     * @param fakeVerifierKey a persistent server secret (HMAC-SHA256 key, at least 32 bytes) from which the fake
     *     verifiers of unknown users are derived; it must survive restarts for their salts to stay the same
     */
    SrpServer(Clock clock, SecureRandom random, SecretKey fakeVerifierKey) {
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
        Objects.requireNonNull(fakeVerifierKey, "fakeVerifierKey cannot be null");
        byte[] encoded = fakeVerifierKey.getEncoded();
        if (encoded == null || encoded.length < 32) {
            throw new IllegalArgumentException("fakeVerifierKey must be a raw key of at least 32 bytes");
        }
        this.fakeVerifierKey = encoded;
    }

    /** The pool name SRP hashes: the user pool id after {@code _} ({@code AbCdEf123} of {@code eu-west-1_AbCdEf123}). */
    static String poolName(String userPoolId) {
        int underscore = userPoolId.indexOf('_');
        if (underscore < 0 || underscore == userPoolId.length() - 1) {
            throw new IllegalArgumentException("not a user pool id: " + userPoolId);
        }
        return userPoolId.substring(underscore + 1);
    }

    /**
     * A new random salt and the verifier of this password; call at sign-up and on every password change or reset.
     *
     * @param userIdForSrp the internal username (what {@code USER_ID_FOR_SRP} will carry), not an alias
     */
    SrpVerifier newVerifier(String poolName, String userIdForSrp, String password) {
        byte[] saltBytes = new byte[SALT_BYTES];
        random.nextBytes(saltBytes);
        return verifierFor(new BigInteger(1, saltBytes), poolName, userIdForSrp, password);
    }

    /** The verifier of this password with a given salt (the salt as clients parse it from {@code SALT}). */
    static SrpVerifier verifierFor(BigInteger salt, String poolName, String userIdForSrp, String password) {
        Objects.requireNonNull(password, "password cannot be null");
        return new SrpVerifier(salt, SrpMath.verifier(SrpMath.x(salt, poolName, userIdForSrp, password)));
    }

    /**
     * A salt and verifier for a user that does not exist, the same for the same pool and username on every call and
     * across restarts (derived with HMAC from the server secret), indistinguishable from a real one without that secret.
     * No password matches it in practice: its x is a secret HMAC output, not a password hash.
     *
     * @param username the username as the client sent it, normalised as the pool normalises usernames for lookup
     */
    SrpVerifier fakeVerifier(String userPoolId, String username) {
        byte[] context = (userPoolId + "\u0000" + username).getBytes(StandardCharsets.UTF_8);
        byte[] salt = SrpMath.hmac(
                fakeVerifierKey, "gatehouse-srp-fake-salt\u0000".getBytes(StandardCharsets.UTF_8), context);
        byte[] x =
                SrpMath.hmac(fakeVerifierKey, "gatehouse-srp-fake-x\u0000".getBytes(StandardCharsets.UTF_8), context);
        byte[] saltBytes = new byte[SALT_BYTES];
        System.arraycopy(salt, 0, saltBytes, 0, SALT_BYTES);
        return new SrpVerifier(new BigInteger(1, saltBytes), SrpMath.verifier(new BigInteger(1, x)));
    }

    /**
     * The {@code USER_ID_FOR_SRP} to send for a user that does not exist: a version-4-shaped UUID derived like
     * {@link #fakeVerifier}, the same for the same pool and username on every call, as Cognito does ("the same salt and
     * internal user id in UUID format for the same user name and user pool combination").
     */
    String fakeUserIdForSrp(String userPoolId, String username) {
        byte[] context = (userPoolId + "\u0000" + username).getBytes(StandardCharsets.UTF_8);
        byte[] bytes =
                SrpMath.hmac(fakeVerifierKey, "gatehouse-srp-fake-id\u0000".getBytes(StandardCharsets.UTF_8), context);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    /**
     * Parses and range-checks {@code SRP_A}: hex digits only (clients send {@code A.toString(16)}, unpadded), and
     * 1 &lt; A &lt; N-1. This refuses A mod N = 0 (which would force S = 0 and let anyone sign in) in all its forms
     * (0, N, 2N…), and the other elements of small order, 1 and N-1.
     *
     * @throws SrpException {@link Reason#INVALID_PUBLIC_VALUE}
     */
    static BigInteger clientPublic(String srpA) throws SrpException {
        if (srpA.isEmpty()
                || srpA.length() > MAX_PUBLIC_VALUE_HEX_DIGITS
                || !HEX.matcher(srpA).matches()) {
            throw new SrpException(
                    Reason.INVALID_PUBLIC_VALUE,
                    "SRP_A is not a hex number of at most " + MAX_PUBLIC_VALUE_HEX_DIGITS + " digits");
        }
        BigInteger a = new BigInteger(srpA, 16);
        checkClientPublic(a);
        return a;
    }

    /**
     * A new {@code PASSWORD_VERIFIER} challenge for this user: a random 256-bit b, B = (k·v + g^b) mod N (never 0), a
     * random {@code SECRET_BLOCK}. Also ensures u = H(A, B) is not 0.
     *
     * @param clientPublic A, from {@link #clientPublic(String)}
     * @throws SrpException {@link Reason#INVALID_PUBLIC_VALUE} if A is degenerate
     */
    SrpChallenge challenge(String poolName, String userIdForSrp, SrpVerifier verifier, BigInteger clientPublic)
            throws SrpException {
        checkClientPublic(clientPublic);
        while (true) {
            BigInteger b = new BigInteger(SERVER_SECRET_BITS, random);
            if (b.signum() == 0) {
                continue;
            }
            BigInteger serverPublic = SrpMath.serverPublic(verifier.verifier(), b);
            // Both are refused by clients (B mod N = 0) or make the proof independent of the password (u = 0).
            if (serverPublic.signum() == 0
                    || SrpMath.u(clientPublic, serverPublic).signum() == 0) {
                continue;
            }
            byte[] block = new byte[SECRET_BLOCK_BYTES];
            random.nextBytes(block);
            String secretBlock = Base64.getEncoder().encodeToString(block);
            return new SrpChallenge(poolName, userIdForSrp, verifier, clientPublic, b, serverPublic, secretBlock);
        }
    }

    /**
     * Checks a {@code PASSWORD_VERIFIER} answer: the echoed secret block, the timestamp (format and skew against the
     * clock) and, in constant time, the signature. Returns normally only if the client proved knowledge of the password.
     * The caller must make the challenge single use whatever the outcome.
     *
     * @param secretBlock {@code PASSWORD_CLAIM_SECRET_BLOCK}
     * @param timestamp {@code TIMESTAMP}, signed as received
     * @param signature {@code PASSWORD_CLAIM_SIGNATURE} (base64)
     * @throws SrpException with the reason; only {@link Reason#SIGNATURE_MISMATCH} means a wrong password
     */
    void verify(SrpChallenge challenge, String secretBlock, String timestamp, String signature) throws SrpException {
        checkClientPublic(challenge.clientPublic());
        if (!MessageDigest.isEqual(bytes(secretBlock), bytes(challenge.secretBlock()))) {
            throw new SrpException(
                    Reason.SECRET_BLOCK_MISMATCH, "PASSWORD_CLAIM_SECRET_BLOCK does not match the challenge");
        }
        checkTimestamp(timestamp);
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new SrpException(Reason.SIGNATURE_MISMATCH, "PASSWORD_CLAIM_SIGNATURE is not base64");
        }
        byte[] expected = expectedSignature(challenge, timestamp);
        if (!MessageDigest.isEqual(claimed, expected)) {
            throw new SrpException(Reason.SIGNATURE_MISMATCH, "PASSWORD_CLAIM_SIGNATURE does not match");
        }
    }

    /** The signature a client that knows the password sends, for this challenge and timestamp. */
    static byte[] expectedSignature(SrpChallenge challenge, String timestamp) {
        BigInteger u = SrpMath.u(challenge.clientPublic(), challenge.serverPublic());
        BigInteger s = SrpMath.serverSecret(
                challenge.clientPublic(), challenge.verifier().verifier(), u, challenge.serverSecret());
        byte[] key = SrpMath.derivedKey(u, s);
        byte[] secretBlock = Base64.getDecoder().decode(challenge.secretBlock());
        return SrpMath.passwordClaimSignature(
                key, challenge.poolName(), challenge.userIdForSrp(), secretBlock, timestamp);
    }

    /**
     * Parses {@code TIMESTAMP} and checks it is within {@link #MAX_TIMESTAMP_SKEW} of the clock.
     *
     * @throws SrpException {@link Reason#INVALID_TIMESTAMP} or {@link Reason#STALE_TIMESTAMP}
     */
    Instant checkTimestamp(String timestamp) throws SrpException {
        Instant signedAt = parseTimestamp(timestamp);
        Instant now = clock.instant();
        // A timestamp exactly MAX_TIMESTAMP_SKEW away is still accepted; one second more is not.
        if (signedAt.isBefore(now.minus(MAX_TIMESTAMP_SKEW)) || signedAt.isAfter(now.plus(MAX_TIMESTAMP_SKEW))) {
            throw new SrpException(Reason.STALE_TIMESTAMP, "TIMESTAMP is too far from the server clock");
        }
        return signedAt;
    }

    /**
     * Parses a clients' {@code TIMESTAMP} ("Tue Mar 5 09:04:07 UTC 2024"); the weekday must match the date.
     *
     * @throws SrpException {@link Reason#INVALID_TIMESTAMP}
     */
    static Instant parseTimestamp(String timestamp) throws SrpException {
        if (timestamp.length() > 40) {
            throw new SrpException(Reason.INVALID_TIMESTAMP, "TIMESTAMP is too long");
        }
        try {
            return LocalDateTime.parse(timestamp, TIMESTAMP_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new SrpException(
                    Reason.INVALID_TIMESTAMP, "TIMESTAMP is not in the format EEE MMM d HH:mm:ss UTC yyyy");
        }
    }

    /** Formats an instant as clients do; for tests and for clients written in Java. */
    static String formatTimestamp(Instant instant) {
        return TIMESTAMP_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static void checkClientPublic(BigInteger a) throws SrpException {
        if (a.compareTo(BigInteger.ONE) <= 0 || a.compareTo(N_MINUS_ONE) >= 0) {
            throw new SrpException(Reason.INVALID_PUBLIC_VALUE, "SRP_A is out of range");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
