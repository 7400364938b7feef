package dev.gatehouse.userpool;

import java.time.Instant;
import java.util.Objects;

/** What an opened, live refresh token says: whose session it continues, for which client. */
public record RefreshGrant(String userPoolId, String clientId, String username, String originJti, Instant authTime) {

    public RefreshGrant {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(clientId, "clientId cannot be null");
        Objects.requireNonNull(username, "username cannot be null");
        Objects.requireNonNull(originJti, "originJti cannot be null");
        Objects.requireNonNull(authTime, "authTime cannot be null");
    }
}
