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
import java.util.Objects;
import java.util.Optional;

/**
 * Changing and removing pools and app clients: UpdateUserPool, DeleteUserPool, ListUserPoolClients,
 * UpdateUserPoolClient, DeleteUserPoolClient.
 * <ul>
 *   <li>Updates follow Cognito's documented contract: a member left out goes back to its default, except those
 *       Cognito is measured to keep (pool name, policies, deletion protection, tier, account recovery, MFA setting;
 *       a client's name and secret); members no update can change (sign-in attributes, schema, case sensitivity,
 *       creation date) stay.</li>
 *   <li>DeleteUserPool removes the users (and their sign-in sessions), groups, clients, providers, resource servers
 *       and signing keys with the pool, and is refused while deletion protection is active.</li>
 * </ul>
 */
final class PoolLifecycleApi {

    private static final Operation.Auth SIGV4 = Operation.Auth.SIGV4;
    /** Kept when UpdateUserPool leaves them out (cognito-more.md 2.1: measured on AWS). */
    private static final List<String> KEPT =
            List.of("Policies", "DeletionProtection", "UserPoolTier", "AccountRecoverySetting");
    /** Not members of UpdateUserPool: they stay as created. */
    private static final List<String> FIXED = List.of("UsernameAttributes", "AliasAttributes", "UsernameConfiguration");

    private static final List<String> FIXED_AFTER = List.of(
            "CreationDate",
            "SchemaAttributes",
            "Domain",
            "CustomDomain",
            MfaApi.SOFTWARE_TOKEN,
            MfaFactors.SMS_CONFIG,
            MfaFactors.EMAIL_CONFIG);

    private final PoolContext ctx;
    private final GroupRepository groups;

    private final IdentityProviderApi providers;
    private final PoolResources resources;

    private final ResourceServerApi servers;

    PoolLifecycleApi(
            PoolContext ctx,
            GroupRepository groups,
            IdentityProviderApi providers,
            ResourceServerApi servers,
            PoolResources resources) {
        this.servers = Objects.requireNonNull(servers, "servers cannot be null");
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.groups = Objects.requireNonNull(groups, "groups cannot be null");
        this.providers = Objects.requireNonNull(providers, "providers cannot be null");
        this.resources = Objects.requireNonNull(resources, "resources cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register("UpdateUserPool", SIGV4, (body, c) -> updatePool(ModelInput.validate("UpdateUserPool", body)));
        service.register("DeleteUserPool", SIGV4, (body, c) -> deletePool(ModelInput.validate("DeleteUserPool", body)));
        service.register(
                "ListUserPoolClients",
                SIGV4,
                (body, c) -> listClients(ModelInput.validate("ListUserPoolClients", body)));
        service.register(
                "UpdateUserPoolClient",
                SIGV4,
                (body, c) -> updateClient(ModelInput.validate("UpdateUserPoolClient", body)));
        service.register("DeleteUserPoolClient", SIGV4, (body, c) -> {
            ModelInput in = ModelInput.validate("DeleteUserPoolClient", body);
            ClientConfig client = ctx.directory.client(in.string("UserPoolId"), in.string("ClientId"));
            ctx.directory.deleteClient(client.userPoolId(), client.clientId());
            return UserPoolApi.empty();
        });
    }

    ObjectNode updatePool(ModelInput in) {
        PoolConfig old = ctx.directory.pool(in.string("UserPoolId"));
        ObjectNode before = old.document();
        ObjectNode request = in.body().deepCopy();
        request.remove("UserPoolId");
        // applied below, once the pool's own MFA factors are back in the document
        request.remove("MfaConfiguration");
        if (!request.hasNonNull("PoolName")) {
            request.put("PoolName", old.name());
        }
        for (String member : KEPT) {
            if (!request.hasNonNull(member) && before.has(member)) {
                request.set(member, before.get(member));
            }
        }
        for (String member : FIXED) {
            request.remove(member);
            if (before.has(member)) {
                request.set(member, before.get(member));
            }
        }
        ObjectNode doc = PoolConfig.create(request, old.id(), before.path("Arn").asText(), ctx.now())
                .document();
        for (String member : FIXED_AFTER) {
            if (before.has(member)) {
                doc.set(member, before.get(member));
            }
        }
        doc.put("MfaConfiguration", before.path("MfaConfiguration").asText("OFF"));
        MfaApi.applyPoolMembers(doc, in.body(), false);
        ctx.directory.updatePool(new PoolConfig(doc));
        return UserPoolApi.empty();
    }

    private ObjectNode deletePool(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        if ("ACTIVE".equals(pool.document().path("DeletionProtection").asText())) {
            throw UserPoolErrors.invalidParameter("The user pool cannot be deleted because deletion protection is "
                    + "activated. Deletion protection must be inactivated first.");
        }
        if (DomainApi.hasDomain(pool)) {
            throw UserPoolErrors.invalidParameter(
                    "The user pool has a domain configured. Delete the domain before " + "deleting the user pool.");
        }
        groups.deletePool(pool.id());
        endSessions(pool);
        ctx.users.deletePool(pool);
        resources.deleteAll(IdentityProviderApi.partition(pool.id()));
        resources.deleteAll(ResourceServerApi.partition(pool.id()));
        ctx.directory.deletePool(pool.id());
        ctx.tokens.deletePoolKeys(pool.id());
        return UserPoolApi.empty();
    }

    /**
     * Ends every user's sign-in sessions (their refresh tokens, and access and id tokens, are refused from now on) and
     * deletes their auth events.
     */
    private void endSessions(PoolConfig pool) {
        Optional<String> cursor = Optional.empty();
        do {
            UserRepository.ListPage page = ctx.users.list(pool, Optional.empty(), 60, cursor);
            page.users().forEach(user -> {
                ctx.tokens.revokeAll(pool.id(), user.username);
                ctx.events.deleteUser(pool.id(), user.sub);
            });
            cursor = page.cursor();
        } while (cursor.isPresent());
    }

    private ObjectNode listClients(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String scope = "clients|" + pool.id();
        int limit = in.optionalLong("MaxResults").map(Long::intValue).orElse(60);
        Page page = PageTokens.page(
                scope, in.optionalString("NextToken"), cursor -> ctx.directory.listClients(pool.id(), limit, cursor));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("UserPoolClients");
        for (Item item : page.items()) {
            summary(pool.id(), item.key().sort()).ifPresent(list::add);
        }
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private Optional<ObjectNode> summary(String userPoolId, String clientId) {
        ClientConfig client;
        try {
            client = ctx.directory.client(userPoolId, clientId);
        } catch (dev.gatehouse.protocol.ServiceException e) {
            return Optional.empty(); // deleted between the listing and this read
        }
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("ClientId", client.clientId());
        node.put("UserPoolId", client.userPoolId());
        node.set("ClientName", client.document().get("ClientName"));
        return Optional.of(node);
    }

    ObjectNode updateClient(ModelInput in) {
        ClientConfig old = ctx.directory.client(in.string("UserPoolId"), in.string("ClientId"));
        ObjectNode before = old.document();
        ObjectNode request = in.body().deepCopy();
        request.remove("ClientId");
        request.remove("ClientSecret"); // not members of the update: a secret is neither added nor changed
        request.remove("GenerateSecret");
        if (!request.hasNonNull("ClientName")) {
            request.set("ClientName", before.get("ClientName"));
        }
        old.secret().ifPresent(secret -> request.put("ClientSecret", secret));
        ClientOAuth.checkProviders(request, providers::exists);
        ClientOAuth.checkScopes(request, servers::scopeExists);
        Instant now = ctx.now();
        ObjectNode doc = ClientConfig.create(request, old.clientId(), Optional.empty(), now)
                .document();
        JsonNode created = before.get("CreationDate");
        if (created != null) {
            doc.set("CreationDate", created);
        }
        ClientConfig updated = new ClientConfig(doc);
        ctx.directory.updateClient(updated);
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("UserPoolClient", updated.document());
        return response;
    }
}
