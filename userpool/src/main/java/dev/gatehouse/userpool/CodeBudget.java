package dev.gatehouse.userpool;

import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One rolling budget per user and kind of code (password reset, sign-up confirmation, attribute verification) that
 * every request for a code and every code entered spends, whatever code it concerns: a new code never refills it.
 * Cognito's developer guide: "In a given hour, we allow between 5 and 20 attempts for a user to request or enter a
 * password reset code", then {@code LimitExceededException}; we allow {@value #ATTEMPTS} in any rolling
 * {@link #WINDOW} (docs/decisions.md).
 *
 * <p>Kept in table {@value #TABLE}: ({@code <pool>#<KIND>}, subject) holds the times of the attempts still in the
 * window and a version, and expires with the newest attempt's window. The subject is the user's internal username, or
 * for an unknown user whose client hides existence the name asked for, so that an unknown name meets the limit just
 * as a real user does. Every charge is a conditional write on the version, so attempts on nodes sharing the store
 * never exceed the budget; one node also charges one subject at a time, so its own parallel attempts do not conflict.
 */
final class CodeBudget {

    static final String TABLE = "userpool-code-budgets";
    static final int ATTEMPTS = 10;
    static final Duration WINDOW = Duration.ofHours(1);
    /** Another node's charge between our read and our write; retried, a few times only. */
    private static final int MAX_CONFLICTS = 10;

    private final ItemStore store;
    private final ProofGate gate;

    CodeBudget(ItemStore store, ProofGate gate) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.gate = Objects.requireNonNull(gate, "gate cannot be null");
    }

    /** Spends one attempt, or throws {@code LimitExceededException} when the window's budget is spent. */
    void charge(PoolConfig pool, User.CodeKind kind, String subject, Instant now) {
        charge(pool, kind, subject, now, true);
    }

    /** Spends one attempt even past the budget: for sends that must happen (sign-up's first code). */
    void record(PoolConfig pool, User.CodeKind kind, String subject, Instant now) {
        charge(pool, kind, subject, now, false);
    }

    private void charge(PoolConfig pool, User.CodeKind kind, String subject, Instant now, boolean enforce) {
        String normalized = pool.normalize(subject);
        Key key = Key.of(pool.id() + "#" + kind.name(), normalized);
        gate.oneAtATime(pool.id(), "code-budget\u0000" + kind.name() + "\u0000" + normalized, () -> {
            for (int conflicts = 0; ; conflicts++) {
                try {
                    spend(key, now, enforce);
                    return null;
                } catch (ConditionFailedException e) {
                    if (conflicts == MAX_CONFLICTS) {
                        throw new ServiceException(CommonErrors.tooManyRequests());
                    }
                }
            }
        });
    }

    private void spend(Key key, Instant now, boolean enforce) {
        Optional<Item> stored = store.get(TABLE, key);
        // An attempt exactly WINDOW old no longer counts.
        long oldest = now.minus(WINDOW).toEpochMilli();
        List<Long> recent = new ArrayList<>(
                stored.flatMap(i -> i.attribute("attempts")).map(CodeBudget::times).orElse(List.of()).stream()
                        .filter(t -> t > oldest)
                        .sorted()
                        .toList());
        if (enforce && recent.size() >= ATTEMPTS) {
            throw UserPoolErrors.limitExceeded();
        }
        recent.add(now.toEpochMilli());
        List<Long> kept = recent.subList(Math.max(0, recent.size() - ATTEMPTS), recent.size());
        String version = stored.flatMap(i -> i.attribute("version")).orElse("0");
        Map<String, String> attributes = Map.of(
                "attempts",
                kept.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "version",
                Long.toString(Long.parseLong(version) + 1));
        store.put(
                TABLE,
                Item.expiring(key, attributes, now.plus(WINDOW)),
                stored.isPresent() ? Condition.attributeEquals("version", version) : Condition.notExists());
    }

    /**
     * Saves a code issued for an unknown name (never sent, never checked), so that a pretended send costs the store
     * what a real one does: the read that finds an email-as-username pool's user by its alias, and a write conditional
     * on the version read, as a user's save is. It expires with the code.
     */
    void decoy(PoolConfig pool, User.CodeKind kind, String subject, OneTimeCode code, Instant now) {
        Key key = Key.of(pool.id() + "#" + kind.name() + "#decoy", pool.normalize(subject));
        Optional<String> version = store.get(TABLE, key).flatMap(item -> item.attribute("version"));
        Map<String, String> attributes = Map.of(
                "code",
                code.encode(),
                "modified",
                Long.toString(now.toEpochMilli()),
                "version",
                Long.toString(Long.parseLong(version.orElse("0")) + 1));
        try {
            store.put(
                    TABLE,
                    Item.expiring(key, attributes, code.expiresAt()),
                    version.map(v -> Condition.attributeEquals("version", v)).orElseGet(Condition::notExists));
        } catch (ConditionFailedException e) {
            // the same unknown name asked twice at once: one decoy is enough
        }
    }

    private static List<Long> times(String joined) {
        if (joined.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(joined.split(",")).map(Long::parseLong).toList();
    }
}
