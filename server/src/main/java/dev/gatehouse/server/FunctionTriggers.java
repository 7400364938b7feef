package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.functions.FunctionRegistry;
import dev.gatehouse.functions.InvocationResult;
import dev.gatehouse.functions.InvokeRequest;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.userpool.LambdaTriggers;
import dev.gatehouse.userpool.TriggerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pools' triggers answered by the stack's functions: {@code arn:aws:lambda:<region>:<account>:function:<name>}
 * (optionally {@code :<qualifier>}) names a function of the registry when region and account are Gatehouse's. The
 * invocation is Cognito's: synchronous, and given up after five seconds (the function itself may run on until its own
 * {@code Timeout}). Gatehouse keeps one version of each function, so a qualifier names that version.
 */
final class FunctionTriggers implements LambdaTriggers {

    /** How long Cognito waits for a trigger's answer. */
    static final Duration COGNITO_WAIT = Duration.ofSeconds(5);

    private static final Pattern ARN = Pattern.compile(
            "arn:aws:lambda:([a-z0-9-]+):([0-9]{12}):function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?");

    private final Supplier<Optional<FunctionRegistry>> functions;
    private final String region;
    private final String accountId;
    private final Duration wait;

    /**
     * @param functions the registry, once the stack deployed functions (it is created with the first one)
     * @param region the region of Gatehouse's ARNs
     * @param accountId the account of Gatehouse's ARNs
     */
    FunctionTriggers(Supplier<Optional<FunctionRegistry>> functions, String region, String accountId, Duration wait) {
        this.functions = Objects.requireNonNull(functions, "functions cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
        this.wait = Objects.requireNonNull(wait, "wait cannot be null");
    }

    @Override
    public JsonNode invoke(String functionArn, ObjectNode event) {
        String name = functionName(functionArn);
        FunctionRegistry registry =
                functions.get().filter(r -> r.function(name).isPresent()).orElseThrow(() -> notFound(functionArn));
        InvokeRequest request = InvokeRequest.of(event.toString().getBytes(StandardCharsets.UTF_8));
        InvocationResult result;
        try {
            result = registry.invoke(name, request).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TriggerFailure(TriggerFailure.Kind.TIMED_OUT, "no answer from " + functionArn + " in " + wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TriggerFailure(TriggerFailure.Kind.TIMED_OUT, "interrupted waiting for " + functionArn);
        } catch (ExecutionException e) {
            // The registry fails the stage only for a function gone meanwhile or a registry stopped.
            throw notFound(functionArn);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw notFound(functionArn);
        }
        return answer(result);
    }

    /** The function's name, when the ARN is one of Gatehouse's functions. */
    private String functionName(String functionArn) {
        Matcher arn = ARN.matcher(functionArn);
        if (!arn.matches() || !arn.group(1).equals(region) || !arn.group(2).equals(accountId)) {
            throw notFound(functionArn);
        }
        return arn.group(3);
    }

    static JsonNode answer(InvocationResult result) {
        if (result instanceof InvocationResult.Success success) {
            return json(success.payload())
                    .orElseThrow(() -> new TriggerFailure(
                            TriggerFailure.Kind.INVALID_RESPONSE, "the function's answer is not JSON"));
        }
        if (result instanceof InvocationResult.FunctionError error) {
            JsonNode body = json(error.body()).orElseGet(AwsJson.mapper()::createObjectNode);
            if ("ResourceNotFoundException".equals(error.errorType())) {
                throw new TriggerFailure(
                        TriggerFailure.Kind.NOT_FOUND, body.path("errorMessage").asText(""));
            }
            String message =
                    body.path("errorMessage").asText(body.path("errorType").asText(error.errorType()));
            throw new TriggerFailure(TriggerFailure.Kind.FUNCTION_ERROR, message);
        }
        if (result instanceof InvocationResult.TimedOut timedOut) {
            throw new TriggerFailure(TriggerFailure.Kind.TIMED_OUT, timedOut.message());
        }
        throw new TriggerFailure(TriggerFailure.Kind.THROTTLED, "Rate Exceeded.");
    }

    private static Optional<JsonNode> json(byte[] payload) {
        try {
            JsonNode node = AwsJson.mapper().readTree(payload);
            return Optional.ofNullable(node).filter(n -> !n.isMissingNode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static TriggerFailure notFound(String functionArn) {
        return new TriggerFailure(TriggerFailure.Kind.NOT_FOUND, "Function not found: " + functionArn);
    }
}
