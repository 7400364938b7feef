package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user event history of pools with threat protection ({@code UserPoolAddOns.AdvancedSecurityMode} {@code AUDIT}
 * or {@code ENFORCED}), for AdminListUserAuthEvents and AdminUpdateAuthEventFeedback.
 *
 * <p>Table {@value #TABLE}: partition {@code <userPoolId>#<sub>}, sort key {@code <inverted epoch millis>#<eventId>}
 * (newest first), attribute {@code event} (the AuthEventType JSON), expiring after {@link #RETENTION}; at most
 * {@value #KEPT_PER_USER} events per user are kept, older ones are trimmed after each new one.
 *
 * <p>Recording costs the request nothing it waits for: the one put (and the trim) run on {@code writes}, a single
 * background thread in a server, so a sign-in is as fast, and an unknown user as fast as a known one, with threat
 * protection on or off. An event can be lost if the process stops before its write. No risk is assessed: every event
 * says {@code NoRisk} and ENFORCED blocks nothing. Pools without threat protection record nothing.
 */
final class AuthEvents {

    static final String TABLE = "userpool-auth-events";
    /** Events kept per user; older ones are deleted. */
    static final int KEPT_PER_USER = 50;
    /** How long an event is kept at most. */
    static final Duration RETENTION = Duration.ofDays(90);

    private static final Logger LOG = LoggerFactory.getLogger(AuthEvents.class);

    /** The steps a sign-in event reports, with Cognito's names (ChallengeName: Password, Mfa). */
    enum Outcome {
        PASS("Pass", "Success"),
        FAIL("Fail", "Failure"),
        IN_PROGRESS("InProgress", "Success");

        final String response;
        final String password;

        Outcome(String response, String password) {
            this.response = response;
            this.password = password;
        }
    }

    private final ItemStore store;
    private final Executor writes;

    AuthEvents(ItemStore store, Executor writes) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.writes = Objects.requireNonNull(writes, "writes cannot be null");
    }

    /** One daemon thread with a bounded queue; when it is full the event is dropped (and logged), never waited for. */
    static Executor background() {
        return CodeDelivery.singleThread(
                "gatehouse-auth-events",
                4096,
                (r, executor) -> LOG.warn("auth event dropped: the event queue is full"));
    }

    /** Whether the pool records events: threat protection in AUDIT or ENFORCED mode. */
    static boolean active(PoolConfig pool) {
        String mode = pool.document()
                .path("UserPoolAddOns")
                .path("AdvancedSecurityMode")
                .asText("OFF");
        return "AUDIT".equals(mode) || "ENFORCED".equals(mode);
    }

    /**
     * Runs a sign-in and records it: {@code Pass} when it returned tokens, {@code InProgress} when it returned a
     * challenge (the password was right), {@code Fail} when it threw; the answer or exception is passed on unchanged.
     */
    ObjectNode signIn(PoolConfig pool, User user, Instant now, Supplier<ObjectNode> signIn) {
        if (!active(pool)) {
            return signIn.get();
        }
        ObjectNode answer;
        try {
            answer = signIn.get();
        } catch (ServiceException e) {
            record(pool, user, "SignIn", Outcome.FAIL, now);
            throw e;
        }
        record(pool, user, "SignIn", answer.has("AuthenticationResult") ? Outcome.PASS : Outcome.IN_PROGRESS, now);
        return answer;
    }

    /** Records an event of {@code type} (SignUp, ForgotPassword, PasswordChange, ResendCode) that succeeded. */
    void passed(PoolConfig pool, User user, String type, Instant now) {
        if (active(pool)) {
            record(pool, user, type, Outcome.PASS, now);
        }
    }

    private void record(PoolConfig pool, User user, String type, Outcome outcome, Instant now) {
        String eventId = UUID.randomUUID().toString();
        ObjectNode event = AwsJson.mapper().createObjectNode();
        event.put("EventId", eventId);
        event.put("EventType", type);
        event.put("CreationDate", PoolConfig.epoch(now));
        event.put("EventResponse", outcome.response);
        event.putObject("EventRisk").put("RiskDecision", "NoRisk").put("CompromisedCredentialsDetected", false);
        ArrayNode challenges = event.putArray("ChallengeResponses");
        if ("SignIn".equals(type)) {
            challenges.addObject().put("ChallengeName", "Password").put("ChallengeResponse", outcome.password);
        }
        String partition = partition(pool.id(), user.sub);
        Item item = Item.expiring(
                Key.of(partition, sortKey(now, eventId)), Map.of("event", event.toString()), now.plus(RETENTION));
        try {
            writes.execute(() -> write(partition, item));
        } catch (RejectedExecutionException e) {
            LOG.warn("auth event dropped: {}", e.getMessage());
        }
    }

    private void write(String partition, Item item) {
        try {
            store.put(TABLE, item, Condition.none());
            trim(partition);
        } catch (RuntimeException e) {
            LOG.warn("auth event not recorded", e);
        }
    }

    /** Deletes the user's events beyond the newest {@value #KEPT_PER_USER}. */
    private void trim(String partition) {
        Optional<String> cursor = store.query(TABLE, Query.partition(partition).withLimit(KEPT_PER_USER))
                .cursor();
        while (cursor.isPresent()) {
            Page older =
                    store.query(TABLE, Query.partition(partition).withLimit(100).after(cursor.get()));
            older.items().forEach(i -> store.delete(TABLE, i.key(), Condition.none()));
            cursor = older.cursor();
        }
    }

    /** One page of the user's events, newest first. */
    ObjectNode list(PoolConfig pool, User user, int limit, Optional<String> nextToken) {
        String partition = partition(pool.id(), user.sub);
        String scope = "events|" + partition;
        Page page = PageTokens.page(
                scope,
                nextToken,
                cursor -> store.query(
                        TABLE, Query.partition(partition).withLimit(limit).after(cursor.orElse(null))));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode events = response.putArray("AuthEvents");
        page.items().forEach(item -> events.add(event(item)));
        PageTokens.putNext(response, scope, page);
        return response;
    }

    /** Sets the feedback of one of the user's events; false when the user has no such event. */
    boolean feedback(PoolConfig pool, User user, String eventId, String value, String provider, Instant now) {
        String partition = partition(pool.id(), user.sub);
        Optional<String> cursor = Optional.empty();
        do {
            Page page =
                    store.query(TABLE, Query.partition(partition).withLimit(100).after(cursor.orElse(null)));
            for (Item item : page.items()) {
                if (item.key().sort().endsWith("#" + eventId)) {
                    ObjectNode event = event(item);
                    event.putObject("EventFeedback")
                            .put("FeedbackValue", value)
                            .put("Provider", provider)
                            .put("FeedbackDate", PoolConfig.epoch(now));
                    try {
                        store.put(
                                TABLE,
                                new Item(item.key(), Map.of("event", event.toString()), item.expiresAt()),
                                Condition.exists());
                        return true;
                    } catch (ConditionFailedException e) {
                        return false; // trimmed or expired since it was read
                    }
                }
            }
            cursor = page.cursor();
        } while (cursor.isPresent());
        return false;
    }

    /** Deletes a deleted user's events (DeleteUser, AdminDeleteUser) in the background, as they are written. */
    void forget(PoolConfig pool, User user) {
        try {
            writes.execute(() -> {
                try {
                    deleteUser(pool.id(), user.sub);
                } catch (RuntimeException e) {
                    LOG.warn("auth events of a deleted user not deleted (they expire)", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("auth events of a deleted user left to expire: {}", e.getMessage());
        }
    }

    /** Deletes the user's events now (DeleteUserPool). */
    void deleteUser(String userPoolId, String sub) {
        String partition = partition(userPoolId, sub);
        Optional<String> cursor = Optional.empty();
        do {
            Page page =
                    store.query(TABLE, Query.partition(partition).withLimit(100).after(cursor.orElse(null)));
            page.items().forEach(i -> store.delete(TABLE, i.key(), Condition.none()));
            cursor = page.cursor();
        } while (cursor.isPresent());
    }

    private static ObjectNode event(Item item) {
        try {
            JsonNode node = AwsJson.mapper().readTree(item.attribute("event").orElse("{}"));
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // fall through
        }
        throw new IllegalStateException("unreadable auth event " + item.key());
    }

    private static String partition(String userPoolId, String sub) {
        return userPoolId + "#" + sub;
    }

    /** Newest first in the store's ascending order: the inverted time, zero-padded to a fixed width. */
    private static String sortKey(Instant now, String eventId) {
        return String.format(Locale.ROOT, "%019d", Long.MAX_VALUE - now.toEpochMilli()) + "#" + eventId;
    }

    /** The threat-protection check of AdminListUserAuthEvents and AdminUpdateAuthEventFeedback. */
    static void requireActive(PoolConfig pool) {
        if (!active(pool)) {
            throw UserPoolErrors.error(
                    "UserPoolAddOnNotEnabledException", "Threat protection is not active for this user pool.");
        }
    }
}
