package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.functions.InvocationResult;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.userpool.TriggerFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionTriggersTests {

    private final FunctionTriggers triggers =
            new FunctionTriggers(Optional::empty, "us-east-1", "123456789012", Duration.ofSeconds(5));

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode event() {
        return AwsJson.mapper().createObjectNode().put("version", "1");
    }

    @Test
    void answerWhenSuccessThenParsedJson() {
        assertThat(FunctionTriggers.answer(new InvocationResult.Success(bytes("{\"response\":{\"a\":1}}"))))
                .isEqualTo(AwsJson.mapper()
                        .createObjectNode()
                        .set("response", AwsJson.mapper().createObjectNode().put("a", 1)));
    }

    @Test
    void answerWhenNotJsonThenInvalidResponse() {
        assertThatThrownBy(() -> FunctionTriggers.answer(new InvocationResult.Success(bytes("not json"))))
                .isInstanceOfSatisfying(TriggerFailure.class, f -> assertThat(f.kind())
                        .isEqualTo(TriggerFailure.Kind.INVALID_RESPONSE));
        assertThatThrownBy(() -> FunctionTriggers.answer(new InvocationResult.Success(new byte[0])))
                .isInstanceOfSatisfying(TriggerFailure.class, f -> assertThat(f.kind())
                        .isEqualTo(TriggerFailure.Kind.INVALID_RESPONSE));
    }

    @Test
    void answerWhenHandlerThrewThenFunctionErrorWithItsMessage() {
        byte[] body = bytes("{\"errorMessage\":\"Registration from this domain is not allowed.\","
                + "\"errorType\":\"Error\",\"trace\":[]}");
        assertThatThrownBy(() -> FunctionTriggers.answer(new InvocationResult.FunctionError("Error", body)))
                .isInstanceOfSatisfying(TriggerFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(TriggerFailure.Kind.FUNCTION_ERROR);
                    assertThat(f.getMessage()).isEqualTo("Registration from this domain is not allowed.");
                });
    }

    @Test
    void answerWhenTimedOutOrThrottledThenThoseKinds() {
        assertThatThrownBy(() ->
                        FunctionTriggers.answer(new InvocationResult.TimedOut("Task timed out after 3.00 seconds")))
                .isInstanceOfSatisfying(
                        TriggerFailure.class, f -> assertThat(f.kind()).isEqualTo(TriggerFailure.Kind.TIMED_OUT));
        assertThatThrownBy(() -> FunctionTriggers.answer(new InvocationResult.Throttled()))
                .isInstanceOfSatisfying(
                        TriggerFailure.class, f -> assertThat(f.kind()).isEqualTo(TriggerFailure.Kind.THROTTLED));
    }

    @Test
    void invokeWhenArnOfAnotherAccountOrNoFunctionsThenNotFound() {
        for (String arn : new String[] {
            "arn:aws:lambda:us-east-1:999999999999:function:fn",
            "arn:aws:lambda:eu-west-1:123456789012:function:fn",
            "arn:aws:lambda:us-east-1:123456789012:function:fn",
            "not an arn"
        }) {
            assertThatThrownBy(() -> triggers.invoke(arn, event()))
                    .isInstanceOfSatisfying(
                            TriggerFailure.class, f -> assertThat(f.kind()).isEqualTo(TriggerFailure.Kind.NOT_FOUND));
        }
    }
}
