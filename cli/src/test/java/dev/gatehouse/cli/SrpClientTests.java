package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Known-answer test data: shared/reference/srp-test-vector.json, produced by amazon-cognito-identity-js 6.3.x's
// AuthenticationHelper with a fixed `a` (client values) and an independent BigInt implementation (server values).
class SrpClientTests {

    private static JsonNode vector;
    private static JsonNode inputs;

    @BeforeAll
    static void readVector() throws IOException {
        try (InputStream in = SrpClientTests.class.getResourceAsStream("/srp-test-vector.json")) {
            vector = new ObjectMapper().readTree(in);
        }
        inputs = vector.path("inputs");
    }

    private static BigInteger hex(JsonNode node) {
        return new BigInteger(node.asText(), 16);
    }

    private static SrpClient client() {
        return new SrpClient(hex(inputs.path("a")));
    }

    @Test
    void kWhenComputedThenMatchesTheVector() {
        assertThat(SrpClient.K).isEqualTo(hex(vector.path("k")));
    }

    @Test
    void srpAWhenFixedSecretThenMatchesTheLibrary() {
        assertThat(client().srpA()).isEqualTo(vector.path("SRP_A").asText());
    }

    @Test
    void intermediateValuesWhenVectorInputsThenMatch() {
        BigInteger x = SrpClient.x(
                hex(inputs.path("SALT")),
                inputs.path("poolName").asText(),
                inputs.path("userIdForSrp").asText(),
                inputs.path("password").asText());
        BigInteger u = SrpClient.u(hex(vector.path("SRP_A")), hex(vector.path("SRP_B")));
        BigInteger s = client().premasterSecret(hex(vector.path("SRP_B")), x, u);

        assertThat(x).isEqualTo(hex(vector.path("x")));
        assertThat(u).isEqualTo(hex(vector.path("u")));
        assertThat(s).isEqualTo(hex(vector.path("S")));
        assertThat(HexFormat.of().formatHex(SrpClient.derivedKey(u, s)))
                .isEqualTo(vector.path("K_hkdf16").asText());
    }

    @Test
    void passwordClaimSignatureWhenVectorInputsThenMatchesTheLibrary() {
        String signature = client().passwordClaimSignature(
                        inputs.path("poolName").asText(),
                        inputs.path("userIdForSrp").asText(),
                        inputs.path("password").asText(),
                        inputs.path("SALT").asText(),
                        vector.path("SRP_B").asText(),
                        inputs.path("SECRET_BLOCK").asText(),
                        inputs.path("TIMESTAMP").asText());

        assertThat(signature).isEqualTo(vector.path("PASSWORD_CLAIM_SIGNATURE").asText());
    }

    @Test
    void passwordClaimSignatureWhenWrongPasswordThenDiffers() {
        String signature = client().passwordClaimSignature(
                        inputs.path("poolName").asText(),
                        inputs.path("userIdForSrp").asText(),
                        "Passw0rd?",
                        inputs.path("SALT").asText(),
                        vector.path("SRP_B").asText(),
                        inputs.path("SECRET_BLOCK").asText(),
                        inputs.path("TIMESTAMP").asText());

        assertThat(signature)
                .isNotEqualTo(vector.path("PASSWORD_CLAIM_SIGNATURE").asText());
    }

    @Test
    void passwordClaimSignatureWhenBIsZeroModNThenRefused() {
        assertThatThrownBy(() -> client().passwordClaimSignature(
                                "AbCdEf123",
                                "alice",
                                "pw",
                                "01",
                                SrpClient.N.toString(16),
                                "AAAA",
                                "Tue Mar 5 09:04:07 UTC 2024"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 mod N");
    }

    @Test
    void passwordClaimSignatureWhenBNotHexThenRefused() {
        assertThatThrownBy(() -> client().passwordClaimSignature(
                                "AbCdEf123", "alice", "pw", "01", "xyz", "AAAA", "Tue Mar 5 09:04:07 UTC 2024"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed SRP_B");
    }

    @Test
    void timestampWhenSingleDigitDayThenNotPadded() {
        assertThat(SrpClient.timestamp(Instant.parse("2024-03-05T09:04:07Z")))
                .isEqualTo(inputs.path("TIMESTAMP").asText());
    }

    @Test
    void poolNameWhenPoolIdThenThePartAfterTheUnderscore() {
        assertThat(SrpClient.poolName("us-east-1_AbCdEf123")).isEqualTo("AbCdEf123");
        assertThatThrownBy(() -> SrpClient.poolName("nounderscore")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createWhenRandomThenAIsFreshEachTime() {
        SecureRandom random = new SecureRandom();
        assertThat(SrpClient.create(random).srpA())
                .isNotEqualTo(SrpClient.create(random).srpA());
    }
}
