package dev.gatehouse.userpool;

import java.util.Objects;

/** The ids of the stack's default user pool and app client, the same on every start of one data dir. */
public record DefaultStack(String userPoolId, String clientId) {

    public DefaultStack {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(clientId, "clientId cannot be null");
    }
}
