package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.crypto.SealedFixtures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Session tokens sealed by the code before Tink (format 1: {@code 0x01 | kidLength | kid | nonce | AES-256-GCM}),
 * committed as a fixture with their key: clients still hold such tokens for up to an hour after an upgrade.
 */
class SessionTokenLegacyFormatTests {

    static final String KEY_ID = "1772366400000-0a1b2c3d";
    private static final Properties FIXTURE = fixture("/legacy/session-token-v1.properties");

    private final SessionTokenSealer sealer = new SessionTokenSealer(
            SessionTokenKeySource.fixed(SessionTokenKeys.of(KEY_ID, Map.of(KEY_ID, key()))), new SecureRandom());

    @Test
    void openWhenSealedByFormat1ThenPrincipalAndSecret() {
        OpenedSessionToken opened = sealer.open(FIXTURE.getProperty("token")).orElseThrow();

        SessionPrincipal principal = opened.principal();
        assertThat(principal.accessKeyId()).isEqualTo("ASIAGATEHOUSE0EXAMPLE");
        assertThat(principal.expiration()).isEqualTo(Instant.parse("2026-03-01T13:00:00Z"));
        assertThat(principal.identityId()).isEqualTo("us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce");
        assertThat(principal.identityPoolId()).isEqualTo("us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce");
        assertThat(principal.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/gatehouse-auth");
        assertThat(principal.accountId()).isEqualTo("123456789012");
        assertThat(principal.amr())
                .isEqualTo(
                        List.of(
                                "authenticated",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab:CognitoSignIn:5e1c5d34-cf1e-4a3e-8d06-4c1c8e0a1b2c"));
        assertThat(new String(opened.secretKey().toByteArray(SecretKeyAccess.insecure()), StandardCharsets.UTF_8))
                .isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @Test
    void openWhenFormat1TokenAlteredThenEmpty() {
        String token = FIXTURE.getProperty("token");
        int middle = token.length() / 2;
        String altered =
                token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);

        assertThat(sealer.open(altered)).isEmpty();
    }

    @Test
    void openWhenFormat1TokenUnderOtherKeyThenEmpty() {
        byte[] other = key();
        other[0] ^= 1;
        SessionTokenSealer otherKey = new SessionTokenSealer(
                SessionTokenKeySource.fixed(SessionTokenKeys.of(KEY_ID, Map.of(KEY_ID, other))), new SecureRandom());

        assertThat(otherKey.open(FIXTURE.getProperty("token"))).isEmpty();
    }

    /** The fixture's key: bytes 0x20..0x3f. */
    static byte[] key() {
        return SealedFixtures.countingKey(0x20);
    }

    static Properties fixture(String resource) {
        return SealedFixtures.load(SessionTokenLegacyFormatTests.class, resource);
    }
}
