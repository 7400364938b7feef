package dev.gatehouse.functions;

import dev.gatehouse.iam.TemporaryCredentials;
import java.util.Optional;

/**
 * Mints the temporary credentials a worker gets for its function's execution role. The server implements it the way
 * the identity pool does (a sealed session token that SigV4 verification opens without a lookup, carrying the role),
 * so an unmodified AWS SDK in a handler is allowed exactly what the role's policy allows. Called once per worker
 * start, off the event loop.
 */
@FunctionalInterface
public interface ExecutionRoleCredentials {

    /** No credentials for any function: the SDK in a handler then signs nothing Gatehouse accepts. */
    ExecutionRoleCredentials NONE = function -> Optional.empty();

    /**
     * Credentials for {@code function}'s {@link FunctionSpec#roleArn}; empty when it has no role.
     *
     * @throws RuntimeException when the role cannot be assumed; the worker then does not start and the invocation
     *     fails as an init error
     */
    Optional<TemporaryCredentials> mint(FunctionSpec function);
}
