package dev.gatehouse.userpool;

import java.util.Objects;

/**
 * A trigger invocation did not produce an answer the pool can act on. The pool turns it into Cognito's error for the
 * operation ({@code UserLambdaValidationException}, {@code UnexpectedLambdaException},
 * {@code InvalidLambdaResponseException}).
 */
public final class TriggerFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the invocation failed. */
    public enum Kind {
        /** No function has that ARN. */
        NOT_FOUND,
        /** The handler threw or its runtime failed; the message is the function's {@code errorMessage}. */
        FUNCTION_ERROR,
        /** The function ran past Cognito's wait or its own {@code Timeout}. */
        TIMED_OUT,
        /** Every worker of the function is busy. */
        THROTTLED,
        /** The function answered, but not with a JSON document. */
        INVALID_RESPONSE
    }

    private final Kind kind;

    public TriggerFailure(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message cannot be null"));
        this.kind = Objects.requireNonNull(kind, "kind cannot be null");
    }

    public Kind kind() {
        return kind;
    }
}
