package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Input;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The SigV4-signed operations: pools, app clients, and administering users. */
final class AdminApi {

    private static final Operation.Auth SIGV4 = Operation.Auth.SIGV4;

    private final PoolContext ctx;
    private final Registration registration;
    private final Authentication authentication;
    private final Accounts accounts;

    private final java.util.function.BiPredicate<String, String> providerExists;
    private final java.util.function.BiPredicate<String, String> scopeExists;

    AdminApi(
            PoolContext ctx,
            Registration registration,
            Authentication authentication,
            Accounts accounts,
            java.util.function.BiPredicate<String, String> providerExists,
            java.util.function.BiPredicate<String, String> scopeExists) {
        this.providerExists = Objects.requireNonNull(providerExists, "providerExists cannot be null");
        this.scopeExists = Objects.requireNonNull(scopeExists, "scopeExists cannot be null");
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.registration = Objects.requireNonNull(registration, "registration cannot be null");
        this.authentication = Objects.requireNonNull(authentication, "authentication cannot be null");
        this.accounts = Objects.requireNonNull(accounts, "accounts cannot be null");
    }

    void registerOn(AwsJsonService service) {
        registerPools(service);
        registerUserAdmin(service);
        service.register("AdminInitiateAuth", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            String clientId = Fields.clientId(in);
            String flow = in.requiredString("AuthFlow", 1, 64);
            in.checkEnum("AuthFlow", Optional.of(flow).filter(a -> !a.isEmpty()), Authentication.AUTH_FLOWS);
            var params = in.stringMap("AuthParameters");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return authentication.initiateAuth(Optional.of(poolId), clientId, flow, params, clientMetadata);
        });
        service.register("AdminRespondToAuthChallenge", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            String clientId = Fields.clientId(in);
            String challenge = in.requiredString("ChallengeName", 1, 64);
            Optional<String> session = in.optionalString("Session", 20, 2048);
            var responses = in.stringMap("ChallengeResponses");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return authentication.respondToChallenge(
                    Optional.of(poolId), clientId, challenge, session, responses, clientMetadata);
        });
    }

    private void registerPools(AwsJsonService service) {
        service.register(
                "CreateUserPool",
                SIGV4,
                (body, c) -> wrap("UserPool", ctx.directory.createPool(body).document()));
        service.register("DescribeUserPool", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            in.validate();
            PoolConfig pool = ctx.directory.pool(poolId);
            ObjectNode doc = pool.document();
            doc.put("EstimatedNumberOfUsers", ctx.users.count(pool));
            doc.remove(List.of(MfaApi.SOFTWARE_TOKEN, MfaFactors.SMS_CONFIG, MfaFactors.EMAIL_CONFIG));
            return wrap("UserPool", doc);
        });
        service.register("ListUserPools", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            Optional<Long> max = in.optionalLong("MaxResults", 1, 60);
            if (max.isEmpty()) {
                in.addViolation("MaxResults", "Member must not be null");
            }
            Optional<String> next = in.optionalString("NextToken", 1, 65_535);
            in.validate();
            Page page;
            try {
                page = ctx.directory.listPools(max.orElse(60L).intValue(), next.map(AdminApi::unwrap));
            } catch (IllegalArgumentException | StoreException e) {
                throw UserPoolErrors.invalidParameter("Invalid pagination token.");
            }
            ObjectNode response = AwsJson.mapper().createObjectNode();
            ArrayNode pools = response.putArray("UserPools");
            for (Item item : page.items()) {
                ObjectNode doc = PoolDirectory.poolOf(item).document();
                ObjectNode summary = pools.addObject();
                summary.set("Id", doc.get("Id"));
                summary.set("Name", doc.get("Name"));
                summary.set("LambdaConfig", doc.get("LambdaConfig"));
                summary.set("LastModifiedDate", doc.get("LastModifiedDate"));
                summary.set("CreationDate", doc.get("CreationDate"));
            }
            page.cursor()
                    .ifPresent(cursor -> response.put(
                            "NextToken",
                            Base64.getUrlEncoder()
                                    .withoutPadding()
                                    .encodeToString(cursor.getBytes(StandardCharsets.UTF_8))));
            return response;
        });
        service.register("CreateUserPoolClient", SIGV4, (body, c) -> {
            ClientConfig client = ctx.directory.createClient(body, created -> {
                ClientOAuth.checkProviders(body, providerExists);
                ClientOAuth.checkScopes(body, scopeExists);
            });
            return wrap("UserPoolClient", client.document());
        });
        service.register("DescribeUserPoolClient", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            String clientId = Fields.clientId(in);
            in.validate();
            return wrap("UserPoolClient", ctx.directory.client(poolId, clientId).document());
        });
    }

    private void registerUserAdmin(AwsJsonService service) {
        service.register("AdminCreateUser", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            String username = Fields.username(in);
            var attributes = Fields.attributes(in, "UserAttributes");
            Optional<String> temporary = in.optionalString("TemporaryPassword", 0, 256);
            in.checkPattern("TemporaryPassword", temporary, Fields.PASSWORD);
            Optional<String> action = in.optionalString("MessageAction", 0, 16);
            in.checkEnum("MessageAction", action, List.of("RESEND", "SUPPRESS"));
            in.optionalBoolean("ForceAliasCreation");
            var validationData = Fields.attributes(in, "ValidationData");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return registration.adminCreateUser(
                    poolId, username, attributes, temporary, action, validationData, clientMetadata);
        });
        service.register("AdminConfirmSignUp", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            registration.adminConfirmSignUp(
                    target.poolId(), target.username(), Input.of(body).stringMap("ClientMetadata"));
            return UserPoolApi.empty();
        });
        service.register("AdminGetUser", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            return accounts.adminGetUser(target.poolId(), target.username());
        });
        service.register("AdminDeleteUser", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            accounts.adminDeleteUser(target.poolId(), target.username());
            return UserPoolApi.empty();
        });
        service.register("AdminDisableUser", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            accounts.adminSetEnabled(target.poolId(), target.username(), false);
            return UserPoolApi.empty();
        });
        service.register("AdminEnableUser", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            accounts.adminSetEnabled(target.poolId(), target.username(), true);
            return UserPoolApi.empty();
        });
        service.register("AdminUserGlobalSignOut", SIGV4, (body, c) -> {
            PoolUser target = poolUser(body);
            accounts.adminUserGlobalSignOut(target.poolId(), target.username());
            return UserPoolApi.empty();
        });
        service.register("AdminSetUserPassword", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            String username = Fields.username(in);
            String password = Fields.password(in, "Password");
            boolean permanent = in.optionalBoolean("Permanent").orElse(false);
            in.validate();
            accounts.adminSetUserPassword(poolId, username, password, permanent);
            return UserPoolApi.empty();
        });
        service.register("ListUsers", SIGV4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = Fields.userPoolId(in);
            List<String> attributes = in.stringList("AttributesToGet");
            int limit = in.optionalLong("Limit", 0, 60).orElse(60L).intValue();
            Optional<String> token = in.optionalString("PaginationToken", 1, 65_535);
            in.checkPattern("PaginationToken", token, Fields.CODE);
            String filter = in.optionalString("Filter", 0, 256).orElse("");
            in.validate();
            try {
                return accounts.listUsers(
                        poolId,
                        filter,
                        limit,
                        token,
                        body.has("AttributesToGet") ? Optional.of(attributes) : Optional.empty());
            } catch (IllegalArgumentException | StoreException e) {
                throw UserPoolErrors.invalidParameter("Invalid pagination token.");
            }
        });
    }

    /** NextToken wraps the store's cursor so it is always a token of non-blank characters. */
    private static String unwrap(String token) {
        return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    }

    private record PoolUser(String poolId, String username) {}

    private static PoolUser poolUser(ObjectNode body) {
        Input in = Input.of(body);
        String poolId = Fields.userPoolId(in);
        String username = Fields.username(in);
        in.validate();
        return new PoolUser(poolId, username);
    }

    private static ObjectNode wrap(String name, ObjectNode value) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set(name, value);
        return response;
    }
}
