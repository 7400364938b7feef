package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.CallContext;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.protocol.RequestAuthenticator;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.userpool.JwtTokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Gatehouse's own admin operations, which no AWS service has: AWS JSON 1.1 on the AWS endpoint under
 * {@code X-Amz-Target: }{@value #TARGET_PREFIX}{@code .<operation>}, SigV4-signed with the stack's admin key for the
 * signing name {@value #SIGNING_NAME}, so any node (or the balancer) takes them. One operation:
 *
 * <ul>
 *   <li>{@code RotateSigningKeys} {@code {"UserPoolId": …}}: adds a new signing key per purpose (id, access) and a
 *       new refresh-token sealing key to the pool's key set in the shared store; answers {@code {"UserPoolId": …,
 *       "KeyIds": [...]}}, the kids the pool's JWKS lists afterwards, the new ones last. Every node verifies tokens
 *       signed with the new keys at once and lists them in its JWKS within the key cache's lifetime
 *       (docs/deploy.md). An unknown pool: {@code ResourceNotFoundException}; a missing or malformed id:
 *       {@code InvalidParameterException}.</li>
 * </ul>
 */
final class GatehouseAdminApi {

    static final String TARGET_PREFIX = "GatehouseAdmin";
    static final String SIGNING_NAME = "gatehouse";

    private static final int MAX_POOL_ID = 55;

    private final JwtTokenService tokens;
    private final Predicate<String> poolExists;

    private GatehouseAdminApi(JwtTokenService tokens, Predicate<String> poolExists) {
        this.tokens = Objects.requireNonNull(tokens, "tokens cannot be null");
        this.poolExists = Objects.requireNonNull(poolExists, "poolExists cannot be null");
    }

    /** The service, its operations signed with the admin key ({@code authenticator}). */
    static AwsJsonService service(
            RequestAuthenticator authenticator, JwtTokenService tokens, Predicate<String> poolExists) {
        GatehouseAdminApi api = new GatehouseAdminApi(tokens, poolExists);
        return new AwsJsonService(TARGET_PREFIX, SIGNING_NAME, authenticator)
                .register("RotateSigningKeys", Operation.Auth.SIGV4, api::rotateSigningKeys);
    }

    private Object rotateSigningKeys(ObjectNode input, CallContext context) {
        String poolId = poolId(input);
        if (!poolExists.test(poolId)) {
            throw new ServiceException(
                    AwsError.sender("ResourceNotFoundException", "User pool " + poolId + " does not exist."));
        }
        tokens.rotateKeys(poolId);
        ObjectNode output = AwsJson.mapper().createObjectNode().put("UserPoolId", poolId);
        ArrayNode kids = output.putArray("KeyIds");
        for (JsonNode key : jwks(poolId).path("keys")) {
            kids.add(key.path("kid").asText());
        }
        return output;
    }

    private JsonNode jwks(String poolId) {
        try {
            return AwsJson.mapper().readTree(tokens.jwks(poolId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String poolId(ObjectNode input) {
        JsonNode id = input.get("UserPoolId");
        if (id == null || !id.isTextual()) {
            throw new ServiceException(CommonErrors.invalidParameter("UserPoolId is required."));
        }
        String value = id.asText();
        if (value.isEmpty() || value.length() > MAX_POOL_ID || !value.matches("[\\w-]+_[0-9a-zA-Z]+")) {
            throw new ServiceException(CommonErrors.invalidParameter(
                    "1 validation error detected: Value at 'userPoolId' failed to satisfy constraint: Member must"
                            + " satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"));
        }
        return value;
    }
}
