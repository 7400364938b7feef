package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What the user-pool services share: the store-backed directories, crypto, clock and outbound ports. */
final class PoolContext {

    final PoolDirectory directory;
    final UserRepository users;
    final AuthSessions sessions;
    final PasswordHasher hasher;
    final TokenService tokens;
    final CodeDelivery delivery;
    final Clock clock;
    final SecureRandom random;
    final SrpServer srp;
    final SrpVerifierSealer sealer;
    final ProofGate proofs;
    final CodeBudget budgets;
    final Triggers triggers;
    final UserTriggers userTriggers;

    PoolContext(
            PoolDirectory directory,
            UserRepository users,
            AuthSessions sessions,
            CodeBudget budgets,
            ProofGate proofs,
            PasswordHasher hasher,
            TokenService tokens,
            CodeDelivery delivery,
            Clock clock,
            SecureRandom random,
            SrpKeys srpKeys,
            Triggers triggers) {
        this.directory = Objects.requireNonNull(directory, "directory cannot be null");
        this.users = Objects.requireNonNull(users, "users cannot be null");
        this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
        this.budgets = Objects.requireNonNull(budgets, "budgets cannot be null");
        this.proofs = Objects.requireNonNull(proofs, "proofs cannot be null");
        this.hasher = Objects.requireNonNull(hasher, "hasher cannot be null");
        this.tokens = Objects.requireNonNull(tokens, "tokens cannot be null");
        this.delivery = Objects.requireNonNull(delivery, "delivery cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
        Objects.requireNonNull(srpKeys, "srpKeys cannot be null");
        this.srp = new SrpServer(clock, random, srpKeys.fakeVerifierKey());
        this.sealer = new SrpVerifierSealer(srpKeys.sealingKey());
        this.triggers = Objects.requireNonNull(triggers, "triggers cannot be null");
        this.userTriggers = new UserTriggers(triggers);
    }

    /**
     * Sets the user's password: its hash for password sign-in and a new salt and SRP verifier, sealed, for
     * {@code USER_SRP_AUTH}. Call on every password change or reset; the caller saves the user.
     */
    void setPassword(PoolConfig pool, User user, String password) {
        user.passwordHash = hasher.hash(password);
        SrpVerifier verifier = srp.newVerifier(SrpServer.poolName(pool.id()), user.username, password);
        user.srpVerifier = sealer.seal(pool.id(), user.username, verifier);
    }

    /** The user's SRP verifier; empty when the user has none or it cannot be opened (then SRP fails as a wrong password). */
    Optional<SrpVerifier> srpVerifier(User user) {
        String sealed = user.srpVerifier;
        if (sealed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(sealer.open(user.userPoolId, user.username, sealed));
        } catch (IllegalStateException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Checks {@code SecretHash} = Base64(HMAC-SHA256(client secret, username + client id)) for a client with a secret;
     * a client without one must not be sent one (aws-wire.md A.3.0).
     */
    static void checkSecretHash(ClientConfig client, Optional<String> presented, String... usernames) {
        Optional<String> secret = client.secret();
        if (secret.isEmpty()) {
            if (presented.isPresent()) {
                throw UserPoolErrors.invalidParameter("App client " + client.clientId()
                        + " is not configured for secret but secret hash was received");
            }
            return;
        }
        if (presented.isEmpty()) {
            throw UserPoolErrors.notAuthorized(
                    "Client " + client.clientId() + " is configured for secret but secret was not received");
        }
        byte[] given = presented.get().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String username : usernames) {
            byte[] expected =
                    secretHash(secret.get(), username, client.clientId()).getBytes(StandardCharsets.UTF_8);
            match |= MessageDigest.isEqual(expected, given);
        }
        if (!match) {
            throw UserPoolErrors.notAuthorized("Unable to verify secret hash for client " + client.clientId());
        }
    }

    /**
     * Checks a presented code against the user's pending code of that kind, charging the attempt before comparing, so
     * that parallel guesses cannot exceed the limit. Returns the saved copy of the user for the caller to continue
     * from (and to clear the code in) on a match; throws CodeMismatch, ExpiredCode or LimitExceeded otherwise.
     */
    User useCode(PoolConfig pool, User user, User.CodeKind kind, String presented, Instant now) {
        OneTimeCode stored = user.code(kind);
        if (stored == null) {
            throw UserPoolErrors.expiredCode();
        }
        switch (stored.check(presented, now)) {
            case EXPIRED -> throw UserPoolErrors.expiredCode();
            case EXHAUSTED -> throw UserPoolErrors.limitExceeded();
            default -> {}
        }
        User saved = users.modify(pool, user, now, u -> {
            OneTimeCode current = u.code(kind);
            // A code resent meanwhile is a new code: the guess was against the old one and charges nothing.
            if (current != null && current.salt().equals(stored.salt())) {
                u.setCode(kind, current.withFailedAttempt());
            }
        });
        OneTimeCode charged = saved.code(kind);
        if (charged == null || !charged.salt().equals(stored.salt())) {
            throw UserPoolErrors.expiredCode();
        }
        if (charged.attempts() > OneTimeCode.MAX_ATTEMPTS) {
            throw UserPoolErrors.limitExceeded();
        }
        if (stored.check(presented, now) != OneTimeCode.Check.MATCH) {
            throw UserPoolErrors.codeMismatch();
        }
        return saved;
    }

    static String secretHash(String secret, String username, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /**
     * Checks attribute names against the pool's schema: unknown ones fail with Cognito's schema message, and
     * {@code sub} can never be written.
     */
    static void checkAttributes(PoolConfig pool, Map<String, String> attributes) {
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            if ("sub".equals(name)) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
            if (!pool.hasAttribute(name)) {
                throw UserPoolErrors.invalidParameter("Attributes did not conform to the schema: " + name
                        + ": Attribute does not exist in the schema.\n");
            }
            if (attribute.getValue().length() > 2048) {
                throw UserPoolErrors.invalidParameter("Attributes did not conform to the schema: " + name
                        + ": String must be no longer than 2048 characters\n");
            }
        }
    }

    /** The {@code [{"Name":…,"Value":…}]} list. */
    static ArrayNode attributeList(Map<String, String> attributes) {
        ArrayNode list = AwsJson.mapper().createArrayNode();
        attributes.forEach((name, value) -> list.addObject().put("Name", name).put("Value", value));
        return list;
    }

    /** {@code UserType}: attributes under {@code Attributes}, as AdminCreateUser and ListUsers return it. */
    static ObjectNode userType(User user, Optional<java.util.List<String>> only) {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("Username", user.username);
        Map<String, String> attributes = new java.util.LinkedHashMap<>(user.attributes);
        only.ifPresent(names -> attributes.keySet().retainAll(names));
        node.set("Attributes", attributeList(attributes));
        node.put("UserCreateDate", PoolConfig.epoch(user.created));
        node.put("UserLastModifiedDate", PoolConfig.epoch(user.modified));
        node.put("Enabled", user.enabled);
        node.put("UserStatus", user.status.name());
        return node;
    }

    /** {@code {"ChallengeParameters":{},"AuthenticationResult":{…}}} */
    static ObjectNode authenticationResult(IssuedTokens tokens) {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.putObject("ChallengeParameters");
        ObjectNode result = node.putObject("AuthenticationResult");
        result.put("AccessToken", tokens.accessToken());
        result.put("ExpiresIn", tokens.expiresIn());
        result.put("TokenType", "Bearer");
        tokens.refresh().ifPresent(r -> result.put("RefreshToken", r));
        result.put("IdToken", tokens.idToken());
        return node;
    }
}
