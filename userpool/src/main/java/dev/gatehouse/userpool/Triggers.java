package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's Lambda triggers (its {@code LambdaConfig}): Cognito's event envelope, the invocation through
 * {@link LambdaTriggers}, and a failed invocation turned into Cognito's error for the operation that fired it.
 *
 * <p>Every trigger event has the same envelope (<a
 * href="https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html">
 * common parameters</a>): {@code version}, {@code triggerSource}, {@code region}, {@code userPoolId},
 * {@code userName}, {@code callerContext {awsSdkVersion, clientId}}, {@code request} and {@code response}. The function
 * answers with the event, {@code response} filled in; Cognito reads only {@code response}.
 *
 * <p>Failures, as Cognito answers them (cognito-more.md §5.5): the function threw → {@code UserLambdaValidationException}
 * "{@code <Trigger> failed with error <errorMessage>.}"; it did not answer in time, could not be found or was throttled →
 * {@code UnexpectedLambdaException}; it answered something that is not the event → {@code InvalidLambdaResponseException}
 * "Unrecognizable lambda output".
 */
final class Triggers {

    static final String PRE_SIGN_UP = "PreSignUp";
    static final String POST_CONFIRMATION = "PostConfirmation";
    static final String PRE_AUTHENTICATION = "PreAuthentication";
    static final String POST_AUTHENTICATION = "PostAuthentication";
    static final String PRE_TOKEN_GENERATION = "PreTokenGeneration";
    static final String CUSTOM_MESSAGE = "CustomMessage";
    static final String DEFINE_AUTH_CHALLENGE = "DefineAuthChallenge";
    static final String CREATE_AUTH_CHALLENGE = "CreateAuthChallenge";
    static final String VERIFY_AUTH_CHALLENGE_RESPONSE = "VerifyAuthChallengeResponse";

    /**
     * What Cognito puts in {@code callerContext.awsSdkVersion} when it cannot tell the caller's SDK (a guess: the value
     * seen in published sample events; docs/decisions.md).
     */
    static final String UNKNOWN_SDK = "aws-sdk-unknown-unknown";

    static final String UNRECOGNIZABLE_OUTPUT = "Unrecognizable lambda output";

    private final LambdaTriggers lambda;

    Triggers(LambdaTriggers lambda) {
        this.lambda = Objects.requireNonNull(lambda, "lambda cannot be null");
    }

    /**
     * The function configured for {@code trigger} (a {@code LambdaConfig} key). For {@code PreTokenGeneration} that is
     * {@code PreTokenGenerationConfig.LambdaArn} when set, else the legacy {@code PreTokenGeneration}.
     */
    static Optional<String> arn(PoolConfig pool, String trigger) {
        JsonNode config = pool.document().path("LambdaConfig");
        if (PRE_TOKEN_GENERATION.equals(trigger)) {
            String versioned =
                    config.path("PreTokenGenerationConfig").path("LambdaArn").asText("");
            if (!versioned.isEmpty()) {
                return Optional.of(versioned);
            }
        }
        return Optional.of(config.path(trigger).asText("")).filter(arn -> !arn.isEmpty());
    }

    /**
     * A {@code LambdaConfig} as the pool keeps it: the legacy {@code PreTokenGeneration} and
     * {@code PreTokenGenerationConfig.LambdaArn} name one function, so either given fills in the other (version
     * {@code V1_0} for the legacy key alone, as Cognito echoes it — a guess, docs/decisions.md).
     *
     * @throws ServiceException InvalidParameterException when the two name different functions
     */
    static ObjectNode lambdaConfig(ObjectNode given) {
        ObjectNode config = given.deepCopy();
        String legacy = config.path(PRE_TOKEN_GENERATION).asText("");
        JsonNode versioned = config.path("PreTokenGenerationConfig");
        String versionedArn = versioned.path("LambdaArn").asText("");
        if (!legacy.isEmpty() && !versionedArn.isEmpty() && !legacy.equals(versionedArn)) {
            throw UserPoolErrors.invalidParameter(
                    "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function.");
        }
        if (!versionedArn.isEmpty()) {
            config.put(PRE_TOKEN_GENERATION, versionedArn);
        } else if (!legacy.isEmpty()) {
            config.putObject("PreTokenGenerationConfig")
                    .put("LambdaVersion", "V1_0")
                    .put("LambdaArn", legacy);
        }
        return config;
    }

    /** The pre token generation event version: {@code V1_0}, {@code V2_0} or {@code V3_0}. */
    static String preTokenVersion(PoolConfig pool) {
        return pool.document()
                .path("LambdaConfig")
                .path("PreTokenGenerationConfig")
                .path("LambdaVersion")
                .asText("V1_0");
    }

    /** Whether the pool has a function for {@code trigger}. */
    static boolean configured(PoolConfig pool, String trigger) {
        return arn(pool, trigger).isPresent();
    }

    /**
     * The event of a version-1 trigger, with empty {@code request} and {@code response} for the caller to fill.
     *
     * @param userName the user's internal username (a UUID where email or phone is the username)
     * @param clientId the app client of the operation; {@code null} in the event for admin operations without one
     */
    static ObjectNode event(PoolConfig pool, String triggerSource, String userName, Optional<String> clientId) {
        ObjectNode event = AwsJson.mapper().createObjectNode();
        event.put("version", "1");
        event.put("triggerSource", triggerSource);
        event.put("region", region(pool.id()));
        event.put("userPoolId", pool.id());
        event.put("userName", userName);
        ObjectNode caller = event.putObject("callerContext");
        caller.put("awsSdkVersion", UNKNOWN_SDK);
        clientId.ifPresentOrElse(id -> caller.put("clientId", id), () -> caller.putNull("clientId"));
        event.putObject("request");
        event.putObject("response");
        return event;
    }

    /**
     * A stored user's attributes as triggers receive them: every attribute as a string, {@code sub} included, and
     * {@code cognito:user_status}.
     */
    static ObjectNode userAttributes(User user) {
        ObjectNode attributes = AwsJson.mapper().createObjectNode();
        user.attributes.forEach(attributes::put);
        attributes.put("cognito:user_status", user.status.name());
        return attributes;
    }

    /** Puts {@code clientMetadata} into a request when the operation carried any (Cognito leaves it out otherwise). */
    static void clientMetadata(ObjectNode request, Map<String, String> metadata) {
        if (!metadata.isEmpty()) {
            ObjectNode node = request.putObject("clientMetadata");
            metadata.forEach(node::put);
        }
    }

    /**
     * Invokes the pool's function for {@code trigger} with {@code event} and waits for its answer (blocking).
     *
     * @return the answer's {@code response} (an empty object when the function left it out or null); empty when the
     *     pool has no function for {@code trigger}
     * @throws ServiceException Cognito's error when the invocation failed or the answer is not the event
     */
    Optional<ObjectNode> invoke(PoolConfig pool, String trigger, ObjectNode event) {
        Optional<String> arn = arn(pool, trigger);
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        JsonNode answer;
        try {
            answer = lambda.invoke(arn.get(), event);
        } catch (TriggerFailure failure) {
            throw error(trigger, failure);
        }
        return Optional.of(response(answer));
    }

    /** The {@code response} of an answer; anything but the event (an object) is unrecognizable. */
    static ObjectNode response(JsonNode answer) {
        if (!answer.isObject()) {
            throw invalidResponse(UNRECOGNIZABLE_OUTPUT);
        }
        JsonNode response = answer.path("response");
        if (response.isMissingNode() || response.isNull()) {
            return AwsJson.mapper().createObjectNode();
        }
        if (!response.isObject()) {
            throw invalidResponse(UNRECOGNIZABLE_OUTPUT);
        }
        return (ObjectNode) response;
    }

    /** Cognito's error for a failed invocation of {@code trigger}. */
    static ServiceException error(String trigger, TriggerFailure failure) {
        return switch (failure.kind()) {
            case FUNCTION_ERROR -> UserPoolErrors.error(
                    UserPoolErrors.USER_LAMBDA_VALIDATION,
                    trigger + " failed with error " + failure.getMessage() + ".");
            case TIMED_OUT -> unexpected(trigger, "Socket timeout while invoking Lambda function");
            case NOT_FOUND -> unexpected(trigger, "ResourceNotFoundException");
            case THROTTLED -> unexpected(trigger, "TooManyRequestsException");
            case INVALID_RESPONSE -> invalidResponse(UNRECOGNIZABLE_OUTPUT);
        };
    }

    /** {@code InvalidLambdaResponseException}: the function answered, but not as the trigger requires. */
    static ServiceException invalidResponse(String message) {
        return UserPoolErrors.error(UserPoolErrors.INVALID_LAMBDA_RESPONSE, message);
    }

    private static ServiceException unexpected(String trigger, String cause) {
        return UserPoolErrors.error(
                UserPoolErrors.UNEXPECTED_LAMBDA, trigger + " invocation failed due to error " + cause + ".");
    }

    /** The region a pool id starts with ({@code us-east-1_AbC…} → {@code us-east-1}). */
    static String region(String userPoolId) {
        int underscore = userPoolId.indexOf('_');
        return underscore < 0 ? userPoolId : userPoolId.substring(0, underscore);
    }
}
