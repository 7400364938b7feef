package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SrpVerifierSealerTests {

    private static final String POOL_ID = "eu-west-1_AbCdEf123";
    private static final String USER = "7d1e2f3a-0000-4000-8000-000000000001";

    private final SrpVerifierSealer sealer = new SrpVerifierSealer(aesKey(1));
    private final SrpVerifier verifier = SrpServer.verifierFor(
            new BigInteger("f0e1d2c3b4a5968778695a4b3c2d1e0f", 16), "AbCdEf123", USER, "Passw0rd!");

    @Test
    void openWhenSealedForSameUserThenSameVerifier() {
        String sealed = sealer.seal(POOL_ID, USER, verifier);

        SrpVerifier opened = sealer.open(POOL_ID, USER, sealed);

        assertThat(opened.salt()).isEqualTo(verifier.salt());
        assertThat(opened.verifier()).isEqualTo(verifier.verifier());
    }

    @Test
    void openWhenSaltHasHighBitOrLeadingZeroThenRoundTrips() {
        for (String saltHex : new String[] {"80", "ff00ff00ff00ff00ff00ff00ff00ff00", "1", "0"}) {
            SrpVerifier original = new SrpVerifier(new BigInteger(saltHex, 16), verifier.verifier());

            SrpVerifier opened = sealer.open(POOL_ID, USER, sealer.seal(POOL_ID, USER, original));

            assertThat(opened.salt()).isEqualTo(original.salt());
            assertThat(opened.verifier()).isEqualTo(original.verifier());
        }
    }

    @Test
    void sealWhenCalledTwiceThenDifferentCiphertextAndNoPlainVerifier() {
        String first = sealer.seal(POOL_ID, USER, verifier);
        String second = sealer.seal(POOL_ID, USER, verifier);

        assertThat(first).isNotEqualTo(second);
        String sealedBytes = new String(Base64.getUrlDecoder().decode(first), StandardCharsets.ISO_8859_1);
        assertThat(sealedBytes)
                .doesNotContain(new String(verifier.verifier().toByteArray(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void openWhenOtherUserOrPoolThenIllegalState() {
        String sealed = sealer.seal(POOL_ID, USER, verifier);

        assertThatThrownBy(() -> sealer.open(POOL_ID, "someone-else", sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier cannot be opened");
        assertThatThrownBy(() -> sealer.open("eu-west-1_Other", USER, sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier cannot be opened");
    }

    @Test
    void openWhenOtherKeyThenIllegalState() {
        String sealed = sealer.seal(POOL_ID, USER, verifier);
        SrpVerifierSealer other = new SrpVerifierSealer(aesKey(2));

        assertThatThrownBy(() -> other.open(POOL_ID, USER, sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier cannot be opened");
    }

    @Test
    void openWhenAnyByteAlteredThenIllegalState() {
        byte[] sealed = Base64.getUrlDecoder().decode(sealer.seal(POOL_ID, USER, verifier));
        for (int i = 0; i < sealed.length; i += 37) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x10;
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);

            assertThatThrownBy(() -> sealer.open(POOL_ID, USER, encoded))
                    .as("byte %d", i)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void openWhenGarbageThenIllegalState() {
        assertThatThrownBy(() -> sealer.open(POOL_ID, USER, "not base64!"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier is not base64url");
        assertThatThrownBy(() -> sealer.open(POOL_ID, USER, "AQID"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier has an unknown format");
    }

    @Test
    void openChallengeWhenSealedThenVerifiesLikeTheOriginal() throws SrpException {
        Instant now = Instant.parse("2024-03-05T09:04:07Z");
        SrpServer server = new SrpServer(
                Clock.fixed(now, ZoneOffset.UTC), new SecureRandom(), new SecretKeySpec(new byte[32], "HmacSHA256"));
        SrpTestClient client = SrpTestClient.random(new Random(1));
        SrpChallenge challenge = server.challenge("AbCdEf123", USER, verifier, client.largeA());

        SrpChallenge opened = sealer.openChallenge(POOL_ID, USER, sealer.sealChallenge(POOL_ID, challenge));

        assertThat(opened.challengeParameters()).isEqualTo(challenge.challengeParameters());
        assertThat(opened.serverSecret()).isEqualTo(challenge.serverSecret());
        assertThat(opened.clientPublic()).isEqualTo(challenge.clientPublic());
        assertThat(opened.poolName()).isEqualTo("AbCdEf123");
        String timestamp = SrpServer.formatTimestamp(now);
        String signature = client.signature("AbCdEf123", "Passw0rd!", opened.challengeParameters(), timestamp);
        assertThatCode(() -> server.verify(opened, opened.secretBlock(), timestamp, signature))
                .doesNotThrowAnyException();
    }

    @Test
    void openChallengeWhenOtherUserOrSealedAsVerifierThenIllegalState() throws SrpException {
        SrpServer server =
                new SrpServer(Clock.systemUTC(), new SecureRandom(), new SecretKeySpec(new byte[32], "HmacSHA256"));
        SrpChallenge challenge = server.challenge(
                "AbCdEf123", USER, verifier, SrpTestClient.random(new Random(2)).largeA());
        String sealedChallenge = sealer.sealChallenge(POOL_ID, challenge);
        String sealedVerifier = sealer.seal(POOL_ID, USER, verifier);

        assertThatThrownBy(() -> sealer.openChallenge(POOL_ID, "someone-else", sealedChallenge))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP challenge cannot be opened");
        assertThatThrownBy(() -> sealer.openChallenge(POOL_ID, USER, sealedVerifier))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP challenge cannot be opened");
        assertThatThrownBy(() -> sealer.open(POOL_ID, USER, sealedChallenge))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sealed SRP verifier cannot be opened");
    }

    @Test
    void constructorWhenNotAesKeyThenIllegalArgument() {
        SecretKey hmacKey = new SecretKeySpec(new byte[32], "HmacSHA256");

        assertThatThrownBy(() -> new SrpVerifierSealer(hmacKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must be an AES key");
    }

    private static SecretKey aesKey(int seed) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 17 + i);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
