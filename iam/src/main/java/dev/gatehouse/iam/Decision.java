package dev.gatehouse.iam;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link PolicyEvaluator#evaluate}. A value, never an exception: mapping a deny to the wire error
 * ({@code AccessDeniedException}, API Gateway's 403) is the caller's job.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">Policy evaluation logic</a>
 */
public sealed interface Decision permits Decision.Allow, Decision.ExplicitDeny, Decision.ImplicitDeny {

    /** No statement matched (or only Allow statements whose conditions failed): the default outcome. */
    ImplicitDeny IMPLICIT_DENY = new ImplicitDeny();

    /** True only for {@link Allow}. */
    default boolean allowed() {
        return this instanceof Allow;
    }

    /** An Allow statement matched and no Deny statement did. {@code sid} is the first matching Allow statement's Sid. */
    record Allow(Optional<String> sid) implements Decision {
        public Allow {
            Objects.requireNonNull(sid, "sid cannot be null");
        }
    }

    /** A Deny statement matched; it overrides every Allow. {@code sid} is that statement's Sid. */
    record ExplicitDeny(Optional<String> sid) implements Decision {
        public ExplicitDeny {
            Objects.requireNonNull(sid, "sid cannot be null");
        }
    }

    /** Nothing allowed the request. */
    record ImplicitDeny() implements Decision {}
}
