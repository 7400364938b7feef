package dev.gatehouse.functions;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How an invocation ended. A caller switches on it: API Gateway maps {@link Success} by the payload format,
 * {@link FunctionError} to 502/500, {@link TimedOut} to its integration-timeout answer and {@link Throttled} to 429.
 */
public sealed interface InvocationResult
        permits InvocationResult.Success,
                InvocationResult.FunctionError,
                InvocationResult.TimedOut,
                InvocationResult.Throttled {

    /** The handler's answer as the runtime posted it ({@code …/response}): JSON for the standard runtimes. */
    @SuppressWarnings("ArrayRecordComponent")
    record Success(byte[] payload) implements InvocationResult {
        public Success {
            Objects.requireNonNull(payload, "payload cannot be null");
        }

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /**
     * The invocation failed: the handler threw ({@code …/error}), the function could not start ({@code /init/error}),
     * or the runtime exited ({@code Runtime.ExitError}). Lambda's {@code X-Amz-Function-Error: Unhandled}.
     *
     * @param errorType the runtime's error type ({@code Runtime.UserException}, {@code Runtime.ExitError}, …)
     * @param body the error document as the runtime posted it, passed through unchanged (Java's {@code stackTrace},
     *     Node's {@code trace}): for logs, never for the caller of an API
     */
    @SuppressWarnings("ArrayRecordComponent")
    record FunctionError(String errorType, byte[] body) implements InvocationResult {
        public FunctionError {
            Objects.requireNonNull(errorType, "errorType cannot be null");
            Objects.requireNonNull(body, "body cannot be null");
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The invocation ran past the function's {@code Timeout}; its worker was ended. */
    record TimedOut(String message) implements InvocationResult {}

    /** Every worker the function may have is busy and the wait queue is full ({@code TooManyRequestsException}). */
    record Throttled() implements InvocationResult {}
}
