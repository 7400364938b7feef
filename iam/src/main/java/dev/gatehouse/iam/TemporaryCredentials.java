package dev.gatehouse.iam;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary credentials as handed to their holder once (GetCredentialsForIdentity's {@code Credentials}). The secret
 * and the session token are secrets: never log them; {@link #toString()} leaves them out.
 */
public record TemporaryCredentials(String accessKeyId, String secretKey, String sessionToken, Instant expiration) {

    public TemporaryCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
        Objects.requireNonNull(secretKey, "secretKey cannot be null");
        Objects.requireNonNull(sessionToken, "sessionToken cannot be null");
        Objects.requireNonNull(expiration, "expiration cannot be null");
    }

    @Override
    public String toString() {
        return "TemporaryCredentials[accessKeyId=" + accessKeyId + ", expiration=" + expiration + ", secrets redacted]";
    }
}
