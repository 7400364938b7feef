package dev.gatehouse.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AWS JSON 1.1 service: operations registered by name, dispatched by {@code X-Amz-Target: <prefix>.<name>}.
 *
 * <p>Dispatch is the only place errors are rendered: a {@link ServiceException} becomes its {@link AwsError}; anything
 * else is logged with the request id and answered with a generic {@code InternalErrorException}.
 */
public final class AwsJsonService {

    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonService.class);

    private final String targetPrefix;
    private final String signingName;
    private final RequestAuthenticator authenticator;
    private final Map<String, Registered> operations = new ConcurrentHashMap<>();
    private final Map<String, Function<ObjectNode, Optional<?>>> withoutBlocking = new ConcurrentHashMap<>();
    private volatile @Nullable InputShapes inputShapes;

    private record Registered(Operation.Auth auth, Operation operation) {}

    /**
     * @param targetPrefix the part of {@code X-Amz-Target} before the dot, such as
     *     {@code AWSCognitoIdentityProviderService}
     * @param signingName the SigV4 service name, such as {@code cognito-idp}
     */
    public AwsJsonService(String targetPrefix, String signingName, RequestAuthenticator authenticator) {
        this.targetPrefix = Objects.requireNonNull(targetPrefix, "targetPrefix cannot be null");
        this.signingName = Objects.requireNonNull(signingName, "signingName cannot be null");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator cannot be null");
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    /**
     * Checks every request body against the model's member types before its operation runs (none by default). A
     * member of the wrong JSON type is then refused with {@code SerializationException} even if no operation reads it.
     */
    public void setInputShapes(InputShapes shapes) {
        this.inputShapes = Objects.requireNonNull(shapes, "shapes cannot be null");
    }

    public AwsJsonService register(String name, Operation.Auth auth, Operation operation) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(auth, "auth cannot be null");
        Objects.requireNonNull(operation, "operation cannot be null");
        if (operations.putIfAbsent(name, new Registered(auth, operation)) != null) {
            throw new IllegalStateException("operation " + name + " is already registered");
        }
        return this;
    }

    /**
     * A way to answer {@code name}, an operation registered with {@link Operation.Auth#NONE}, on the calling thread (an
     * event loop) without blocking: {@code attempt} returns the output when it can (from memos), and empty when only
     * the operation itself can decide (it needs the store, or the answer is an error).
     */
    public AwsJsonService registerWithoutBlocking(String name, Function<ObjectNode, Optional<?>> attempt) {
        Registered registered = operations.get(name);
        if (registered == null || registered.auth() != Operation.Auth.NONE) {
            throw new IllegalStateException("operation " + name + " is not registered without a signature");
        }
        withoutBlocking.put(name, Objects.requireNonNull(attempt, "attempt cannot be null"));
        return this;
    }

    /**
     * The answer of the request's operation when its non-blocking attempt has one (body parsed and checked as
     * {@link #dispatch} does); empty otherwise, and then {@link #dispatch} must run it. Never blocks, never throws.
     */
    public Optional<AwsResponse> dispatchWithoutBlocking(AwsRequest request) {
        String target = request.header("x-amz-target").orElse("");
        if (!target.startsWith(targetPrefix) || target.length() <= targetPrefix.length() + 1) {
            return Optional.empty();
        }
        Function<ObjectNode, Optional<?>> attempt = withoutBlocking.get(target.substring(targetPrefix.length() + 1));
        if (attempt == null || target.charAt(targetPrefix.length()) != '.') {
            return Optional.empty();
        }
        try {
            ObjectNode input = parse(request.body());
            InputShapes shapes = inputShapes;
            if (shapes != null) {
                shapes.check(target.substring(targetPrefix.length() + 1), input);
            }
            Optional<?> output = attempt.apply(input);
            return output.isPresent() ? Optional.of(ok(output.get(), request.requestId())) : Optional.empty();
        } catch (RuntimeException | JacksonException e) {
            return Optional.empty();
        }
    }

    /** Whether the request's {@code X-Amz-Target} names this service. */
    public boolean accepts(AwsRequest request) {
        return request.header("x-amz-target")
                .map(t -> t.startsWith(targetPrefix + "."))
                .orElse(false);
    }

    /** Runs the operation the request names. Blocking: call it off the event loop. Never throws. */
    public AwsResponse dispatch(AwsRequest request) {
        String operationName = request.header("x-amz-target")
                .filter(t -> t.startsWith(targetPrefix + "."))
                .map(t -> t.substring(targetPrefix.length() + 1))
                .orElse("");
        try {
            Registered registered = operations.get(operationName);
            if (registered == null) {
                throw new ServiceException(CommonErrors.unknownOperation());
            }
            ObjectNode input = parse(request.body());
            @Nullable Caller caller = null;
            if (registered.auth() == Operation.Auth.SIGV4) {
                caller = authenticator.authenticate(request, signingName, operationName);
            }
            InputShapes shapes = inputShapes;
            if (shapes != null) {
                shapes.check(operationName, input);
            }
            Object output = registered.operation().handle(input, new CallContext(request, operationName, caller));
            return ok(output, request.requestId());
        } catch (ServiceException e) {
            return JsonErrorWriter.write(e.error(), request.requestId());
        } catch (RuntimeException | JacksonException e) {
            LOG.error("request {} {}.{} failed", request.requestId(), targetPrefix, operationName, e);
            return JsonErrorWriter.write(CommonErrors.internalError(), request.requestId());
        }
    }

    /** The operation names registered, for diagnostics and tests. */
    public java.util.Set<String> operationNames() {
        return java.util.Collections.unmodifiableSet(operations.keySet());
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return AwsJson.mapper().createObjectNode();
        }
        JsonNode node;
        try {
            node = AwsJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new ServiceException(CommonErrors.serialization("The request body is not valid JSON."));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return AwsJson.mapper().createObjectNode();
        }
        if (!node.isObject()) {
            throw new ServiceException(CommonErrors.serialization("The request body must be a JSON object."));
        }
        return (ObjectNode) node;
    }

    private static AwsResponse ok(@Nullable Object output, String requestId) throws JacksonException {
        Object body = output == null ? AwsJson.mapper().createObjectNode() : output;
        if (body instanceof Optional<?> optional) {
            body = optional.isPresent() ? optional.get() : AwsJson.mapper().createObjectNode();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", AwsJson.CONTENT_TYPE);
        headers.put("x-amzn-RequestId", requestId);
        return new AwsResponse(200, headers, AwsJson.mapper().writeValueAsBytes(body));
    }
}
