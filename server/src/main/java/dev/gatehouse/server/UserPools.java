package dev.gatehouse.server;

import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.userpool.DefaultStack;
import dev.gatehouse.userpool.MessageSender;
import dev.gatehouse.userpool.TokenService;
import dev.gatehouse.userpool.UserPoolApi;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The user-pool part of the stack: the Cognito operations registered on the {@code cognito-idp} service, the default
 * pool and app client created once per data dir, and the lookup the JWKS route uses to tell pools that exist.
 */
final class UserPools {

  /** The ids of the stack's default pool and its app client. */
  record DefaultPool(String userPoolId, String clientId) {
    DefaultPool {
      Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
      Objects.requireNonNull(clientId, "clientId cannot be null");
    }
  }

  private final @Nullable DefaultPool defaultPool;
  private final Predicate<String> exists;

  private UserPools(@Nullable DefaultPool defaultPool, Predicate<String> exists) {
    this.defaultPool = defaultPool;
    this.exists = exists;
  }

  /**
   * Registers the user-pool operations on {@code cognito} and creates the default pool and client on the first start
   * of a data dir (the same ids on every later start). Blocking.
   */
  static UserPools wire(AwsJsonService cognito, ItemStore store, TokenService tokens, MessageSender messages,
      String region, String accountId, Clock clock) {
    UserPoolApi api = new UserPoolApi(store, tokens, messages, clock, region, accountId);
    DefaultStack ids = api.ensureDefaultStack();
    api.registerOn(cognito);
    // Member types from the cognito-idp model: a wrong JSON type is a SerializationException even where unused.
    cognito.setInputShapes(InputShapes.load(Objects.requireNonNull(
        UserPoolApi.class.getResource("input-shapes.json"), "userpool input-shapes.json is missing")));
    return new UserPools(new DefaultPool(ids.userPoolId(), ids.clientId()), api::poolExists);
  }

  Optional<DefaultPool> defaultPool() {
    return Optional.ofNullable(defaultPool);
  }

  /** Whether a pool with this id exists. Blocking. */
  boolean exists(String userPoolId) {
    return exists.test(userPoolId);
  }
}
