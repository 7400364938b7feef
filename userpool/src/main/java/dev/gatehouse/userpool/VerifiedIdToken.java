package dev.gatehouse.userpool;

import java.time.Instant;
import java.util.Objects;

/**
 * The claims of an id token whose signature, key id, algorithm, issuer, expiry, {@code token_use} and session have been
 * checked. Only {@link TokenService} makes these.
 *
 * @param userPoolId the pool named by {@code iss}
 * @param clientId the app client the token was issued to ({@code aud})
 * @param sub the user's immutable id
 * @param username {@code cognito:username}
 */
public record VerifiedIdToken(
        String userPoolId,
        String clientId,
        String sub,
        String username,
        String jti,
        String originJti,
        Instant authTime,
        Instant expiresAt) {

    public VerifiedIdToken {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(clientId, "clientId cannot be null");
        Objects.requireNonNull(sub, "sub cannot be null");
        Objects.requireNonNull(username, "username cannot be null");
        Objects.requireNonNull(jti, "jti cannot be null");
        Objects.requireNonNull(originJti, "originJti cannot be null");
        Objects.requireNonNull(authTime, "authTime cannot be null");
        Objects.requireNonNull(expiresAt, "expiresAt cannot be null");
    }
}
