package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Invokes the Lambda functions a pool's {@code LambdaConfig} names (its triggers). The server answers it with its
 * function registry; the user pool builds Cognito's trigger events and acts on the answers.
 */
@FunctionalInterface
public interface LambdaTriggers {

    /** Triggers for a server without functions: every invocation fails as an unknown function. */
    LambdaTriggers NONE = (functionArn, event) -> {
        throw new TriggerFailure(TriggerFailure.Kind.NOT_FOUND, "Function not found: " + functionArn);
    };

    /**
     * Invokes {@code functionArn} once, synchronously (Cognito's {@code RequestResponse}), and waits for its answer
     * as Cognito does (at most five seconds). Blocking: call it off the event loop.
     *
     * @param functionArn the ARN from {@code LambdaConfig} ({@code arn:aws:lambda:<region>:<account>:function:<name>},
     *     optionally with a version or alias)
     * @param event Cognito's trigger event, with {@code response} as the trigger type defines it
     * @return the function's answer, parsed as JSON (the event with {@code response} filled in, as a rule)
     * @throws TriggerFailure when the function is unknown, threw, timed out, was throttled or answered something
     *     that is not JSON
     */
    JsonNode invoke(String functionArn, ObjectNode event);
}
