package dev.gatehouse.server;

import dev.gatehouse.userpool.TokenService;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The documents served under {@code /<poolId>/.well-known/}: the pool's JWKS and its OpenID Connect discovery
 * document, for existing pools only. Blocking (the key set may be read from the store); call it on a worker.
 */
final class WellKnownDocuments {

    /** The model's UserPoolId pattern and length limit. */
    private static final Pattern POOL_ID = Pattern.compile("[\\w-]{1,40}_[0-9a-zA-Z]{1,40}");

    private static final int MAX_POOL_ID = 55;

    private final TokenService tokens;
    private final Predicate<String> poolExists;

    WellKnownDocuments(TokenService tokens, Predicate<String> poolExists) {
        this.tokens = Objects.requireNonNull(tokens, "tokens cannot be null");
        this.poolExists = Objects.requireNonNull(poolExists, "poolExists cannot be null");
    }

    /** The document {@code name} ({@code jwks.json} or {@code openid-configuration}) of the pool, if both exist. */
    Optional<String> document(String poolId, String name) {
        if (poolId.length() > MAX_POOL_ID || !POOL_ID.matcher(poolId).matches() || !poolExists.test(poolId)) {
            return Optional.empty();
        }
        return switch (name) {
            case "jwks.json" -> Optional.of(tokens.jwks(poolId));
            case "openid-configuration" -> Optional.of(tokens.openIdConfiguration(poolId));
            default -> Optional.empty();
        };
    }
}
