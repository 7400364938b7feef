package dev.gatehouse.userpool;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The claims of an access token whose signature, key id, algorithm, issuer, expiry, {@code token_use} and revocation
 * state have been checked. Only {@link TokenService} makes these.
 */
public record VerifiedAccessToken(
        String userPoolId,
        String clientId,
        String sub,
        String username,
        String jti,
        String originJti,
        Set<String> scopes,
        Instant authTime,
        Instant expiresAt) {

    public VerifiedAccessToken {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(clientId, "clientId cannot be null");
        Objects.requireNonNull(sub, "sub cannot be null");
        Objects.requireNonNull(username, "username cannot be null");
        Objects.requireNonNull(jti, "jti cannot be null");
        Objects.requireNonNull(originJti, "originJti cannot be null");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(authTime, "authTime cannot be null");
        Objects.requireNonNull(expiresAt, "expiresAt cannot be null");
    }
}
