package dev.gatehouse.server;

import dev.gatehouse.functions.ExecutionRoleCredentials;
import dev.gatehouse.functions.FunctionSpec;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.iam.TemporaryCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A function's execution-role credentials: a sealed session token of the role session
 * {@code arn:aws:sts::<account>:assumed-role/<role>/<function>} (no Cognito identity, no {@code cognito-identity}
 * condition keys), which SigV4 verification opens without a lookup, so an AWS SDK in the handler is allowed exactly
 * what the role's inline policies allow. One hour, as Lambda's; the functions module retires a worker before they expire.
 */
final class RoleCredentials implements ExecutionRoleCredentials {

    private static final Duration VALIDITY = Duration.ofHours(1);

    private final SessionTokenSealer sealer;
    private final String accountId;
    private final Clock clock;

    RoleCredentials(SessionTokenSealer sealer, String accountId, Clock clock) {
        this.sealer = Objects.requireNonNull(sealer, "sealer cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    @Override
    public Optional<TemporaryCredentials> mint(FunctionSpec function) {
        // No identity: the principal is the role session, named after the function, as Lambda names it.
        return function.roleArn()
                .map(role -> sealer.issueRoleSession(
                        role, accountId, function.name(), clock.instant().plus(VALIDITY)));
    }
}
