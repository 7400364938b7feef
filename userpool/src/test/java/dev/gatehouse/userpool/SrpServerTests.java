package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.userpool.SrpException.Reason;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SrpServerTests {

    private static final String POOL_ID = "eu-west-1_AbCdEf123";
    private static final String POOL = "AbCdEf123";
    private static final String USER = "7d1e2f3a-0000-4000-8000-000000000001";
    private static final Instant NOW = Instant.parse("2024-03-05T09:04:07Z");

    private final SrpTestVector vector = SrpTestVector.load();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SecretKey fakeKey = new SecretKeySpec(bytes(32, 7), "HmacSHA256");
    private final SrpServer server = new SrpServer(clock, new SecureRandom(), fakeKey);
    private final Random random = new Random(20240305);

    // Known-answer test: shared/reference/srp-test-vector.json (srp.md section 2.4).

    @Test
    void kWhenComputedThenMatchesVector() {
        assertThat(SrpMath.K).isEqualTo(vector.outputHex("k"));
        assertThat(SrpMath.K.toString(16))
                .isEqualTo("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    }

    @Test
    void verifierWhenVectorInputsThenMatchesVectorXAndV() {
        BigInteger salt = vector.inputHex("SALT");
        BigInteger x =
                SrpMath.x(salt, vector.input("poolName"), vector.input("userIdForSrp"), vector.input("password"));

        SrpVerifier verifier = SrpServer.verifierFor(
                salt, vector.input("poolName"), vector.input("userIdForSrp"), vector.input("password"));

        assertThat(x).isEqualTo(vector.outputHex("x"));
        assertThat(verifier.verifier()).isEqualTo(vector.outputHex("v"));
        assertThat(verifier.saltHex()).isEqualTo(vector.input("SALT"));
    }

    @Test
    void serverValuesWhenVectorInputsThenMatchVector() {
        BigInteger a = SrpMath.G.modPow(vector.inputHex("a"), SrpMath.N);
        BigInteger serverPublic = SrpMath.serverPublic(vector.outputHex("v"), vector.inputHex("b"));
        BigInteger u = SrpMath.u(a, serverPublic);
        BigInteger s = SrpMath.serverSecret(a, vector.outputHex("v"), u, vector.inputHex("b"));
        byte[] key = SrpMath.derivedKey(u, s);
        byte[] signature = SrpMath.passwordClaimSignature(
                key,
                vector.input("poolName"),
                vector.input("userIdForSrp"),
                Base64.getDecoder().decode(vector.input("SECRET_BLOCK")),
                vector.input("TIMESTAMP"));

        assertThat(a.toString(16)).isEqualTo(vector.output("SRP_A"));
        assertThat(serverPublic.toString(16)).isEqualTo(vector.output("SRP_B"));
        assertThat(u).isEqualTo(vector.outputHex("u"));
        assertThat(s).isEqualTo(vector.outputHex("S"));
        assertThat(HexFormat.of().formatHex(key)).isEqualTo(vector.output("K_hkdf16"));
        assertThat(Base64.getEncoder().encodeToString(signature)).isEqualTo(vector.output("PASSWORD_CLAIM_SIGNATURE"));
    }

    @Test
    void verifyWhenVectorSignatureThenAccepted() throws SrpException {
        SrpChallenge challenge = vectorChallenge();

        assertThatCode(() -> server.verify(
                        challenge,
                        vector.input("SECRET_BLOCK"),
                        vector.input("TIMESTAMP"),
                        vector.output("PASSWORD_CLAIM_SIGNATURE")))
                .doesNotThrowAnyException();
    }

    @Test
    void verifyWhenVectorSignatureOneBitOffThenSignatureMismatch() throws SrpException {
        byte[] signature = Base64.getDecoder().decode(vector.output("PASSWORD_CLAIM_SIGNATURE"));
        signature[31] ^= 1;

        assertReason(
                () -> server.verify(
                        vectorChallenge(),
                        vector.input("SECRET_BLOCK"),
                        vector.input("TIMESTAMP"),
                        Base64.getEncoder().encodeToString(signature)),
                Reason.SIGNATURE_MISMATCH);
    }

    // Round trips with the independent test client.

    @Test
    void verifyWhenClientKnowsPasswordThenAcceptedForRandomPasswords() throws SrpException {
        for (int i = 0; i < 8; i++) {
            String password = randomPassword();
            SrpVerifier verifier = server.newVerifier(POOL, USER, password);
            SrpTestClient client = SrpTestClient.random(random);
            SrpChallenge challenge = server.challenge(POOL, USER, verifier, SrpServer.clientPublic(client.srpA()));
            String timestamp = SrpServer.formatTimestamp(NOW);

            String signature = client.signature(POOL, password, challenge.challengeParameters(), timestamp);

            assertThatCode(() -> server.verify(challenge, challenge.secretBlock(), timestamp, signature))
                    .as("password %s", password)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void verifyWhenWrongPasswordThenSignatureMismatch() throws SrpException {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Correct-horse-1");
        SrpTestClient client = SrpTestClient.random(random);
        SrpChallenge challenge = server.challenge(POOL, USER, verifier, SrpServer.clientPublic(client.srpA()));
        String timestamp = SrpServer.formatTimestamp(NOW);

        String signature = client.signature(POOL, "Correct-horse-2", challenge.challengeParameters(), timestamp);

        assertReason(
                () -> server.verify(challenge, challenge.secretBlock(), timestamp, signature),
                Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenClientUsesAnotherUserIdThenSignatureMismatch() throws SrpException {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Passw0rd!");
        SrpTestClient client = SrpTestClient.random(random);
        SrpChallenge challenge = server.challenge(POOL, USER, verifier, SrpServer.clientPublic(client.srpA()));
        Map<String, String> parameters = new HashMap<>(challenge.challengeParameters());
        parameters.put("USER_ID_FOR_SRP", "alice@example.com");
        String timestamp = SrpServer.formatTimestamp(NOW);

        String signature = client.signature(POOL, "Passw0rd!", parameters, timestamp);

        assertReason(
                () -> server.verify(challenge, challenge.secretBlock(), timestamp, signature),
                Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenSecretBlockTamperedThenSecretBlockMismatch() throws SrpException {
        Exchange exchange = exchange("Passw0rd!");
        String tampered = Base64.getEncoder().encodeToString(bytes(32, 1));

        assertReason(
                () -> server.verify(exchange.challenge, tampered, exchange.timestamp, exchange.signature),
                Reason.SECRET_BLOCK_MISMATCH);
    }

    @Test
    void verifyWhenSignedOverTamperedSecretBlockThenRejected() throws SrpException {
        Exchange exchange = exchange("Passw0rd!");
        Map<String, String> parameters = new HashMap<>(exchange.challenge.challengeParameters());
        String tampered = Base64.getEncoder().encodeToString(bytes(32, 1));
        parameters.put("SECRET_BLOCK", tampered);
        String signature = exchange.client.signature(POOL, "Passw0rd!", parameters, exchange.timestamp);

        assertReason(
                () -> server.verify(exchange.challenge, tampered, exchange.timestamp, signature),
                Reason.SECRET_BLOCK_MISMATCH);
        assertReason(
                () -> server.verify(
                        exchange.challenge, exchange.challenge.secretBlock(), exchange.timestamp, signature),
                Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenTimestampTamperedThenSignatureMismatch() throws SrpException {
        Exchange exchange = exchange("Passw0rd!");
        String otherTimestamp = SrpServer.formatTimestamp(NOW.plusSeconds(1));

        assertReason(
                () -> server.verify(
                        exchange.challenge, exchange.challenge.secretBlock(), otherTimestamp, exchange.signature),
                Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenSignatureNotBase64ThenSignatureMismatch() throws SrpException {
        Exchange exchange = exchange("Passw0rd!");

        assertReason(
                () -> server.verify(
                        exchange.challenge, exchange.challenge.secretBlock(), exchange.timestamp, "not base64!"),
                Reason.SIGNATURE_MISMATCH);
    }

    // Degenerate client values.

    @Test
    void clientPublicWhenZeroOrMultipleOfNThenInvalidPublicValue() {
        for (BigInteger a : new BigInteger[] {BigInteger.ZERO, SrpMath.N, SrpMath.N.shiftLeft(1)}) {
            assertReason(() -> SrpServer.clientPublic(a.toString(16)), Reason.INVALID_PUBLIC_VALUE);
        }
    }

    @Test
    void clientPublicWhenOneOrNMinusOneOrAboveNThenInvalidPublicValue() {
        BigInteger[] values = {BigInteger.ONE, SrpMath.N.subtract(BigInteger.ONE), SrpMath.N.add(BigInteger.TWO)};
        for (BigInteger a : values) {
            assertReason(() -> SrpServer.clientPublic(a.toString(16)), Reason.INVALID_PUBLIC_VALUE);
        }
    }

    @Test
    void clientPublicWhenNotPlainHexThenInvalidPublicValue() {
        for (String srpA : new String[] {"", "-1f", "+1f", "0x1f", "xyz", "12 34", "1".repeat(1025)}) {
            assertReason(() -> SrpServer.clientPublic(srpA), Reason.INVALID_PUBLIC_VALUE);
        }
    }

    @Test
    void clientPublicWhenUpperCaseOrLeadingZerosThenParsed() throws SrpException {
        BigInteger a = SrpMath.G.modPow(BigInteger.valueOf(12345), SrpMath.N);

        assertThat(SrpServer.clientPublic("000" + a.toString(16).toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo(a);
    }

    @Test
    void challengeWhenClientPublicDegenerateThenInvalidPublicValue() {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Passw0rd!");

        assertReason(() -> server.challenge(POOL, USER, verifier, SrpMath.N), Reason.INVALID_PUBLIC_VALUE);
    }

    @Test
    void verifyWhenChallengeHoldsDegenerateClientPublicThenInvalidPublicValue() throws SrpException {
        SrpChallenge valid = exchange("Passw0rd!").challenge;
        SrpChallenge forged = new SrpChallenge(
                POOL,
                USER,
                valid.verifier(),
                BigInteger.ZERO,
                valid.serverSecret(),
                valid.serverPublic(),
                valid.secretBlock());

        assertReason(
                () -> server.verify(forged, forged.secretBlock(), SrpServer.formatTimestamp(NOW), "AAAA"),
                Reason.INVALID_PUBLIC_VALUE);
    }

    // The challenge.

    @Test
    void challengeWhenCalledTwiceThenFreshBAndSecretBlock() throws SrpException {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Passw0rd!");
        BigInteger a = SrpTestClient.random(random).largeA();

        SrpChallenge first = server.challenge(POOL, USER, verifier, a);
        SrpChallenge second = server.challenge(POOL, USER, verifier, a);

        assertThat(first.serverPublic()).isNotEqualTo(second.serverPublic());
        assertThat(first.secretBlock()).isNotEqualTo(second.secretBlock());
        assertThat(first.serverPublic()).isPositive().isLessThan(SrpMath.N);
        assertThat(first.serverSecret().bitLength()).isLessThanOrEqualTo(256);
    }

    @Test
    void challengeParametersWhenIssuedThenCarryWhatClientsRead() throws SrpException {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Passw0rd!");
        SrpChallenge challenge = server.challenge(
                POOL, USER, verifier, SrpTestClient.random(random).largeA());

        Map<String, String> parameters = challenge.challengeParameters();

        assertThat(parameters).containsOnlyKeys("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME");
        assertThat(new BigInteger(parameters.get("SALT"), 16)).isEqualTo(verifier.salt());
        assertThat(new BigInteger(parameters.get("SRP_B"), 16)).isEqualTo(challenge.serverPublic());
        assertThat(parameters.get("USER_ID_FOR_SRP")).isEqualTo(USER);
        assertThat(parameters.get("USERNAME")).isEqualTo(USER);
        assertThat(Base64.getDecoder().decode(parameters.get("SECRET_BLOCK"))).hasSize(SrpServer.SECRET_BLOCK_BYTES);
        assertThat(challenge.toString()).doesNotContain(challenge.serverSecret().toString(16));
    }

    @Test
    void newVerifierWhenCalledTwiceThenDifferentSalts() {
        SrpVerifier first = server.newVerifier(POOL, USER, "Passw0rd!");
        SrpVerifier second = server.newVerifier(POOL, USER, "Passw0rd!");

        assertThat(first.salt()).isNotEqualTo(second.salt());
        assertThat(first.verifier()).isNotEqualTo(second.verifier());
        assertThat(first.salt().bitLength()).isLessThanOrEqualTo(8 * SrpServer.SALT_BYTES);
    }

    // Timestamps.

    @Test
    void verifyWhenTimestampFromClientThenAcceptedAtTheSkewBoundaryOnly() throws SrpException {
        for (Duration offset : new Duration[] {SrpServer.MAX_TIMESTAMP_SKEW, SrpServer.MAX_TIMESTAMP_SKEW.negated()}) {
            SrpServer shifted = new SrpServer(Clock.offset(clock, offset), new SecureRandom(), fakeKey);
            assertThatCode(() -> shifted.checkTimestamp("Tue Mar 5 09:04:07 UTC 2024"))
                    .doesNotThrowAnyException();
        }
        Duration tooFar = SrpServer.MAX_TIMESTAMP_SKEW.plusSeconds(1);
        for (Duration offset : new Duration[] {tooFar, tooFar.negated()}) {
            SrpServer shifted = new SrpServer(Clock.offset(clock, offset), new SecureRandom(), fakeKey);
            assertReason(() -> shifted.checkTimestamp("Tue Mar 5 09:04:07 UTC 2024"), Reason.STALE_TIMESTAMP);
        }
    }

    @Test
    void verifyWhenStaleTimestampThenStaleTimestampEvenIfSignatureValid() throws SrpException {
        SrpServer later = new SrpServer(Clock.offset(clock, Duration.ofMinutes(10)), new SecureRandom(), fakeKey);

        assertReason(
                () -> later.verify(
                        vectorChallenge(),
                        vector.input("SECRET_BLOCK"),
                        vector.input("TIMESTAMP"),
                        vector.output("PASSWORD_CLAIM_SIGNATURE")),
                Reason.STALE_TIMESTAMP);
    }

    @Test
    void parseTimestampWhenClientFormatThenParsed() throws SrpException {
        assertThat(SrpServer.parseTimestamp("Tue Mar 5 09:04:07 UTC 2024")).isEqualTo(NOW);
        assertThat(SrpServer.parseTimestamp("Sat Sep 5 09:03:07 UTC 2026"))
                .isEqualTo(Instant.parse("2026-09-05T09:03:07Z"));
        assertThat(SrpServer.parseTimestamp("Mon Nov 23 14:05:59 UTC 2026"))
                .isEqualTo(Instant.parse("2026-11-23T14:05:59Z"));
    }

    @Test
    void formatTimestampWhenSingleDigitDayThenNotZeroPadded() {
        assertThat(SrpServer.formatTimestamp(NOW)).isEqualTo("Tue Mar 5 09:04:07 UTC 2024");
        assertThat(SrpServer.formatTimestamp(Instant.parse("2026-11-23T04:05:06Z")))
                .isEqualTo("Mon Nov 23 04:05:06 UTC 2026");
    }

    @Test
    void parseTimestampWhenMalformedThenInvalidTimestamp() {
        String[] malformed = {
            "",
            "Wed Mar 5 09:04:07 UTC 2024",
            "Tue Mar 5 09:04:07 GMT 2024",
            "tue mar 5 09:04:07 UTC 2024",
            "Tue Mar 5 9:04:07 UTC 2024",
            "Tue Mar 5 24:04:07 UTC 2024",
            "Tue Feb 30 09:04:07 UTC 2024",
            "2024-03-05T09:04:07Z",
            "Tue Mar 5 09:04:07 UTC 2024 ",
            "Tue Mar 5 09:04:07 UTC 2024" + " ".repeat(40)
        };
        for (String timestamp : malformed) {
            assertReason(() -> SrpServer.parseTimestamp(timestamp), Reason.INVALID_TIMESTAMP);
        }
    }

    // Users that do not exist.

    @Test
    void fakeVerifierWhenSameUsernameThenSameSaltAcrossInstances() {
        SrpServer restarted = new SrpServer(clock, new SecureRandom(), new SecretKeySpec(bytes(32, 7), "HmacSHA256"));

        SrpVerifier first = server.fakeVerifier(POOL_ID, "nobody@example.com");
        SrpVerifier second = restarted.fakeVerifier(POOL_ID, "nobody@example.com");

        assertThat(first.salt()).isEqualTo(second.salt());
        assertThat(first.verifier()).isEqualTo(second.verifier());
        assertThat(first.salt().bitLength())
                .isLessThanOrEqualTo(8 * SrpServer.SALT_BYTES)
                .isGreaterThan(64);
    }

    @Test
    void fakeVerifierWhenOtherUsernamePoolOrKeyThenDifferent() {
        SrpVerifier base = server.fakeVerifier(POOL_ID, "nobody@example.com");
        SrpServer otherKey = new SrpServer(clock, new SecureRandom(), new SecretKeySpec(bytes(32, 8), "HmacSHA256"));

        assertThat(server.fakeVerifier(POOL_ID, "nobody2@example.com").salt()).isNotEqualTo(base.salt());
        assertThat(server.fakeVerifier("eu-west-1_Other", "nobody@example.com").salt())
                .isNotEqualTo(base.salt());
        assertThat(otherKey.fakeVerifier(POOL_ID, "nobody@example.com").salt()).isNotEqualTo(base.salt());
    }

    @Test
    void verifyWhenFakeVerifierThenSignatureMismatchLikeWrongPassword() throws SrpException {
        SrpVerifier fake = server.fakeVerifier(POOL_ID, "nobody@example.com");
        SrpTestClient client = SrpTestClient.random(random);
        SrpChallenge challenge = server.challenge(POOL, "nobody@example.com", fake, client.largeA());
        String timestamp = SrpServer.formatTimestamp(NOW);

        String signature = client.signature(POOL, "Passw0rd!", challenge.challengeParameters(), timestamp);

        assertReason(
                () -> server.verify(challenge, challenge.secretBlock(), timestamp, signature),
                Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void fakeUserIdForSrpWhenSameUsernameThenSameUuidAcrossInstances() {
        SrpServer restarted = new SrpServer(clock, new SecureRandom(), new SecretKeySpec(bytes(32, 7), "HmacSHA256"));

        String first = server.fakeUserIdForSrp(POOL_ID, "nobody@example.com");

        assertThat(restarted.fakeUserIdForSrp(POOL_ID, "nobody@example.com")).isEqualTo(first);
        assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(server.fakeUserIdForSrp(POOL_ID, "nobody2@example.com")).isNotEqualTo(first);
        assertThat(server.fakeUserIdForSrp("eu-west-1_Other", "nobody@example.com"))
                .isNotEqualTo(first);
    }

    // Configuration.

    @Test
    void poolNameWhenUserPoolIdThenPartAfterUnderscore() {
        assertThat(SrpServer.poolName("eu-west-1_AbCdEf123")).isEqualTo("AbCdEf123");
        assertThatThrownBy(() -> SrpServer.poolName("AbCdEf123")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SrpServer.poolName("eu-west-1_")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorWhenFakeVerifierKeyShortThenIllegalArgument() {
        SecretKey shortKey = new SecretKeySpec(bytes(16, 1), "HmacSHA256");

        assertThatThrownBy(() -> new SrpServer(clock, new SecureRandom(), shortKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fakeVerifierKey must be a raw key of at least 32 bytes");
        assertThatThrownBy(() -> new SrpServer(null, new SecureRandom(), fakeKey))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock cannot be null");
    }

    @Test
    void verifierWhenPrintedThenRedacted() {
        SrpVerifier verifier = server.newVerifier(POOL, USER, "Passw0rd!");

        assertThat(verifier.toString()).isEqualTo("SrpVerifier[redacted]");
    }

    private SrpChallenge vectorChallenge() throws SrpException {
        SrpVerifier verifier = new SrpVerifier(vector.inputHex("SALT"), vector.outputHex("v"));
        BigInteger a = SrpServer.clientPublic(vector.output("SRP_A"));
        BigInteger b = vector.inputHex("b");
        return new SrpChallenge(
                vector.input("poolName"),
                vector.input("userIdForSrp"),
                verifier,
                a,
                b,
                SrpMath.serverPublic(verifier.verifier(), b),
                vector.input("SECRET_BLOCK"));
    }

    private record Exchange(SrpTestClient client, SrpChallenge challenge, String timestamp, String signature) {}

    private Exchange exchange(String password) throws SrpException {
        SrpVerifier verifier = server.newVerifier(POOL, USER, password);
        SrpTestClient client = SrpTestClient.random(random);
        SrpChallenge challenge = server.challenge(POOL, USER, verifier, SrpServer.clientPublic(client.srpA()));
        String timestamp = SrpServer.formatTimestamp(NOW);
        String signature = client.signature(POOL, password, challenge.challengeParameters(), timestamp);
        assertThatCode(() -> server.verify(challenge, challenge.secretBlock(), timestamp, signature))
                .doesNotThrowAnyException();
        return new Exchange(client, challenge, timestamp, signature);
    }

    private String randomPassword() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+ :éü";
        StringBuilder password = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SrpException.class, e -> assertThat(e.reason())
                .isEqualTo(reason));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
