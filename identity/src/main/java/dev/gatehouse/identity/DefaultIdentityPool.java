package dev.gatehouse.identity;

import java.util.Objects;

/**
 * The ids of the stack's default identity pool and its roles, the same on every start of one data dir.
 *
 * @param identityPoolId {@code <region>:<uuid>}
 * @param authenticatedRoleArn the role of signed-in users, {@code arn:aws:iam::<account>:role/gatehouse-auth}
 * @param unauthenticatedRoleArn the role of guests, {@code arn:aws:iam::<account>:role/gatehouse-unauth}
 */
public record DefaultIdentityPool(String identityPoolId, String authenticatedRoleArn, String unauthenticatedRoleArn) {

    public DefaultIdentityPool {
        Objects.requireNonNull(identityPoolId, "identityPoolId cannot be null");
        Objects.requireNonNull(authenticatedRoleArn, "authenticatedRoleArn cannot be null");
        Objects.requireNonNull(unauthenticatedRoleArn, "unauthenticatedRoleArn cannot be null");
    }
}
