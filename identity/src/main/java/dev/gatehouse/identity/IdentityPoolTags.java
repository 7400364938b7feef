package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.protocol.ServiceException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * TagResource, UntagResource and ListTagsForResource on identity pools (SigV4): the pool's {@code IdentityPoolTags}, as
 * Create/Describe/UpdateIdentityPool show them. A pool is named by its ARN,
 * {@code arn:aws:cognito-identity:<region>:<account>:identitypool/<poolId>}; any other ARN is
 * {@code ResourceNotFoundException}.
 */
final class IdentityPoolTags {

    /** Cognito's quota of tags per identity pool. */
    static final int MAX_TAGS = 50;

    private static final InputShapes SHAPES = IdentityPoolApi.inputShapes();

    private final PoolRepository repository;
    private final String arnPrefix;

    IdentityPoolTags(PoolRepository repository, String region, String accountId) {
        this.repository = Objects.requireNonNull(repository, "repository cannot be null");
        this.arnPrefix = "arn:aws:cognito-identity:" + region + ":" + accountId + ":identitypool/";
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register("ListTagsForResource", sigv4, (body, c) -> {
            SHAPES.validate("ListTagsForResource", body, IdentityErrors::validation);
            ObjectNode out = AwsJson.mapper().createObjectNode();
            out.set("Tags", tags(pool(body)));
            return out;
        });
        service.register("TagResource", sigv4, (body, c) -> {
            SHAPES.validate("TagResource", body, IdentityErrors::validation);
            change(pool(body), tags -> body.path("Tags")
                    .fields()
                    .forEachRemaining(
                            tag -> tags.put(tag.getKey(), tag.getValue().asText())));
            return AwsJson.mapper().createObjectNode();
        });
        service.register("UntagResource", sigv4, (body, c) -> {
            SHAPES.validate("UntagResource", body, IdentityErrors::validation);
            change(pool(body), tags -> body.path("TagKeys").forEach(key -> tags.remove(key.asText())));
            return AwsJson.mapper().createObjectNode();
        });
    }

    private StoredPool pool(ObjectNode body) {
        String arn = body.path("ResourceArn").asText();
        Optional<StoredPool> pool =
                arn.startsWith(arnPrefix) ? repository.find(arn.substring(arnPrefix.length())) : Optional.empty();
        return pool.orElseThrow(() -> new ServiceException(
                AwsError.sender(IdentityErrors.RESOURCE_NOT_FOUND, "Resource " + arn + " does not exist.")));
    }

    private static ObjectNode tags(StoredPool pool) {
        JsonNode tags = pool.description().path("IdentityPoolTags");
        return tags instanceof ObjectNode object
                ? object.deepCopy()
                : AwsJson.mapper().createObjectNode();
    }

    private void change(StoredPool pool, Consumer<ObjectNode> edit) {
        ObjectNode tags = tags(pool);
        edit.accept(tags);
        if (tags.size() > MAX_TAGS) {
            throw IdentityErrors.invalidParameter("An identity pool can have at most " + MAX_TAGS + " tags.");
        }
        ObjectNode description = pool.description().deepCopy();
        description.set("IdentityPoolTags", tags);
        if (!repository.replaceDescription(pool, description)) {
            throw IdentityErrors.poolNotFound(pool.id());
        }
    }
}
