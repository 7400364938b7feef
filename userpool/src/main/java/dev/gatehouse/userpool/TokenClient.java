package dev.gatehouse.userpool;

import java.time.Duration;
import java.util.Objects;

/** The app client tokens are issued to, with its validity settings (Cognito defaults: 1 h, 1 h, 30 days). */
public record TokenClient(
        String clientId, Duration idTokenValidity, Duration accessTokenValidity, Duration refreshTokenValidity) {

    public TokenClient {
        Objects.requireNonNull(clientId, "clientId cannot be null");
        Objects.requireNonNull(idTokenValidity, "idTokenValidity cannot be null");
        Objects.requireNonNull(accessTokenValidity, "accessTokenValidity cannot be null");
        Objects.requireNonNull(refreshTokenValidity, "refreshTokenValidity cannot be null");
    }

    public static TokenClient withDefaults(String clientId) {
        return new TokenClient(clientId, Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(30));
    }
}
