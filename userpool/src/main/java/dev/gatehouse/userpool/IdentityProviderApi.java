package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Page;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's federated identity providers (Create/Describe/List/Update/DeleteIdentityProvider,
 * GetIdentityProviderByIdentifier), stored and described as Cognito describes them: the details each type requires
 * are checked, and Describe adds the endpoints Cognito fills in for the social providers. No sign-in goes through them
 * here (there is no hosted UI): app clients may name them in {@code SupportedIdentityProviders}.
 */
final class IdentityProviderApi {

    /** The {@code ProviderDetails} keys each type requires (CreateIdentityProvider's model documentation). */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "Google", List.of("client_id", "client_secret", "authorize_scopes"),
            "Facebook", List.of("client_id", "client_secret", "authorize_scopes"),
            "LoginWithAmazon", List.of("client_id", "client_secret", "authorize_scopes"),
            "SignInWithApple", List.of("client_id", "team_id", "key_id", "private_key", "authorize_scopes"),
            "OIDC", List.of("client_id", "authorize_scopes", "oidc_issuer", "attributes_request_method"),
            "SAML", List.of());
    /** What Cognito adds to a social provider's details on Describe. */
    private static final Map<String, Map<String, String>> ADDED = Map.of(
            "Google",
                    Map.of(
                            "attributes_url",
                            "https://people.googleapis.com/v1/people/me?personFields=",
                            "attributes_url_add_attributes",
                            "true",
                            "authorize_url",
                            "https://accounts.google.com/o/oauth2/v2/auth",
                            "oidc_issuer",
                            "https://accounts.google.com",
                            "token_request_method",
                            "POST",
                            "token_url",
                            "https://www.googleapis.com/oauth2/v4/token"),
            "LoginWithAmazon",
                    Map.of(
                            "attributes_url",
                            "https://api.amazon.com/user/profile",
                            "attributes_url_add_attributes",
                            "false",
                            "authorize_url",
                            "https://www.amazon.com/ap/oa",
                            "token_request_method",
                            "POST",
                            "token_url",
                            "https://api.amazon.com/auth/o2/token"),
            "SignInWithApple",
                    Map.of(
                            "attributes_url_add_attributes",
                            "false",
                            "authorize_url",
                            "https://appleid.apple.com/auth/authorize",
                            "oidc_issuer",
                            "https://appleid.apple.com",
                            "token_request_method",
                            "POST",
                            "token_url",
                            "https://appleid.apple.com/auth/token"),
            "OIDC", Map.of("attributes_url_add_attributes", "false"));

    private final PoolContext ctx;
    private final PoolResources resources;

    IdentityProviderApi(PoolContext ctx, PoolResources resources) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.resources = Objects.requireNonNull(resources, "resources cannot be null");
    }

    static String partition(String userPoolId) {
        return userPoolId + "#identity-provider";
    }

    /** Whether the pool has a provider of that name; {@code COGNITO} is always there. */
    boolean exists(String userPoolId, String providerName) {
        return "COGNITO".equals(providerName)
                || resources.get(partition(userPoolId), providerName).isPresent();
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register(
                "CreateIdentityProvider",
                sigv4,
                (body, c) -> create(ModelInput.validate("CreateIdentityProvider", body)));
        service.register(
                "DescribeIdentityProvider",
                sigv4,
                (body, c) -> wrap(find(ModelInput.validate("DescribeIdentityProvider", body))));
        service.register(
                "UpdateIdentityProvider",
                sigv4,
                (body, c) -> update(ModelInput.validate("UpdateIdentityProvider", body)));
        service.register("DeleteIdentityProvider", sigv4, (body, c) -> {
            ObjectNode provider = find(ModelInput.validate("DeleteIdentityProvider", body));
            resources.delete(
                    partition(provider.path("UserPoolId").asText()),
                    provider.path("ProviderName").asText());
            return UserPoolApi.empty();
        });
        service.register(
                "ListIdentityProviders", sigv4, (body, c) -> list(ModelInput.validate("ListIdentityProviders", body)));
        service.register(
                "GetIdentityProviderByIdentifier",
                sigv4,
                (body, c) -> byIdentifier(ModelInput.validate("GetIdentityProviderByIdentifier", body)));
    }

    private ObjectNode create(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String name = in.string("ProviderName");
        String type = in.string("ProviderType");
        ObjectNode details = (ObjectNode) in.body().get("ProviderDetails");
        checkDetails(type, details);
        checkIdentifiers(pool.id(), name, in.body().path("IdpIdentifiers"));
        Instant now = ctx.now();
        ObjectNode provider = AwsJson.mapper().createObjectNode();
        provider.put("UserPoolId", pool.id());
        provider.put("ProviderName", name);
        provider.put("ProviderType", type);
        provider.set("ProviderDetails", details.deepCopy());
        provider.set(
                "AttributeMapping",
                in.body().path("AttributeMapping").isObject()
                        ? in.body().get("AttributeMapping").deepCopy()
                        : AwsJson.mapper().createObjectNode());
        provider.set(
                "IdpIdentifiers",
                in.body().path("IdpIdentifiers").isArray()
                        ? in.body().get("IdpIdentifiers").deepCopy()
                        : AwsJson.mapper().createArrayNode());
        provider.put("LastModifiedDate", PoolConfig.epoch(now));
        provider.put("CreationDate", PoolConfig.epoch(now));
        if (!resources.create(partition(pool.id()), name, provider)) {
            throw UserPoolErrors.error(
                    UserPoolErrors.DUPLICATE_PROVIDER, "A provider with the name " + name + " already exists.");
        }
        return wrap(provider);
    }

    private ObjectNode update(ModelInput in) {
        ObjectNode provider = find(in);
        String poolId = provider.path("UserPoolId").asText();
        String name = provider.path("ProviderName").asText();
        if (in.has("ProviderDetails")) {
            ObjectNode details = (ObjectNode) provider.get("ProviderDetails");
            in.body().get("ProviderDetails").fields().forEachRemaining(f -> details.set(f.getKey(), f.getValue()));
            checkDetails(provider.path("ProviderType").asText(), details);
        }
        if (in.has("AttributeMapping")) {
            provider.set("AttributeMapping", in.body().get("AttributeMapping").deepCopy());
        }
        if (in.has("IdpIdentifiers")) {
            checkIdentifiers(poolId, name, in.body().get("IdpIdentifiers"));
            provider.set("IdpIdentifiers", in.body().get("IdpIdentifiers").deepCopy());
        }
        provider.put("LastModifiedDate", PoolConfig.epoch(ctx.now()));
        if (!resources.replace(partition(poolId), name, provider)) {
            throw notFound();
        }
        return wrap(provider);
    }

    private ObjectNode list(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String scope = "identity-providers|" + pool.id();
        int limit = in.optionalLong("MaxResults")
                .filter(m -> m > 0)
                .map(Long::intValue)
                .orElse(60);
        Page page = PageTokens.page(
                scope, in.optionalString("NextToken"), cursor -> resources.list(partition(pool.id()), limit, cursor));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("Providers");
        for (Item item : page.items()) {
            ObjectNode provider = PoolResources.doc(item);
            ObjectNode summary = list.addObject();
            for (String member : List.of("ProviderName", "ProviderType", "LastModifiedDate", "CreationDate")) {
                summary.set(member, provider.get(member));
            }
        }
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private ObjectNode byIdentifier(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        return wrap(withIdentifier(pool.id(), in.string("IdpIdentifier")).orElseThrow(IdentityProviderApi::notFound));
    }

    private Optional<ObjectNode> withIdentifier(String poolId, String identifier) {
        Optional<String> cursor = Optional.empty();
        do {
            Page page = resources.list(partition(poolId), 100, cursor);
            for (Item item : page.items()) {
                ObjectNode provider = PoolResources.doc(item);
                for (JsonNode id : provider.path("IdpIdentifiers")) {
                    if (id.asText().equals(identifier)) {
                        return Optional.of(provider);
                    }
                }
            }
            cursor = page.cursor();
        } while (cursor.isPresent());
        return Optional.empty();
    }

    /** An identifier names one provider of the pool. */
    private void checkIdentifiers(String poolId, String name, JsonNode identifiers) {
        for (JsonNode id : identifiers) {
            Optional<ObjectNode> owner = withIdentifier(poolId, id.asText());
            if (owner.isPresent() && !owner.get().path("ProviderName").asText().equals(name)) {
                throw UserPoolErrors.error(
                        UserPoolErrors.DUPLICATE_PROVIDER,
                        "The identifier " + id.asText() + " is already used by provider "
                                + owner.get().path("ProviderName").asText() + ".");
            }
        }
    }

    private static void checkDetails(String type, ObjectNode details) {
        for (String key : REQUIRED.getOrDefault(type, List.of())) {
            if (!details.hasNonNull(key) || details.get(key).asText().isEmpty()) {
                throw UserPoolErrors.invalidParameter(key + " is required for " + type + " identity provider.");
            }
        }
        if ("SAML".equals(type) && !details.hasNonNull("MetadataURL") && !details.hasNonNull("MetadataFile")) {
            throw UserPoolErrors.invalidParameter(
                    "Either MetadataURL or MetadataFile is required for SAML identity " + "provider.");
        }
    }

    private ObjectNode find(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        return resources
                .get(partition(pool.id()), in.string("ProviderName"))
                .orElseThrow(IdentityProviderApi::notFound);
    }

    private static dev.gatehouse.protocol.ServiceException notFound() {
        return UserPoolErrors.error(UserPoolErrors.RESOURCE_NOT_FOUND, "Identity provider does not exist.");
    }

    /** Describe's form: the stored provider with the details Cognito adds, and Apple's private key left out. */
    private static ObjectNode wrap(ObjectNode provider) {
        ObjectNode shown = provider.deepCopy();
        ObjectNode details = (ObjectNode) shown.get("ProviderDetails");
        String type = shown.path("ProviderType").asText();
        ADDED.getOrDefault(type, Map.of()).forEach((k, v) -> {
            if (!details.has(k)) {
                details.put(k, v);
            }
        });
        if ("Facebook".equals(type)) {
            String version = details.path("api_version").asText("v17.0");
            details.put("attributes_url", "https://graph.facebook.com/" + version + "/me?fields=");
            details.put("attributes_url_add_attributes", "true");
            details.put("authorize_url", "https://www.facebook.com/" + version + "/dialog/oauth");
            details.put("token_request_method", "GET");
            details.put("token_url", "https://graph.facebook.com/" + version + "/oauth/access_token");
        }
        if ("SignInWithApple".equals(type)) {
            details.remove("private_key");
        }
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("IdentityProvider", shown);
        return response;
    }
}
