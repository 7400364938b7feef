package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * User-pool domains (Create/Describe/Update/DeleteUserPoolDomain; Cognito has no list operation): a prefix
 * ({@code myapp}) or a custom domain ({@code auth.example.com} with {@code CustomDomainConfig}), unique in the region,
 * at most one of each per pool, shown in DescribeUserPool as {@code Domain} / {@code CustomDomain}. A domain is
 * {@code ACTIVE} at once. DescribeUserPoolDomain of a free name answers an empty description, as Cognito does, so
 * tools can test availability.
 */
final class DomainApi {

    private static final String PARTITION = "domain";

    private final PoolContext ctx;
    private final PoolResources resources;
    private final String accountId;

    DomainApi(PoolContext ctx, PoolResources resources, String accountId) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.resources = Objects.requireNonNull(resources, "resources cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register(
                "CreateUserPoolDomain", sigv4, (body, c) -> create(ModelInput.validate("CreateUserPoolDomain", body)));
        service.register("DescribeUserPoolDomain", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("DescribeUserPoolDomain", body);
            ObjectNode response = AwsJson.mapper().createObjectNode();
            response.set(
                    "DomainDescription",
                    resources.get(PARTITION, in.string("Domain")).orElseGet(() -> AwsJson.mapper()
                            .createObjectNode()));
            return response;
        });
        service.register(
                "UpdateUserPoolDomain", sigv4, (body, c) -> update(ModelInput.validate("UpdateUserPoolDomain", body)));
        service.register("DeleteUserPoolDomain", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("DeleteUserPoolDomain", body);
            PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
            ObjectNode domain = owned(pool, in.string("Domain"));
            resources.delete(PARTITION, domain.path("Domain").asText());
            setOnPool(pool, domain, false);
            return UserPoolApi.empty();
        });
    }

    /** Whether the pool has a domain (DeleteUserPool is refused until it is deleted). */
    static boolean hasDomain(PoolConfig pool) {
        ObjectNode doc = pool.document();
        return doc.hasNonNull("Domain") || doc.hasNonNull("CustomDomain");
    }

    private ObjectNode create(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String name = in.string("Domain");
        boolean custom = in.has("CustomDomainConfig");
        if (!custom && name.contains(".")) {
            throw UserPoolErrors.invalidParameter(
                    "Domain must be a prefix (letters, numbers and hyphens) unless " + "CustomDomainConfig is given.");
        }
        if (pool.document().hasNonNull(custom ? "CustomDomain" : "Domain")) {
            throw UserPoolErrors.invalidParameter(
                    "User pool already has a " + (custom ? "custom" : "prefix") + " domain configured.");
        }
        ObjectNode domain = AwsJson.mapper().createObjectNode();
        domain.put("UserPoolId", pool.id());
        domain.put("AWSAccountId", accountId);
        domain.put("Domain", name);
        domain.put(
                "S3Bucket",
                "aws-cognito-prod-" + pool.id().substring(0, pool.id().indexOf('_')) + "-assets");
        domain.put("CloudFrontDistribution", custom ? distribution() : name + ".auth.amazoncognito.com");
        domain.put("Version", UUID.randomUUID().toString());
        domain.put("Status", "ACTIVE");
        in.optionalLong("ManagedLoginVersion").ifPresent(v -> domain.put("ManagedLoginVersion", v));
        copy(in, domain);
        if (!resources.create(PARTITION, name, domain)) {
            throw UserPoolErrors.invalidParameter("Domain already associated with another user pool.");
        }
        setOnPool(pool, domain, true);
        return response(domain, custom);
    }

    private ObjectNode update(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        ObjectNode domain = owned(pool, in.string("Domain"));
        in.optionalLong("ManagedLoginVersion").ifPresent(v -> domain.put("ManagedLoginVersion", v));
        copy(in, domain);
        domain.put("Version", UUID.randomUUID().toString());
        if (!resources.replace(PARTITION, domain.path("Domain").asText(), domain)) {
            throw notFound();
        }
        return response(domain, domain.has("CustomDomainConfig"));
    }

    private static void copy(ModelInput in, ObjectNode domain) {
        for (String member : new String[] {"CustomDomainConfig", "Routing"}) {
            JsonNode value = in.body().get(member);
            if (value != null && !value.isNull()) {
                domain.set(member, value.deepCopy());
            }
        }
    }

    private ObjectNode owned(PoolConfig pool, String name) {
        return resources
                .get(PARTITION, name)
                .filter(d -> d.path("UserPoolId").asText().equals(pool.id()))
                .orElseThrow(DomainApi::notFound);
    }

    private void setOnPool(PoolConfig pool, ObjectNode domain, boolean add) {
        String member = domain.has("CustomDomainConfig") ? "CustomDomain" : "Domain";
        ObjectNode doc = pool.document();
        if (add) {
            doc.put(member, domain.path("Domain").asText());
        } else {
            doc.remove(member);
        }
        ctx.directory.updatePool(new PoolConfig(doc));
    }

    private String distribution() {
        return "d" + ctx.directory.randomString("abcdefghijklmnopqrstuvwxyz0123456789", 13) + ".cloudfront.net";
    }

    private static ObjectNode response(ObjectNode domain, boolean custom) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        Optional.ofNullable(domain.get("ManagedLoginVersion")).ifPresent(v -> response.set("ManagedLoginVersion", v));
        if (custom) {
            response.put(
                    "CloudFrontDomain", domain.path("CloudFrontDistribution").asText());
        }
        return response;
    }

    private static dev.gatehouse.protocol.ServiceException notFound() {
        return UserPoolErrors.error(UserPoolErrors.RESOURCE_NOT_FOUND, "User pool domain does not exist.");
    }
}
