package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing: {@code policy/malformed-policies.json} lists documents that must be rejected, with the message fragment. */
class PolicyTests {

    static Stream<Arguments> malformed() {
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode row : PolicyEvaluatorTests.load("policy/malformed-policies.json")) {
            String document =
                    row.has("raw") ? row.get("raw").asText() : row.get("policy").toString();
            rows.add(Arguments.of(
                    row.get("name").asText(), document, row.get("message").asText()));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void parseWhenMalformedThenPolicyException(String name, String document, String message) {
        assertThatThrownBy(() -> Policy.parse(document))
                .isInstanceOf(PolicyException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parseWhenStatementIsObjectOrArrayThenAccepted() {
        String statement = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}";

        assertThat(Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":" + statement + "}")
                        .statements())
                .hasSize(1);
        assertThat(Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "," + statement + "]}")
                        .statements())
                .hasSize(2);
    }

    @Test
    void parseWhenVersionAbsentThen2008() {
        Policy policy =
                Policy.parse("{\"Id\":\"x\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}");

        assertThat(policy.version()).isEqualTo(Policy.VERSION_2008_10_17);
    }

    @Test
    void parseWhenVersion2012ThenVersionKept() {
        Policy policy =
                Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\"],"
                        + "\"NotResource\":[\"arn:aws:s3:::b\"],"
                        + "\"Condition\":{\"ForAllValues:StringLikeIfExists\":{\"aws:TagKeys\":[\"a*\"]}}}}");

        assertThat(policy.version()).isEqualTo(Policy.VERSION_2012_10_17);
    }

    @Test
    void parseWhenNullThenNullPointerException() {
        assertThatThrownBy(() -> Policy.parse(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("json cannot be null");
    }

    @Test
    void parseWhenInvalidJsonThenMessageDoesNotEchoDocument() {
        assertThatThrownBy(() -> Policy.parse("{\"Statement\": \"secret-looking-text"))
                .isInstanceOf(PolicyException.class)
                .hasMessageNotContaining("secret-looking-text");
    }
}
