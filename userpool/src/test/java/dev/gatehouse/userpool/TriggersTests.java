package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import org.junit.jupiter.api.Test;

class TriggersTests {

    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:fn";
    private static final String OTHER = "arn:aws:lambda:us-east-1:123456789012:function:other";

    private final PoolFixture pools = new PoolFixture();

    private JsonNode lambdaConfig(String poolId) {
        return pools.call("DescribeUserPool", "{\"UserPoolId\":\"" + poolId + "\"}")
                .ok()
                .get("UserPool")
                .path("LambdaConfig");
    }

    @Test
    void createPoolWhenLegacyPreTokenGenerationThenVersionedConfigEchoedAsV1() {
        String poolId = pools.createPool("{\"PoolName\":\"p\",\"LambdaConfig\":{\"PreTokenGeneration\":\"" + FN
                + "\",\"PreSignUp\":\"" + FN + "\"}}");
        JsonNode config = lambdaConfig(poolId);
        assertThat(config.path("PreSignUp").asText()).isEqualTo(FN);
        assertThat(config.path("PreTokenGeneration").asText()).isEqualTo(FN);
        assertThat(config.path("PreTokenGenerationConfig").path("LambdaVersion").asText())
                .isEqualTo("V1_0");
        assertThat(config.path("PreTokenGenerationConfig").path("LambdaArn").asText())
                .isEqualTo(FN);
    }

    @Test
    void createPoolWhenPreTokenArnsDifferThenInvalidParameter() {
        PoolFixture.Reply reply = pools.call(
                "CreateUserPool",
                "{\"PoolName\":\"p\",\"LambdaConfig\":{\"PreTokenGeneration\":\"" + FN
                        + "\",\"PreTokenGenerationConfig\":{\"LambdaVersion\":\"V2_0\",\"LambdaArn\":\"" + OTHER
                        + "\"}}}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void updatePoolWhenLambdaConfigLeftOutThenTriggersRemoved() {
        String poolId = pools.createPool("{\"PoolName\":\"p\",\"LambdaConfig\":{\"PreSignUp\":\"" + FN + "\"}}");
        pools.call("UpdateUserPool", "{\"UserPoolId\":\"" + poolId + "\"}").ok();
        assertThat(lambdaConfig(poolId).isEmpty()).isTrue();
    }

    @Test
    void errorWhenFunctionThrewThenUserLambdaValidationWithCognitosText() {
        ServiceException error = Triggers.error(
                "PreSignUp", new TriggerFailure(TriggerFailure.Kind.FUNCTION_ERROR, "Domain not allowed."));
        assertThat(error.error().code()).isEqualTo("UserLambdaValidationException");
        assertThat(error.error().message()).isEqualTo("PreSignUp failed with error Domain not allowed..");
    }

    @Test
    void errorWhenTimedOutThenUnexpectedLambdaWithSocketTimeout() {
        ServiceException error =
                Triggers.error("PostConfirmation", new TriggerFailure(TriggerFailure.Kind.TIMED_OUT, "late"));
        assertThat(error.error().code()).isEqualTo("UnexpectedLambdaException");
        assertThat(error.error().message())
                .isEqualTo("PostConfirmation invocation failed due to error Socket timeout while invoking Lambda"
                        + " function.");
    }

    @Test
    void responseWhenAnswerIsNotTheEventThenInvalidLambdaResponse() {
        assertThatThrownBy(() -> Triggers.response(AwsJson.mapper().nullNode()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.error().code()).isEqualTo("InvalidLambdaResponseException");
                    assertThat(e.error().message()).isEqualTo("Unrecognizable lambda output");
                });
        assertThatThrownBy(() ->
                        Triggers.response(AwsJson.mapper().createObjectNode().put("response", "x")))
                .isInstanceOf(ServiceException.class);
        assertThat(Triggers.response(AwsJson.mapper().createObjectNode().putNull("response")))
                .isEmpty();
    }
}
