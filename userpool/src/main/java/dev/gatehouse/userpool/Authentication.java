package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sign-in: InitiateAuth and AdminInitiateAuth (password and refresh flows), the NEW_PASSWORD_REQUIRED challenge, and
 * RevokeToken. Fail closed: a flow runs only when the endpoint accepts it, the client enables it, and it is
 * implemented; SRP and custom flows are not implemented yet.
 */
final class Authentication {

  static final String NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED";
  static final List<String> AUTH_FLOWS = List.of("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN",
      "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH");
  private static final Set<String> USER_FLOWS = Set.of("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN",
      "CUSTOM_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH");
  private static final Set<String> ADMIN_FLOWS = Set.of("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN",
      "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH");

  private final PoolContext ctx;

  Authentication(PoolContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
  }

  /** InitiateAuth ({@code userPoolId} empty) or AdminInitiateAuth. */
  ObjectNode initiateAuth(Optional<String> userPoolId, String clientId, String flow, Map<String, String> params) {
    boolean admin = userPoolId.isPresent();
    ClientConfig client = admin ? ctx.directory.client(userPoolId.get(), clientId) : ctx.directory.client(clientId);
    PoolConfig pool = ctx.directory.pool(client.userPoolId());
    if (!(admin ? ADMIN_FLOWS : USER_FLOWS).contains(flow)) {
      throw UserPoolErrors.invalidParameter("Initiate Auth method not supported.");
    }
    if (!client.allows(flow)) {
      throw UserPoolErrors.invalidParameter(flow + " flow not enabled for this client");
    }
    return switch (flow) {
      case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH" -> passwordAuth(pool, client, params);
      case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" -> refresh(pool, client, params);
      default -> throw UserPoolErrors.invalidParameter("Initiate Auth method not supported.");
    };
  }

  private ObjectNode passwordAuth(PoolConfig pool, ClientConfig client, Map<String, String> params) {
    String username = required(params, "USERNAME");
    String password = required(params, "PASSWORD");
    if (username.length() > 128 || password.length() > 256) {
      throw UserPoolErrors.invalidParameter("USERNAME or PASSWORD is longer than the service allows.");
    }
    PoolContext.checkSecretHash(client, Optional.ofNullable(params.get("SECRET_HASH")), username);
    boolean hide = client.preventUserExistenceErrors();
    Optional<User> found = ctx.users.find(pool, username);
    if (found.isEmpty()) {
      ctx.hasher.verifyDummy(password);
      throw hide ? UserPoolErrors.incorrectCredentials() : UserPoolErrors.userNotFound();
    }
    User user = found.get();
    Instant now = ctx.now();
    if (!user.enabled) {
      if (hide && !passwordMatches(user, password)) {
        throw UserPoolErrors.incorrectCredentials();
      }
      throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
    }
    if (SignInThrottle.lockedOut(user, now)) {
      ctx.users.modify(pool, user, now, u -> SignInThrottle.recordLockedAttempt(u, now));
      throw UserPoolErrors.notAuthorized(UserPoolErrors.PASSWORD_ATTEMPTS_EXCEEDED);
    }
    if (User.UNCONFIRMED.equals(user.status) && !hide) {
      throw UserPoolErrors.userNotConfirmed();
    }
    if (!passwordMatches(user, password)) {
      // Every failure counts, also when parallel attempts race to save the counter.
      ctx.users.modify(pool, user, now, u -> {
        SignInThrottle.lockedOut(u, now);
        SignInThrottle.recordFailure(u, now);
      });
      throw UserPoolErrors.incorrectCredentials();
    }
    if (SignInThrottle.recordSuccess(user, now)) {
      ctx.users.update(pool, user, now, false);
    }
    switch (user.status) {
      case User.UNCONFIRMED -> throw UserPoolErrors.userNotConfirmed();
      case User.RESET_REQUIRED -> throw UserPoolErrors.error(UserPoolErrors.PASSWORD_RESET_REQUIRED,
          "Password reset required for the user");
      case User.FORCE_CHANGE_PASSWORD -> {
        return newPasswordChallenge(pool, client, user, now);
      }
      default -> {
        return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
      }
    }
  }

  private ObjectNode newPasswordChallenge(PoolConfig pool, ClientConfig client, User user, Instant now) {
    Instant expires = user.passwordExpiresAt;
    if (expires != null && !expires.isAfter(now)) {
      throw UserPoolErrors.notAuthorized("Temporary password has expired and must be reset by an administrator.");
    }
    String session = ctx.sessions.start(pool.id(), client.clientId(), user.username, NEW_PASSWORD_REQUIRED, now,
        client.authSessionValidity());
    ObjectNode response = AwsJson.mapper().createObjectNode();
    response.put("ChallengeName", NEW_PASSWORD_REQUIRED);
    response.put("Session", session);
    ObjectNode parameters = response.putObject("ChallengeParameters");
    parameters.put("USER_ID_FOR_SRP", user.username);
    ArrayNode required = AwsJson.mapper().createArrayNode();
    pool.requiredAttributes().stream().filter(a -> !user.attributes.containsKey(a))
        .forEach(a -> required.add("userAttributes." + a));
    ObjectNode attributes = AwsJson.mapper().createObjectNode();
    user.attributes.forEach((name, value) -> {
      if (!"sub".equals(name)) {
        attributes.put(name, value);
      }
    });
    parameters.put("requiredAttributes", PoolDirectory.write(required));
    parameters.put("userAttributes", PoolDirectory.write(attributes));
    return response;
  }

  private ObjectNode refresh(PoolConfig pool, ClientConfig client, Map<String, String> params) {
    String token = required(params, "REFRESH_TOKEN");
    RefreshGrant grant = ctx.tokens.openRefreshToken(token, pool.id(), client.clientId());
    PoolContext.checkSecretHash(client, Optional.ofNullable(params.get("SECRET_HASH")), grant.username(),
        params.getOrDefault("USERNAME", grant.username()));
    User user = ctx.users.findByUsername(pool, grant.username())
        .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
    if (!user.enabled) {
      throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
    }
    return PoolContext.authenticationResult(ctx.tokens.reissue(user.tokenSubject(), client.tokenClient(), grant));
  }

  /** RespondToAuthChallenge ({@code userPoolId} empty) or AdminRespondToAuthChallenge. */
  ObjectNode respondToChallenge(Optional<String> userPoolId, String clientId, String challenge,
      Optional<String> sessionId, Map<String, String> responses) {
    ClientConfig client = userPoolId.isPresent() ? ctx.directory.client(userPoolId.get(), clientId)
        : ctx.directory.client(clientId);
    PoolConfig pool = ctx.directory.pool(client.userPoolId());
    if (!NEW_PASSWORD_REQUIRED.equals(challenge)) {
      throw UserPoolErrors.invalidParameter("Challenge " + challenge + " is not supported.");
    }
    String username = required(responses, "USERNAME");
    String password = required(responses, "NEW_PASSWORD");
    String session = sessionId.orElseThrow(() -> UserPoolErrors.invalidParameter("Missing required parameter Session"));
    PoolContext.checkSecretHash(client, Optional.ofNullable(responses.get("SECRET_HASH")), username);
    AuthSessions.Pending pending = ctx.sessions.open(session, pool.id(), client.clientId(), NEW_PASSWORD_REQUIRED);
    User user = ctx.users.find(pool, username)
        .filter(u -> u.username.equals(pending.username()) && User.FORCE_CHANGE_PASSWORD.equals(u.status))
        .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid session for the user."));
    if (!user.enabled) {
      throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
    }
    pool.passwordPolicy().check(password);
    Map<String, String> attributes = new LinkedHashMap<>();
    responses.forEach((name, value) -> {
      if (name.startsWith("userAttributes.")) {
        attributes.put(name.substring("userAttributes.".length()), value);
      }
    });
    PoolContext.checkAttributes(pool, attributes);
    for (String name : attributes.keySet()) {
      if (name.endsWith("_verified") || (!pool.isMutable(name) && user.attributes.containsKey(name))) {
        throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
      }
    }
    for (String name : pool.requiredAttributes()) {
      if (!user.attributes.containsKey(name) && !attributes.containsKey(name)) {
        throw UserPoolErrors.invalidParameter("Invalid attributes given, " + name + " is missing");
      }
    }
    ctx.sessions.consume(pending);
    Instant now = ctx.now();
    user.attributes.putAll(attributes);
    user.passwordHash = ctx.hasher.hash(password);
    user.passwordExpiresAt = null;
    user.status = User.CONFIRMED;
    ctx.users.update(pool, user, now, false);
    return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
  }

  /** RevokeToken: ends the refresh token's session; the client authenticates with its secret when it has one. */
  void revokeToken(String token, String clientId, Optional<String> clientSecret) {
    ClientConfig client = ctx.directory.client(clientId);
    Optional<String> secret = client.secret();
    if (secret.isPresent() && (clientSecret.isEmpty() || !MessageDigest.isEqual(
        secret.get().getBytes(StandardCharsets.UTF_8), clientSecret.get().getBytes(StandardCharsets.UTF_8)))) {
      throw UserPoolErrors.error(UserPoolErrors.UNAUTHORIZED, "Invalid client secret.");
    }
    if (!client.tokenRevocationEnabled()) {
      throw UserPoolErrors.error(UserPoolErrors.UNSUPPORTED_OPERATION,
          "Token revocation is not enabled for this client.");
    }
    if (token.chars().filter(c -> c == '.').count() != 4) {
      throw UserPoolErrors.error(UserPoolErrors.UNSUPPORTED_TOKEN_TYPE, "Unsupported token type.");
    }
    ctx.tokens.revoke(token, client.userPoolId(), clientId);
  }

  private boolean passwordMatches(User user, String password) {
    String hash = user.passwordHash;
    if (hash == null) {
      ctx.hasher.verifyDummy(password);
      return false;
    }
    return ctx.hasher.verify(password, hash);
  }

  private static String required(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw UserPoolErrors.invalidParameter("Missing required parameter " + name);
    }
    return value;
  }
}
