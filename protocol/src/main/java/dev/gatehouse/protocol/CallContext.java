package dev.gatehouse.protocol;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What an operation may know about the call besides its input. */
public final class CallContext {

    private final AwsRequest request;
    private final String operation;
    private final @Nullable Caller caller;

    public CallContext(AwsRequest request, String operation, @Nullable Caller caller) {
        this.request = Objects.requireNonNull(request, "request cannot be null");
        this.operation = Objects.requireNonNull(operation, "operation cannot be null");
        this.caller = caller;
    }

    public AwsRequest request() {
        return request;
    }

    public String operation() {
        return operation;
    }

    public String requestId() {
        return request.requestId();
    }

    /** The verified signer; present exactly for operations registered with {@link Operation.Auth#SIGV4}. */
    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }
}
