package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.Page;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resource servers and their scopes (Create/Describe/List/Update/DeleteResourceServer). A client's custom scope
 * {@code <identifier>/<scope>} refers to one of them. Update replaces the name and the whole scope list.
 */
final class ResourceServerApi {

    /** Cognito's quota of resource servers per pool. */
    static final int MAX_SERVERS = 25;
    /** The scopes every pool has (CreateUserPoolClient's AllowedOAuthScopes documentation). */
    private static final Set<String> STANDARD_SCOPES =
            Set.of("phone", "email", "openid", "profile", "aws.cognito.signin.user.admin");

    private final PoolContext ctx;
    private final PoolResources resources;

    ResourceServerApi(PoolContext ctx, PoolResources resources) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.resources = Objects.requireNonNull(resources, "resources cannot be null");
    }

    static String partition(String userPoolId) {
        return userPoolId + "#resource-server";
    }

    /** Whether {@code scope} is a standard scope, or {@code <identifier>/<name>} of one of the pool's servers. */
    boolean scopeExists(String userPoolId, String scope) {
        if (STANDARD_SCOPES.contains(scope)) {
            return true;
        }
        int slash = scope.lastIndexOf('/');
        if (slash <= 0) {
            return false;
        }
        String name = scope.substring(slash + 1);
        return resources
                .get(partition(userPoolId), scope.substring(0, slash))
                .map(server -> {
                    for (var s : server.path("Scopes")) {
                        if (s.path("ScopeName").asText().equals(name)) {
                            return true;
                        }
                    }
                    return false;
                })
                .orElse(false);
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register(
                "CreateResourceServer", sigv4, (body, c) -> create(ModelInput.validate("CreateResourceServer", body)));
        service.register(
                "DescribeResourceServer",
                sigv4,
                (body, c) -> wrap(find(ModelInput.validate("DescribeResourceServer", body))));
        service.register(
                "UpdateResourceServer", sigv4, (body, c) -> update(ModelInput.validate("UpdateResourceServer", body)));
        service.register("DeleteResourceServer", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("DeleteResourceServer", body);
            ObjectNode server = find(in);
            resources.delete(
                    partition(server.path("UserPoolId").asText()),
                    server.path("Identifier").asText());
            return UserPoolApi.empty();
        });
        service.register(
                "ListResourceServers", sigv4, (body, c) -> list(ModelInput.validate("ListResourceServers", body)));
    }

    private ObjectNode create(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String identifier = in.string("Identifier");
        ObjectNode server = document(pool.id(), identifier, in);
        if (resources
                        .list(partition(pool.id()), MAX_SERVERS, Optional.empty())
                        .items()
                        .size()
                >= MAX_SERVERS) {
            throw UserPoolErrors.error(
                    UserPoolErrors.LIMIT_EXCEEDED,
                    "A user pool can have at most " + MAX_SERVERS + " resource servers.");
        }
        if (!resources.create(partition(pool.id()), identifier, server)) {
            throw UserPoolErrors.invalidParameter(identifier + " already exists in user pool " + pool.id() + ".");
        }
        return wrap(server);
    }

    private ObjectNode update(ModelInput in) {
        ObjectNode old = find(in);
        String poolId = old.path("UserPoolId").asText();
        ObjectNode server = document(poolId, old.path("Identifier").asText(), in);
        if (!resources.replace(partition(poolId), server.path("Identifier").asText(), server)) {
            throw notFound(server.path("Identifier").asText());
        }
        return wrap(server);
    }

    private ObjectNode list(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String scope = "resource-servers|" + pool.id();
        int limit = in.optionalLong("MaxResults").map(Long::intValue).orElse(50);
        Page page = PageTokens.page(
                scope, in.optionalString("NextToken"), cursor -> resources.list(partition(pool.id()), limit, cursor));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("ResourceServers");
        page.items().forEach(item -> list.add(PoolResources.doc(item)));
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private ObjectNode find(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String identifier = in.string("Identifier");
        return resources.get(partition(pool.id()), identifier).orElseThrow(() -> notFound(identifier));
    }

    /** The {@code ResourceServerType}; scope names must be distinct. */
    private static ObjectNode document(String poolId, String identifier, ModelInput in) {
        ObjectNode server = AwsJson.mapper().createObjectNode();
        server.put("UserPoolId", poolId);
        server.put("Identifier", identifier);
        server.put("Name", in.string("Name"));
        ArrayNode scopes = server.putArray("Scopes");
        Set<String> names = new HashSet<>();
        in.body().path("Scopes").forEach(scope -> {
            if (!names.add(scope.path("ScopeName").asText())) {
                throw UserPoolErrors.invalidParameter("Duplicate scope names are not allowed: "
                        + scope.path("ScopeName").asText());
            }
            scopes.addObject()
                    .put("ScopeName", scope.path("ScopeName").asText())
                    .put("ScopeDescription", scope.path("ScopeDescription").asText());
        });
        return server;
    }

    private static dev.gatehouse.protocol.ServiceException notFound(String identifier) {
        return UserPoolErrors.error(
                UserPoolErrors.RESOURCE_NOT_FOUND, "Resource server " + identifier + " does not exist.");
    }

    private static ObjectNode wrap(ObjectNode server) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("ResourceServer", server);
        return response;
    }
}
