package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Write;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Users in table {@value #TABLE}, every lookup by key:
 * <ul>
 *   <li>({@code <pool>#user}, username key): the user; the username key is the username, lower-cased in a
 *       case-insensitive pool;</li>
 *   <li>({@code <pool>#alias}, {@code <attr>#<value>}): which user signs in with an email, phone or preferred
 *       username;</li>
 *   <li>({@code <pool>#sub}, sub): the user of a {@code sub};</li>
 *   <li>({@code <pool>#idx#<attr>}, {@code <value>\u0001<username key>}): ListUsers' filter index, one partition per
 *       searchable attribute, values lower-cased except {@code status}.</li>
 * </ul>
 * All of a user's items change in one {@link ItemStore#transact} batch, guarded by the user's version, so uniqueness
 * and the index hold across nodes.
 */
final class UserRepository {

    static final String TABLE = "userpool-users";
    static final char SEPARATOR = '\u0001';
    /** Attributes ListUsers can filter on besides {@code username}. */
    static final List<String> SEARCHABLE = List.of(
            "email",
            "phone_number",
            "name",
            "given_name",
            "family_name",
            "preferred_username",
            "cognito:user_status",
            "status",
            "sub");

    private static final int MAX_INDEXED_BYTES = 900;

    private final ItemStore store;
    /** Users read for GetUser, served for at most {@link RecentReads#DEFAULT_TTL} (docs/caches.md). */
    private final RecentReads<Key, User> recent = new RecentReads<>();

    UserRepository(ItemStore store) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
    }

    /** By username, or by an alias or sign-in attribute the pool allows (aws-wire.md C.3). */
    Optional<User> find(PoolConfig pool, String usernameOrAlias) {
        Optional<User> direct = findByUsername(pool, usernameOrAlias);
        if (direct.isPresent()) {
            return direct;
        }
        Set<String> aliasAttributes = new LinkedHashSet<>(pool.usernameAttributes());
        aliasAttributes.addAll(pool.aliasAttributes());
        for (String attribute : aliasAttributes) {
            Optional<String> owner = store.get(TABLE, aliasKey(pool, attribute, usernameOrAlias))
                    .flatMap(item -> item.attribute("username"));
            if (owner.isPresent()) {
                return findByUsername(pool, owner.get());
            }
        }
        return Optional.empty();
    }

    Optional<User> findByUsername(PoolConfig pool, String username) {
        String key = pool.normalize(username);
        if (key.isEmpty() || utf8(key) > Key.MAX_BYTES) {
            return Optional.empty();
        }
        return store.get(TABLE, Key.of(pool.id() + "#user", key)).map(item -> fromItem(pool, item));
    }

    /**
     * As {@link #findByUsername}, as stored at most {@link RecentReads#DEFAULT_TTL} ago: a change saved through this
     * node is seen at once, one saved on another node within that TTL. The user is decoded once per read and shared
     * by every caller until then: <b>read-only</b> (GetUser); a copy to change and save comes from
     * {@link #findByUsername}.
     */
    Optional<User> findRecentByUsername(PoolConfig pool, String username, boolean memosOnly) {
        String key = pool.normalize(username);
        if (key.isEmpty() || utf8(key) > Key.MAX_BYTES) {
            return Optional.empty();
        }
        Key row = Key.of(pool.id() + "#user", key);
        // memosOnly: answered without blocking or throws CacheMiss
        return recent.get(
                row, memosOnly ? CacheMiss::miss : () -> store.get(TABLE, row).map(item -> fromItem(pool, item)));
    }

    private void forget(PoolConfig pool, User user) {
        recent.forget(Key.of(pool.id() + "#user", pool.normalize(user.username)));
    }

    /** The user of a {@code sub}. */
    Optional<User> findBySub(PoolConfig pool, String sub) {
        return store.get(TABLE, Key.of(pool.id() + "#sub", sub))
                .flatMap(item -> item.attribute("username"))
                .flatMap(username -> findByUsername(pool, username))
                .filter(user -> user.sub.equals(sub));
    }

    /** Which user, if any, holds the alias {@code attribute = value}. */
    Optional<String> aliasOwner(PoolConfig pool, String attribute, String value) {
        return store.get(TABLE, aliasKey(pool, attribute, value)).flatMap(item -> item.attribute("username"));
    }

    /**
     * Stores a new user with its lookups. Throws {@code UsernameExistsException} with {@code existsMessage} when the
     * username, or a sign-in attribute of an email-as-username pool, is taken.
     */
    void create(PoolConfig pool, User user, String existsMessage) {
        List<Write> writes = new ArrayList<>();
        writes.add(Write.put(TABLE, toItem(pool, user, 1), Condition.notExists()));
        writes.add(Write.put(
                TABLE,
                Item.of(Key.of(pool.id() + "#sub", user.sub), Map.of("username", pool.normalize(user.username))),
                Condition.notExists()));
        for (Key alias : aliases(pool, user)) {
            writes.add(Write.put(
                    TABLE, Item.of(alias, Map.of("username", pool.normalize(user.username))), Condition.notExists()));
        }
        for (Key entry : index(pool, user)) {
            writes.add(Write.put(
                    TABLE, Item.of(entry, Map.of("username", pool.normalize(user.username))), Condition.none()));
        }
        try {
            store.transact(writes);
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.error(UserPoolErrors.USERNAME_EXISTS, existsMessage);
        }
        user.version = 1;
        user.storedAliases = aliases(pool, user);
        user.storedIndex = index(pool, user);
    }

    /**
     * Saves a user read earlier, if nobody saved it since. A new alias held by another user fails with
     * {@code AliasExistsException}, unless {@code forceAlias} moves it to this user.
     */
    void update(PoolConfig pool, User user, Instant now, boolean forceAlias) {
        user.modified = now;
        String owner = pool.normalize(user.username);
        List<Write> writes = new ArrayList<>();
        writes.add(Write.put(
                TABLE,
                toItem(pool, user, user.version + 1),
                Condition.attributeEquals("version", Long.toString(user.version))));
        Set<Key> aliases = aliases(pool, user);
        int firstAlias = writes.size();
        for (Key alias : aliases) {
            if (!user.storedAliases.contains(alias)) {
                writes.add(Write.put(
                        TABLE,
                        Item.of(alias, Map.of("username", owner)),
                        forceAlias ? Condition.none() : Condition.notExists()));
            }
        }
        int lastAlias = writes.size();
        for (Key alias : user.storedAliases) {
            if (!aliases.contains(alias)
                    && owner.equals(store.get(TABLE, alias)
                            .flatMap(i -> i.attribute("username"))
                            .orElse(""))) {
                writes.add(Write.delete(TABLE, alias, Condition.none()));
            }
        }
        Set<Key> index = index(pool, user);
        for (Key entry : index) {
            if (!user.storedIndex.contains(entry)) {
                writes.add(Write.put(TABLE, Item.of(entry, Map.of("username", owner)), Condition.none()));
            }
        }
        for (Key entry : user.storedIndex) {
            if (!index.contains(entry)) {
                writes.add(Write.delete(TABLE, entry, Condition.none()));
            }
        }
        try {
            store.transact(writes);
        } catch (ConditionFailedException e) {
            if (e.index() >= firstAlias && e.index() < lastAlias) {
                throw UserPoolErrors.error(UserPoolErrors.ALIAS_EXISTS, "An account with the email already exists.");
            }
            throw concurrentChange();
        } finally {
            forget(pool, user);
        }
        user.version++;
        user.storedAliases = aliases;
        user.storedIndex = index;
    }

    /** Removes the user and every lookup that still points at it. */
    void delete(PoolConfig pool, User user) {
        String owner = pool.normalize(user.username);
        List<Write> writes = new ArrayList<>();
        writes.add(Write.delete(
                TABLE,
                Key.of(pool.id() + "#user", owner),
                Condition.attributeEquals("version", Long.toString(user.version))));
        writes.add(Write.delete(TABLE, Key.of(pool.id() + "#sub", user.sub), Condition.none()));
        for (Key alias : user.storedAliases) {
            if (owner.equals(store.get(TABLE, alias)
                    .flatMap(i -> i.attribute("username"))
                    .orElse(""))) {
                writes.add(Write.delete(TABLE, alias, Condition.none()));
            }
        }
        user.storedIndex.forEach(entry -> writes.add(Write.delete(TABLE, entry, Condition.none())));
        try {
            store.transact(writes);
        } catch (ConditionFailedException e) {
            throw concurrentChange();
        } finally {
            forget(pool, user);
        }
    }

    /** A page of users: all of the pool's by username, or those an index entry matches. */
    ListPage list(PoolConfig pool, Optional<UserFilter> filter, int limit, Optional<String> cursor) {
        Query query;
        if (filter.isEmpty()) {
            query = Query.partition(pool.id() + "#user");
        } else if ("username".equals(filter.get().attribute())) {
            String value = pool.normalize(filter.get().value());
            query = Query.partition(pool.id() + "#user")
                    .withSort(filter.get().prefix() ? SortCondition.beginsWith(value) : new SortCondition.Equal(value));
        } else {
            String value = indexValue(filter.get().attribute(), filter.get().value());
            query = Query.partition(pool.id() + "#idx#" + filter.get().attribute())
                    .withSort(SortCondition.beginsWith(filter.get().prefix() ? value : value + SEPARATOR));
        }
        Page page = store.query(TABLE, query.withLimit(limit).after(cursor.orElse(null)));
        List<User> users = new ArrayList<>();
        for (Item item : page.items()) {
            if (item.key().partition().endsWith("#user")) {
                users.add(fromItem(pool, item));
            } else {
                item.attribute("username").flatMap(u -> findByUsername(pool, u)).ifPresent(users::add);
            }
        }
        return new ListPage(users, page.cursor());
    }

    /** How many users the pool holds (DescribeUserPool's EstimatedNumberOfUsers): a count of its user partition. */
    long count(PoolConfig pool) {
        return store.count(TABLE, pool.id() + "#user");
    }

    /** Removes every item of the pool's users: users, aliases, subs and the ListUsers index. */
    void deletePool(PoolConfig pool) {
        List<String> partitions =
                new ArrayList<>(List.of(pool.id() + "#user", pool.id() + "#alias", pool.id() + "#sub"));
        SEARCHABLE.forEach(attribute -> partitions.add(pool.id() + "#idx#" + attribute));
        for (String partition : partitions) {
            Optional<String> cursor = Optional.empty();
            do {
                Page page = store.query(
                        TABLE,
                        Query.partition(partition)
                                .withLimit(ItemStore.MAX_TRANSACT_WRITES)
                                .after(cursor.orElse(null)));
                List<Write> writes = new ArrayList<>();
                page.items().forEach(item -> writes.add(Write.delete(TABLE, item.key(), Condition.none())));
                if (!writes.isEmpty()) {
                    store.transact(writes);
                }
                cursor = page.cursor();
            } while (cursor.isPresent());
        }
        recent.forgetIf(row -> row.partition().equals(pool.id() + "#user"));
    }

    /** One page of ListUsers. */
    record ListPage(List<User> users, Optional<String> cursor) {}

    private Set<Key> aliases(PoolConfig pool, User user) {
        Set<Key> keys = new LinkedHashSet<>();
        for (String attribute : pool.usernameAttributes()) {
            user.attribute(attribute).filter(v -> !v.isEmpty()).ifPresent(v -> keys.add(aliasKey(pool, attribute, v)));
        }
        if (user.status != User.Status.UNCONFIRMED) {
            for (String attribute : pool.aliasAttributes()) {
                boolean verified = "preferred_username".equals(attribute)
                        || "true".equals(user.attributes.get(attribute + "_verified"));
                user.attribute(attribute)
                        .filter(v -> !v.isEmpty() && verified)
                        .ifPresent(v -> keys.add(aliasKey(pool, attribute, v)));
            }
        }
        keys.removeIf(k -> utf8(k.sort()) > Key.MAX_BYTES);
        return keys;
    }

    private static Set<Key> index(PoolConfig pool, User user) {
        String owner = pool.normalize(user.username);
        Map<String, String> values = new HashMap<>();
        for (String attribute : SEARCHABLE) {
            user.attribute(attribute).ifPresent(v -> values.put(attribute, v));
        }
        values.put("status", user.enabled ? "Enabled" : "Disabled");
        values.put("cognito:user_status", user.status.name());
        Set<Key> keys = new LinkedHashSet<>();
        values.forEach((attribute, value) -> {
            String sort = indexValue(attribute, value) + SEPARATOR + owner;
            if (!value.isEmpty() && utf8(sort) <= MAX_INDEXED_BYTES) {
                keys.add(Key.of(pool.id() + "#idx#" + attribute, sort));
            }
        });
        return keys;
    }

    private static String indexValue(String attribute, String value) {
        return "status".equals(attribute) ? value : value.toLowerCase(Locale.ROOT);
    }

    private static Key aliasKey(PoolConfig pool, String attribute, String value) {
        String sort = attribute + "#" + pool.normalize(value);
        return Key.of(pool.id() + "#alias", utf8(sort) > Key.MAX_BYTES ? attribute + "#" : sort);
    }

    private static Item toItem(PoolConfig pool, User user, long version) {
        Map<String, String> a = new HashMap<>();
        a.put("username", user.username);
        a.put("sub", user.sub);
        a.put("status", user.status.name());
        a.put("enabled", Boolean.toString(user.enabled));
        a.put("created", Long.toString(user.created.toEpochMilli()));
        a.put("modified", Long.toString(user.modified.toEpochMilli()));
        ObjectNode attrs = dev.gatehouse.protocol.AwsJson.mapper().createObjectNode();
        user.attributes.forEach(attrs::put);
        a.put("attributes", PoolDirectory.write(attrs));
        a.put("failedSignIns", Integer.toString(user.failedSignIns));
        a.put("version", Long.toString(version));
        putIfPresent(a, "password", user.passwordHash);
        putIfPresent(a, "srpVerifier", user.srpVerifier);
        putIfPresent(a, "totpSecret", user.totpSecret);
        putIfPresent(a, "totpPending", user.totpPending);
        putIfPresent(a, "preferredMfa", user.preferredMfa);
        if (user.totpLastStep != 0) {
            a.put("totpLastStep", Long.toString(user.totpLastStep));
        }
        if (user.totpFailures != 0) {
            a.put("totpFailures", Integer.toString(user.totpFailures));
        }
        if (user.totpEnabled) {
            a.put("totpEnabled", "true");
        }
        if (user.smsMfaEnabled) {
            a.put("smsMfaEnabled", "true");
        }
        if (user.emailMfaEnabled) {
            a.put("emailMfaEnabled", "true");
        }
        putIfPresent(a, "passwordExpiresAt", user.passwordExpiresAt);
        putIfPresent(a, "lastSignInAttempt", user.lastSignInAttempt);
        putIfPresent(a, "lockedUntil", user.lockedUntil);
        if (user.confirmCode != null) {
            a.put("confirmCode", user.confirmCode.encode());
        }
        if (user.resetCode != null) {
            a.put("resetCode", user.resetCode.encode());
        }
        if (user.verifyCode != null) {
            a.put("verifyCode", user.verifyCode.encode());
        }
        return Item.of(Key.of(pool.id() + "#user", pool.normalize(user.username)), a);
    }

    private User fromItem(PoolConfig pool, Item item) {
        Map<String, String> a = item.attributes();
        User.Status status = User.Status.valueOf(a.getOrDefault("status", User.Status.UNCONFIRMED.name()));
        User user = new User(
                pool.id(),
                a.getOrDefault("username", item.key().sort()),
                a.getOrDefault("sub", ""),
                status,
                millis(a.get("created")).orElse(Instant.EPOCH));
        user.modified = millis(a.get("modified")).orElse(user.created);
        user.enabled = !"false".equals(a.get("enabled"));
        user.passwordHash = a.get("password");
        user.srpVerifier = a.get("srpVerifier");
        user.totpSecret = a.get("totpSecret");
        user.totpPending = a.get("totpPending");
        user.preferredMfa = a.get("preferredMfa");
        user.totpLastStep = Long.parseLong(a.getOrDefault("totpLastStep", "0"));
        user.totpEnabled = "true".equals(a.get("totpEnabled"));
        user.smsMfaEnabled = "true".equals(a.get("smsMfaEnabled"));
        user.emailMfaEnabled = "true".equals(a.get("emailMfaEnabled"));
        user.totpFailures = Integer.parseInt(a.getOrDefault("totpFailures", "0"));
        user.passwordExpiresAt = millis(a.get("passwordExpiresAt")).orElse(null);
        user.lastSignInAttempt = millis(a.get("lastSignInAttempt")).orElse(null);
        user.lockedUntil = millis(a.get("lockedUntil")).orElse(null);
        user.failedSignIns = Integer.parseInt(a.getOrDefault("failedSignIns", "0"));
        user.version = Long.parseLong(a.getOrDefault("version", "0"));
        PoolDirectory.read(a.getOrDefault("attributes", "{}"))
                .fields()
                .forEachRemaining(
                        f -> user.attributes.put(f.getKey(), f.getValue().asText()));
        user.confirmCode = Optional.ofNullable(a.get("confirmCode"))
                .flatMap(OneTimeCode::decode)
                .orElse(null);
        user.resetCode = Optional.ofNullable(a.get("resetCode"))
                .flatMap(OneTimeCode::decode)
                .orElse(null);
        user.verifyCode = Optional.ofNullable(a.get("verifyCode"))
                .flatMap(OneTimeCode::decode)
                .orElse(null);
        user.storedAliases = aliases(pool, user);
        user.storedIndex = index(pool, user);
        return user;
    }

    private static void putIfPresent(Map<String, String> a, String name, @org.jspecify.annotations.Nullable Object v) {
        if (v instanceof Instant instant) {
            a.put(name, Long.toString(instant.toEpochMilli()));
        } else if (v != null) {
            a.put(name, v.toString());
        }
    }

    private static Optional<Instant> millis(@org.jspecify.annotations.Nullable String value) {
        return value == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static ServiceException concurrentChange() {
        return new UserChangedException();
    }

    /** Another request saved the user after this copy was read. */
    static final class UserChangedException extends ServiceException {
        private static final long serialVersionUID = 1L;

        UserChangedException() {
            super(CommonErrors.tooManyRequests().withMessage("The user was changed by another request; try again."));
        }
    }

    /**
     * Applies {@code change} and saves, re-reading and re-applying when another request saved the user in between, so
     * counters such as failed sign-ins and wrong code guesses lose no increment under concurrent requests. Returns the
     * copy that was saved, which later changes must start from.
     */
    User modify(PoolConfig pool, User user, Instant now, java.util.function.Consumer<User> change) {
        User current = user;
        for (int attempt = 1; ; attempt++) {
            change.accept(current);
            try {
                update(pool, current, now, false);
                return current;
            } catch (UserChangedException e) {
                if (attempt == 20) {
                    throw e;
                }
                current = findByUsername(pool, user.username).orElseThrow(() -> e);
            }
        }
    }
}
