package dev.gatehouse.functions;

import java.time.Instant;
import java.util.Objects;

/**
 * The temporary credentials of a function's execution role, as Lambda puts them in the environment
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}).
 *
 * @param expiration when they stop working; a worker is retired before then and its successor gets fresh ones
 */
public record TemporaryCredentials(
        String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

    public TemporaryCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey cannot be null");
        Objects.requireNonNull(sessionToken, "sessionToken cannot be null");
        Objects.requireNonNull(expiration, "expiration cannot be null");
    }

    @Override
    public String toString() {
        // Never the secret or the token.
        return "TemporaryCredentials[" + accessKeyId + ", expires " + expiration + "]";
    }
}
