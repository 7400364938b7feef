package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.protocol.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Developer-authenticated identities: the app's backend, signed with SigV4, calls GetOpenIdTokenForDeveloperIdentity
 * with {@code Logins: {<DeveloperProviderName>: <its user id>}} and hands the token to the app, which exchanges it
 * with GetCredentialsForIdentity under {@code Logins: {"cognito-identity.amazonaws.com": token}}.
 */
final class DeveloperIdentities {

    /** The Logins key of tokens issued by Cognito Identity itself. */
    static final String COGNITO_PROVIDER = "cognito-identity.amazonaws.com";
    /** Cognito's default TokenDuration: 15 minutes. */
    private static final Duration DEFAULT_DURATION = Duration.ofMinutes(15);

    private static final InputShapes SHAPES = IdentityPoolApi.inputShapes();

    private final IdentityPools pools;

    DeveloperIdentities(IdentityPools pools) {
        this.pools = Objects.requireNonNull(pools, "pools cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register("GetOpenIdTokenForDeveloperIdentity", Operation.Auth.SIGV4, (body, c) -> token(body));
    }

    private ObjectNode token(ObjectNode body) {
        SHAPES.validate("GetOpenIdTokenForDeveloperIdentity", body, IdentityErrors::validation);
        StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
        String provider = pool.description().path("DeveloperProviderName").asText("");
        Map<String, String> logins = new java.util.LinkedHashMap<>();
        body.path("Logins")
                .fields()
                .forEachRemaining(f -> logins.put(f.getKey(), f.getValue().asText()));
        if (provider.isEmpty() || !logins.containsKey(provider) || logins.size() != 1) {
            throw IdentityErrors.notAuthorized(
                    "The developer provider name in Logins does not match the identity pool's "
                            + "DeveloperProviderName.");
        }
        Optional<String> identityId =
                Optional.ofNullable(body.get("IdentityId")).map(n -> n.asText());
        Duration validity = Optional.ofNullable(body.get("TokenDuration"))
                .map(n -> Duration.ofSeconds(n.asLong()))
                .orElse(DEFAULT_DURATION);
        return pools.developerToken(pool.id(), logins.get(provider), identityId, validity);
    }
}
