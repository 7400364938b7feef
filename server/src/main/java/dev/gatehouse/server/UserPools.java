package dev.gatehouse.server;

import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.userpool.LambdaTriggers;
import dev.gatehouse.userpool.MessageSender;
import dev.gatehouse.userpool.TokenService;
import dev.gatehouse.userpool.UserPoolApi;
import java.time.Clock;
import java.util.Objects;

/**
 * The user-pool part of the server: the Cognito operations registered on the {@code cognito-idp} service, the API
 * the stack's pools and clients are created through, and the lookup the JWKS route uses to tell pools that exist.
 */
final class UserPools {

    private final UserPoolApi api;

    private UserPools(UserPoolApi api) {
        this.api = api;
    }

    /**
     * Registers the user-pool operations on {@code cognito}, the pools' triggers invoked through {@code triggers}.
     * Blocking (it reads the SRP keys).
     */
    static UserPools wire(
            AwsJsonService cognito,
            ItemStore store,
            TokenService tokens,
            MessageSender messages,
            String region,
            String accountId,
            Clock clock,
            LambdaTriggers triggers) {
        UserPoolApi api = new UserPoolApi(store, tokens, messages, clock, region, accountId, triggers);
        api.registerOn(cognito);
        // Member types from the cognito-idp model: a wrong JSON type is a SerializationException even where unused.
        cognito.setInputShapes(InputShapes.load(Objects.requireNonNull(
                UserPoolApi.class.getResource("input-shapes.json"), "userpool input-shapes.json is missing")));
        return new UserPools(api);
    }

    /** Where the stack's pools and clients are created. */
    UserPoolApi api() {
        return api;
    }

    /** Whether a pool with this id exists. Blocking. */
    boolean exists(String userPoolId) {
        return api.poolExists(userPoolId);
    }
}
