package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Input;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.protocol.Operation;
import java.util.Objects;

/**
 * UpdateIdentityPool and DeleteIdentityPool (SigV4). Input breaking the model's constraints is refused with
 * {@code ValidationException}, as Cognito Identity does. UpdateIdentityPool replaces the whole description (members
 * left out go back to their defaults, as AWS does) and keeps the pool's id and roles; DeleteIdentityPool leaves its
 * identities unreachable (every operation on them answers {@code ResourceNotFoundException}).
 */
final class PoolLifecycle {

    private static final InputShapes SHAPES = IdentityPoolApi.inputShapes();

    private final PoolRepository repository;
    private final IdentityPools pools;

    PoolLifecycle(PoolRepository repository, IdentityPools pools) {
        this.repository = Objects.requireNonNull(repository, "repository cannot be null");
        this.pools = Objects.requireNonNull(pools, "pools cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register("UpdateIdentityPool", Operation.Auth.SIGV4, (body, c) -> {
            SHAPES.validate("UpdateIdentityPool", body, IdentityErrors::validation);
            StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
            ObjectNode description = IdentityPoolApi.poolDescription(Input.of(body), body);
            description.put("IdentityPoolId", pool.id());
            if (!repository.replaceDescription(pool, description)) {
                throw IdentityErrors.poolNotFound(pool.id());
            }
            return description;
        });
        service.register("DeleteIdentityPool", Operation.Auth.SIGV4, (body, c) -> {
            SHAPES.validate("DeleteIdentityPool", body, IdentityErrors::validation);
            StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
            repository.delete(pool.id());
            return dev.gatehouse.protocol.AwsJson.mapper().createObjectNode();
        });
    }
}
