package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Session} of a pending challenge, in table {@value #TABLE}: a random 256-bit handle bound to pool, client,
 * user and challenge, expiring with the client's AuthSessionValidity, usable once.
 */
final class AuthSessions {

    static final String TABLE = "userpool-auth-sessions";
    /** What {@link #start} makes: 32 random bytes in unpadded base64url. */
    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final String STATE_PREFIX = "state.";

    private final ItemStore store;
    private final SecureRandom random;

    /**
     * A pending challenge.
     *
     * @param state what the challenge keeps between the steps (such as the sealed SRP challenge), by name
     */
    record Pending(
            String id,
            String userPoolId,
            String clientId,
            String username,
            String challenge,
            Map<String, String> state) {

        Optional<String> state(String name) {
            return Optional.ofNullable(state.get(name));
        }
    }

    AuthSessions(ItemStore store, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
    }

    String start(
            String userPoolId, String clientId, String username, String challenge, Instant now, Duration validity) {
        return start(userPoolId, clientId, username, challenge, now, validity, Map.of());
    }

    /** A new session that also keeps {@code state} (names other than pool, client, username and challenge). */
    String start(
            String userPoolId,
            String clientId,
            String username,
            String challenge,
            Instant now,
            Duration validity,
            Map<String, String> state) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        start(id, userPoolId, clientId, username, challenge, now, validity, state);
        return id;
    }

    /**
     * The session id of a {@code PASSWORD_VERIFIER} challenge: its {@code SECRET_BLOCK} (32 random bytes, sent in the
     * same response as the session) in base64url. An answer without {@code Session}, as pycognito sends it, finds its
     * challenge by the {@code PASSWORD_CLAIM_SECRET_BLOCK} it echoes; the session stays single use, bound and expiring.
     * Empty when the block is not base64 of 32 bytes.
     */
    static Optional<String> idForSecretBlock(String secretBlock) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secretBlock);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return bytes.length == 32
                ? Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
                : Optional.empty();
    }

    /** Stores a new session under {@code id} (from {@link #idForSecretBlock}); an id already used fails. */
    void start(
            String id,
            String userPoolId,
            String clientId,
            String username,
            String challenge,
            Instant now,
            Duration validity,
            Map<String, String> state) {
        if (!SESSION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a session id");
        }
        Map<String, String> attributes = new HashMap<>();
        state.forEach((name, value) -> attributes.put(STATE_PREFIX + name, value));
        attributes.put("pool", userPoolId);
        attributes.put("client", clientId);
        attributes.put("username", username);
        attributes.put("challenge", challenge);
        store.put(TABLE, new Item(Key.of(id, "session"), attributes, now.plus(validity)), Condition.notExists());
    }

    /**
     * The live session for this pool, client and challenge, or {@code NotAuthorizedException}. Reading does not use
     * it up; {@link #consume} does.
     */
    Pending open(String id, String userPoolId, String clientId, String challenge) {
        Pending pending = openAny(id, challenge);
        if (!pending.userPoolId().equals(userPoolId) || !pending.clientId().equals(clientId)) {
            throw invalid();
        }
        return pending;
    }

    /**
     * The live session of this challenge, whatever its pool and client (for operations such as
     * AssociateSoftwareToken that name neither), or {@code NotAuthorizedException}.
     */
    Pending openAny(String id, String challenge) {
        if (!SESSION_ID.matcher(id).matches()) {
            throw invalid();
        }
        Item item = store.get(TABLE, Key.of(id, "session")).orElseThrow(AuthSessions::invalid);
        Map<String, String> state = new HashMap<>();
        item.attributes().forEach((name, value) -> {
            if (name.startsWith(STATE_PREFIX)) {
                state.put(name.substring(STATE_PREFIX.length()), value);
            }
        });
        Pending pending = new Pending(
                id,
                item.attribute("pool").orElse(""),
                item.attribute("client").orElse(""),
                item.attribute("username").orElse(""),
                item.attribute("challenge").orElse(""),
                Map.copyOf(state));
        if (!pending.challenge().equals(challenge)) {
            throw invalid();
        }
        return pending;
    }

    /** Uses the session up; a second use fails with {@code NotAuthorizedException}. */
    void consume(Pending pending) {
        try {
            store.delete(TABLE, Key.of(pending.id(), "session"), Condition.exists());
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.notAuthorized("Invalid session for the user, session can only be used once.");
        }
    }

    private static RuntimeException invalid() {
        return UserPoolErrors.notAuthorized("Invalid session for the user, session is expired.");
    }
}
