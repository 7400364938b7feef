package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.protocol.ServiceException;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's tags by its ARN (TagResource, UntagResource, ListTagsForResource: the pool's {@code UserPoolTags}, also
 * set by Create/UpdateUserPool) and GetCSVHeader (the columns of a user import file: the schema's attributes but
 * {@code sub}, then {@code cognito:mfa_enabled} and {@code cognito:username}).
 */
final class PoolMetadataApi {

    /** Cognito's limit on tags per user pool. */
    static final int MAX_TAGS = 50;

    private static final String USERPOOL = ":userpool/";

    private final PoolContext ctx;

    PoolMetadataApi(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register("ListTagsForResource", sigv4, (body, c) -> {
            PoolConfig pool = byArn(ModelInput.validate("ListTagsForResource", body));
            ObjectNode response = AwsJson.mapper().createObjectNode();
            response.set("Tags", tags(pool).deepCopy());
            return response;
        });
        service.register("TagResource", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("TagResource", body);
            PoolConfig pool = byArn(in);
            ObjectNode tags = tags(pool).deepCopy();
            in.body()
                    .path("Tags")
                    .fields()
                    .forEachRemaining(
                            tag -> tags.put(tag.getKey(), tag.getValue().asText()));
            if (tags.size() > MAX_TAGS) {
                throw UserPoolErrors.invalidParameter("A user pool can have at most " + MAX_TAGS + " tags.");
            }
            save(pool, tags);
            return UserPoolApi.empty();
        });
        service.register("UntagResource", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("UntagResource", body);
            PoolConfig pool = byArn(in);
            ObjectNode tags = tags(pool).deepCopy();
            in.body().path("TagKeys").forEach(key -> tags.remove(key.asText()));
            save(pool, tags);
            return UserPoolApi.empty();
        });
        service.register("GetCSVHeader", sigv4, (body, c) -> {
            PoolConfig pool =
                    ctx.directory.pool(ModelInput.validate("GetCSVHeader", body).string("UserPoolId"));
            ObjectNode response = AwsJson.mapper().createObjectNode().put("UserPoolId", pool.id());
            ArrayNode header = response.putArray("CSVHeader");
            for (JsonNode attribute : pool.document().path("SchemaAttributes")) {
                String name = attribute.path("Name").asText();
                if (!"sub".equals(name)) {
                    header.add(name);
                }
            }
            header.add("cognito:mfa_enabled").add("cognito:username");
            return response;
        });
    }

    /** The pool an ARN names; {@code ResourceNotFoundException} unless it is exactly the ARN of an existing pool. */
    private PoolConfig byArn(ModelInput in) {
        String arn = in.string("ResourceArn");
        int at = arn.indexOf(USERPOOL);
        Optional<PoolConfig> pool = at < 0
                ? Optional.empty()
                : ctx.directory
                        .findPool(arn.substring(at + USERPOOL.length()))
                        .filter(p -> arn.equals(p.document().path("Arn").asText()));
        return pool.orElseThrow(() -> notFound(arn));
    }

    private static ServiceException notFound(String arn) {
        return UserPoolErrors.error(UserPoolErrors.RESOURCE_NOT_FOUND, "Resource " + arn + " does not exist.");
    }

    private static ObjectNode tags(PoolConfig pool) {
        JsonNode tags = pool.document().path("UserPoolTags");
        return tags instanceof ObjectNode object ? object : AwsJson.mapper().createObjectNode();
    }

    private void save(PoolConfig pool, ObjectNode tags) {
        ObjectNode doc = pool.document().deepCopy();
        doc.set("UserPoolTags", tags);
        ctx.directory.updatePool(new PoolConfig(doc));
    }
}
