package dev.gatehouse.identity;

import dev.gatehouse.iam.Policy;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity-based policy of each role identity pools hand out, by role ARN: the stack definition writes the auth
 * role's policy, the gateway evaluates it for every signed request.
 *
 * <p>Table {@value #TABLE}: key ({@code <roleArn>}, {@code "policy"}), attribute {@code document} (the policy JSON as
 * written). Documents are parsed with {@link Policy#parse} before they are stored, so a policy Gatehouse cannot
 * evaluate exactly is refused when written. Reads are cached for {@code cacheTtl} (a change reaches other nodes
 * within that time; this node sees its own writes at once). Thread-safe.
 */
public final class RolePolicies {

    static final String TABLE = "identity-role-policies";
    /** How long a node serves a cached policy before reading the store again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);

    private record Cached(Optional<Policy> policy, Instant loadedAt) {}

    private final ItemStore store;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RolePolicies(ItemStore store, Clock clock) {
        this(store, clock, DEFAULT_CACHE_TTL);
    }

    RolePolicies(ItemStore store, Clock clock, Duration cacheTtl) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl cannot be null");
    }

    /**
     * Sets (or replaces) the policy of a role.
     *
     * @throws dev.gatehouse.iam.PolicyException if the document is not a policy Gatehouse can evaluate exactly
     * @throws IllegalArgumentException if {@code roleArn} is not {@code arn:aws:iam::<account>:role/<name>}
     */
    public void put(String roleArn, String document) {
        requireRoleArn(roleArn);
        Policy policy = Policy.parse(document);
        store.put(TABLE, Item.of(key(roleArn), Map.of("document", document)), Condition.none());
        cache.put(roleArn, new Cached(Optional.of(policy), clock.instant()));
    }

    /** Removes the policy of a role: requests signed with its credentials are then denied (implicitly). */
    public void remove(String roleArn) {
        store.delete(TABLE, key(roleArn), Condition.none());
        cache.remove(roleArn);
    }

    /** The parsed policy of a role; empty when none is set. */
    public Optional<Policy> find(String roleArn) {
        Cached cached = cache.get(roleArn);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.loadedAt().plus(cacheTtl))) {
            return cached.policy();
        }
        Optional<Policy> policy = document(roleArn).map(Policy::parse);
        cache.put(roleArn, new Cached(policy, now));
        return policy;
    }

    /** The policy document of a role as written; read from the store, never cached. */
    public Optional<String> document(String roleArn) {
        if (roleArn.isEmpty()) {
            return Optional.empty();
        }
        return store.get(TABLE, key(roleArn)).flatMap(item -> item.attribute("document"));
    }

    static boolean isRoleArn(String arn) {
        return arn.matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    }

    private static void requireRoleArn(String roleArn) {
        if (!isRoleArn(roleArn)) {
            throw new IllegalArgumentException("not a role ARN: " + roleArn);
        }
    }

    private static Key key(String roleArn) {
        return Key.of(roleArn, "policy");
    }
}
