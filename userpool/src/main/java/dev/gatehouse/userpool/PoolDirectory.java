package dev.gatehouse.userpool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pools and app clients in the store: table {@value #TABLE}, pools under ({@code pool}, id), clients under
 * ({@code client}, id) and listed per pool under ({@code pool-clients#<pool id>}, client id). Each node caches what it
 * read for {@link #CACHE_TTL}: a change made on another node shows here within that time, one made here at once.
 */
final class PoolDirectory {

    static final String TABLE = "userpool-pools";
    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String LOWER_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final ItemStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final String region;
    private final String accountId;
    /** How long a node trusts its copy of a pool or client that another node may have updated or deleted. */
    static final java.time.Duration CACHE_TTL = java.time.Duration.ofSeconds(5);

    private final Map<String, Cached<PoolConfig>> pools = new ConcurrentHashMap<>();
    private final Map<String, Cached<ClientConfig>> clients = new ConcurrentHashMap<>();

    private record Cached<T>(T value, java.time.Instant loaded) {}

    PoolDirectory(ItemStore store, Clock clock, SecureRandom random, String region, String accountId) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
    }

    PoolConfig createPool(ObjectNode request) {
        String id = region + "_" + randomString(ALNUM, 9);
        String arn = "arn:aws:cognito-idp:" + region + ":" + accountId + ":userpool/" + id;
        PoolConfig pool = PoolConfig.create(request, id, arn, clock.instant());
        store.put(TABLE, Item.of(Key.of("pool", id), Map.of("doc", write(pool.document()))), Condition.notExists());
        pools.put(id, new Cached<>(pool, clock.instant()));
        return pool;
    }

    PoolConfig pool(String userPoolId) {
        return findPool(userPoolId).orElseThrow(() -> UserPoolErrors.poolNotFound(userPoolId));
    }

    /** As {@link #findPool} from this node's copy only; {@link CacheMiss} when that is missing or stale. */
    PoolConfig cachedPool(String userPoolId) {
        Cached<PoolConfig> cached = pools.get(userPoolId);
        if (cached == null || !fresh(cached)) {
            throw CacheMiss.INSTANCE;
        }
        return cached.value();
    }

    Optional<PoolConfig> findPool(String userPoolId) {
        Cached<PoolConfig> cached = pools.get(userPoolId);
        if (cached != null && fresh(cached)) {
            return Optional.of(cached.value());
        }
        Optional<PoolConfig> loaded = store.get(TABLE, Key.of("pool", userPoolId))
                .flatMap(item -> item.attribute("doc"))
                .map(doc -> new PoolConfig(read(doc)));
        if (loaded.isPresent()) {
            pools.put(userPoolId, new Cached<>(loaded.get(), clock.instant()));
        } else {
            pools.remove(userPoolId);
        }
        return loaded;
    }

    /** One page of pools in id order; the cursor is the store's. */
    Page listPools(int limit, Optional<String> cursor) {
        return store.query(TABLE, Query.partition("pool").withLimit(limit).after(cursor.orElse(null)));
    }

    static PoolConfig poolOf(Item item) {
        return new PoolConfig(read(item.attribute("doc").orElse("{}")));
    }

    ClientConfig createClient(ObjectNode request) {
        return createClient(request, client -> {});
    }

    /** Creates a client; {@code check} runs once the input is valid and the pool exists, before anything is stored. */
    ClientConfig createClient(ObjectNode request, java.util.function.Consumer<ClientConfig> check) {
        String clientId = randomString(LOWER_ALNUM, 26);
        ClientConfig client =
                ClientConfig.create(request, clientId, Optional.of(randomString(LOWER_ALNUM, 51)), clock.instant());
        pool(client.userPoolId());
        check.accept(client);
        store.transact(List.of(
                Write.put(
                        TABLE,
                        Item.of(Key.of("client", clientId), Map.of("doc", write(client.document()))),
                        Condition.notExists()),
                Write.put(TABLE, Item.of(clientIndex(client.userPoolId(), clientId), Map.of()), Condition.none())));
        clients.put(clientId, new Cached<>(client, clock.instant()));
        return client;
    }

    /** Replaces a stored pool's document; ResourceNotFoundException when it was deleted meanwhile. */
    void updatePool(PoolConfig pool) {
        try {
            store.put(
                    TABLE,
                    Item.of(Key.of("pool", pool.id()), Map.of("doc", write(pool.document()))),
                    Condition.exists());
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.poolNotFound(pool.id());
        }
        pools.put(pool.id(), new Cached<>(pool, clock.instant()));
    }

    /** Removes the pool and its clients; the caller removes users and groups first. */
    void deletePool(String userPoolId) {
        Optional<String> cursor = Optional.empty();
        do {
            Page page = listClients(userPoolId, 50, cursor);
            for (Item item : page.items()) {
                deleteClient(userPoolId, item.key().sort());
            }
            cursor = page.cursor();
        } while (cursor.isPresent());
        store.delete(TABLE, Key.of("pool", userPoolId), Condition.none());
        pools.remove(userPoolId);
    }

    /** Replaces a stored client's document; ResourceNotFoundException when it was deleted meanwhile. */
    void updateClient(ClientConfig client) {
        try {
            store.put(
                    TABLE,
                    Item.of(Key.of("client", client.clientId()), Map.of("doc", write(client.document()))),
                    Condition.exists());
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.clientNotFound(client.clientId());
        }
        clients.put(client.clientId(), new Cached<>(client, clock.instant()));
    }

    void deleteClient(String userPoolId, String clientId) {
        store.transact(List.of(
                Write.delete(TABLE, Key.of("client", clientId), Condition.none()),
                Write.delete(TABLE, clientIndex(userPoolId, clientId), Condition.none())));
        clients.remove(clientId);
    }

    /** One page of the ids of a pool's clients (the sort keys). */
    Page listClients(String userPoolId, int limit, Optional<String> cursor) {
        return store.query(
                TABLE,
                Query.partition("pool-clients#" + userPoolId).withLimit(limit).after(cursor.orElse(null)));
    }

    private static Key clientIndex(String userPoolId, String clientId) {
        return Key.of("pool-clients#" + userPoolId, clientId);
    }

    private boolean fresh(Cached<?> cached) {
        return cached.loaded().plus(CACHE_TTL).isAfter(clock.instant());
    }

    /** The client, or {@code ResourceNotFoundException}. */
    ClientConfig client(String clientId) {
        Cached<ClientConfig> cached = clients.get(clientId);
        if (cached != null && fresh(cached)) {
            return cached.value();
        }
        Optional<ClientConfig> loaded = store.get(TABLE, Key.of("client", clientId))
                .flatMap(item -> item.attribute("doc"))
                .map(doc -> new ClientConfig(read(doc)));
        if (loaded.isEmpty()) {
            clients.remove(clientId);
            throw UserPoolErrors.clientNotFound(clientId);
        }
        clients.put(clientId, new Cached<>(loaded.get(), clock.instant()));
        return loaded.get();
    }

    /** The client of that pool, or {@code ResourceNotFoundException}. */
    ClientConfig client(String userPoolId, String clientId) {
        pool(userPoolId);
        ClientConfig client = client(clientId);
        if (!client.userPoolId().equals(userPoolId)) {
            throw UserPoolErrors.clientNotFound(clientId);
        }
        return client;
    }

    /**
     * The pool and client stored under {@code name}, created by {@code create} the first time. When two nodes race,
     * the first to record its ids wins and both return those.
     */
    DefaultStack ensure(String name, Function<PoolDirectory, DefaultStack> create) {
        Key key = Key.of("bootstrap", name);
        Optional<DefaultStack> existing = store.get(TABLE, key).map(PoolDirectory::stackOf);
        if (existing.isPresent()) {
            // data written before clients were listed per pool: list the stack's client too
            store.put(
                    TABLE,
                    Item.of(
                            clientIndex(
                                    existing.get().userPoolId(), existing.get().clientId()),
                            Map.of()),
                    Condition.none());
            return existing.get();
        }
        DefaultStack created = create.apply(this);
        try {
            store.put(
                    TABLE,
                    Item.of(key, Map.of("userPoolId", created.userPoolId(), "clientId", created.clientId())),
                    Condition.notExists());
            return created;
        } catch (ConditionFailedException e) {
            return store.get(TABLE, key).map(PoolDirectory::stackOf).orElseThrow(() -> e);
        }
    }

    Optional<DefaultStack> find(String name) {
        return store.get(TABLE, Key.of("bootstrap", name)).map(PoolDirectory::stackOf);
    }

    private static DefaultStack stackOf(Item item) {
        return new DefaultStack(
                item.attribute("userPoolId").orElse(""),
                item.attribute("clientId").orElse(""));
    }

    String randomString(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static String write(JsonNode node) {
        try {
            return AwsJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static ObjectNode read(String json) {
        try {
            JsonNode node = AwsJson.mapper().readTree(json);
            return node instanceof ObjectNode object ? object : AwsJson.mapper().createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }
}
