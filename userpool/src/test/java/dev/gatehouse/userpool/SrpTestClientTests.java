package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-only client reproduces the client side of the known-answer vector, so it can be trusted as a peer. */
class SrpTestClientTests {

    private final SrpTestVector vector = SrpTestVector.load();

    @Test
    void kWhenComputedFromHexStringsThenMatchesVector() {
        assertThat(SrpTestClient.K).isEqualTo(vector.outputHex("k"));
    }

    @Test
    void proofWhenVectorInputsThenMatchesEveryClientValue() {
        SrpTestClient client = new SrpTestClient(vector.inputHex("a"));
        Map<String, String> parameters = Map.of(
                "SALT",
                vector.input("SALT"),
                "SRP_B",
                vector.output("SRP_B"),
                "SECRET_BLOCK",
                vector.input("SECRET_BLOCK"),
                "USER_ID_FOR_SRP",
                vector.input("userIdForSrp"));

        SrpTestClient.Proof proof =
                client.proof(vector.input("poolName"), vector.input("password"), parameters, vector.input("TIMESTAMP"));

        assertThat(client.srpA()).isEqualTo(vector.output("SRP_A"));
        assertThat(proof.x()).isEqualTo(vector.outputHex("x"));
        assertThat(proof.u()).isEqualTo(vector.outputHex("u"));
        assertThat(proof.premasterSecret()).isEqualTo(vector.outputHex("S"));
        assertThat(HexFormat.of().formatHex(proof.key())).isEqualTo(vector.output("K_hkdf16"));
        assertThat(proof.signature()).isEqualTo(vector.output("PASSWORD_CLAIM_SIGNATURE"));
    }

    @Test
    void padHexWhenHighNibbleOrOddLengthThenPrefixedLikeToByteArray() {
        for (String hex : new String[] {"0", "7f", "80", "f", "123", "ff00", "8000000000000000"}) {
            BigInteger n = new BigInteger(hex, 16);
            assertThat(SrpTestClient.padHex(n)).isEqualTo(HexFormat.of().formatHex(n.toByteArray()));
        }
    }
}
