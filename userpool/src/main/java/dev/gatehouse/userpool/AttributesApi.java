package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Input;
import dev.gatehouse.protocol.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schema and attribute operations: AddCustomAttributes, AdminUpdateUserAttributes, AdminDeleteUserAttributes
 * (SigV4) and DeleteUserAttributes (access token). Rules in {@link SchemaRules} and {@link AttributeEdits}.
 */
final class AttributesApi {

    private final PoolContext ctx;
    private final Accounts accounts;

    AttributesApi(PoolContext ctx, Accounts accounts) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.accounts = Objects.requireNonNull(accounts, "accounts cannot be null");
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register("AddCustomAttributes", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("AddCustomAttributes", body);
            PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
            List<ObjectNode> added = new ArrayList<>();
            body.path("CustomAttributes").forEach(a -> added.add((ObjectNode) a));
            ctx.directory.updatePool(pool.withCustomAttributes(added, ctx.now()));
            return UserPoolApi.empty();
        });
        service.register("AdminUpdateUserAttributes", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("AdminUpdateUserAttributes", body);
            adminUpdate(in.string("UserPoolId"), in.string("Username"), attributes(body));
            return UserPoolApi.empty();
        });
        service.register("AdminDeleteUserAttributes", sigv4, (body, c) -> {
            ModelInput in = ModelInput.validate("AdminDeleteUserAttributes", body);
            PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
            User user = ctx.users.find(pool, in.string("Username")).orElseThrow(UserPoolErrors::userNotFound);
            AttributeEdits.delete(pool, user, names(body), true);
            ctx.users.update(pool, user, ctx.now(), false);
            return UserPoolApi.empty();
        });
        service.register("DeleteUserAttributes", Operation.Auth.NONE, (body, c) -> {
            ModelInput in = ModelInput.validate("DeleteUserAttributes", body);
            accounts.deleteUserAttributes(in.string("AccessToken"), names(body));
            return UserPoolApi.empty();
        });
    }

    private void adminUpdate(String userPoolId, String username, Map<String, String> changes) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        User user = ctx.users.find(pool, username).orElseThrow(UserPoolErrors::userNotFound);
        boolean unverified = AttributeEdits.update(pool, user, changes, true);
        Instant now = ctx.now();
        OneTimeCode.Issued code = null;
        if (unverified && pool.autoVerifiedAttributes().contains("email")) {
            code = OneTimeCode.issue(ctx.random, now, OneTimeCode.SIGN_UP_VALIDITY);
            user.verifyCode = code.stored();
        }
        ctx.users.update(pool, user, now, false);
        if (code != null) {
            ctx.delivery.send(
                    "UPDATE_ATTRIBUTE",
                    pool,
                    user,
                    user.email().orElseThrow(),
                    pool.emailSubject(),
                    pool.emailMessage(),
                    code.code());
        }
    }

    /** The model has checked names and values; {@link Fields#attributes} adds Cognito's reading of them. */
    private static Map<String, String> attributes(ObjectNode body) {
        Input in = Input.of(body);
        Map<String, String> attributes = Fields.attributes(in, "UserAttributes");
        in.validate();
        return attributes;
    }

    private static List<String> names(ObjectNode body) {
        List<String> names = new ArrayList<>();
        for (JsonNode name : body.path("UserAttributeNames")) {
            names.add(name.asText());
        }
        return names;
    }
}
