package dev.gatehouse.identity;

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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Identity pools in the store. Table {@value #TABLE}: pools under partition {@code "pools"}, sort key the pool id,
 * attributes {@code description} and {@code roles} (JSON); the default-stack bootstrap record under
 * ({@code "bootstrap"}, {@code "default"}). All pools of an account share one partition: their number is small, and
 * ListIdentityPools is one query.
 */
final class PoolRepository {

    static final String TABLE = "identity-pools";
    private static final String POOLS = "pools";

    private final ItemStore store;

    PoolRepository(ItemStore store) {
        this.store = store;
    }

    void create(StoredPool pool) {
        store.put(TABLE, item(pool), Condition.notExists());
    }

    Optional<StoredPool> find(String identityPoolId) {
        return store.get(TABLE, Key.of(POOLS, identityPoolId)).map(PoolRepository::pool);
    }

    /** Replaces the pool's roles; the pool must still exist. */
    void setRoles(StoredPool pool, ObjectNode roles) {
        store.put(TABLE, item(new StoredPool(pool.description(), roles)), Condition.exists());
    }

    /** Replaces the pool's description, keeping its roles; false when the pool is gone. */
    boolean replaceDescription(StoredPool pool, ObjectNode description) {
        try {
            store.put(TABLE, item(new StoredPool(description, pool.roles())), Condition.exists());
            return true;
        } catch (ConditionFailedException e) {
            return false;
        }
    }

    void delete(String identityPoolId) {
        store.delete(TABLE, Key.of(POOLS, identityPoolId), Condition.none());
    }

    /** One page of pools in id order. */
    record PoolPage(List<StoredPool> pools, Optional<String> cursor) {}

    PoolPage list(int limit, @Nullable String cursor) {
        Page page = store.query(TABLE, Query.partition(POOLS).withLimit(limit).after(cursor));
        List<StoredPool> pools = new ArrayList<>();
        page.items().forEach(item -> pools.add(pool(item)));
        return new PoolPage(pools, page.cursor());
    }

    /** The default pool's ids: created by {@code create} on first call, the stored ones afterwards. */
    DefaultIdentityPool ensure(String name, Supplier<DefaultIdentityPool> create) {
        Key key = Key.of("bootstrap", name);
        Optional<DefaultIdentityPool> existing = store.get(TABLE, key).map(PoolRepository::defaults);
        if (existing.isPresent()) {
            return existing.get();
        }
        DefaultIdentityPool created = create.get();
        try {
            store.put(
                    TABLE,
                    Item.of(
                            key,
                            Map.of(
                                    "identityPoolId",
                                    created.identityPoolId(),
                                    "authenticatedRoleArn",
                                    created.authenticatedRoleArn(),
                                    "unauthenticatedRoleArn",
                                    created.unauthenticatedRoleArn())),
                    Condition.notExists());
            return created;
        } catch (ConditionFailedException e) {
            return store.get(TABLE, key).map(PoolRepository::defaults).orElseThrow(() -> e);
        }
    }

    Optional<DefaultIdentityPool> findBootstrap(String name) {
        return store.get(TABLE, Key.of("bootstrap", name)).map(PoolRepository::defaults);
    }

    private static DefaultIdentityPool defaults(Item item) {
        return new DefaultIdentityPool(
                item.attribute("identityPoolId").orElse(""),
                item.attribute("authenticatedRoleArn").orElse(""),
                item.attribute("unauthenticatedRoleArn").orElse(""));
    }

    private static Item item(StoredPool pool) {
        return Item.of(
                Key.of(POOLS, pool.id()),
                Map.of(
                        "description",
                        pool.description().toString(),
                        "roles",
                        pool.roles().toString()));
    }

    private static StoredPool pool(Item item) {
        return new StoredPool(
                object(item.attribute("description").orElse("{}")),
                object(item.attribute("roles").orElse("{}")));
    }

    static ObjectNode object(String json) {
        try {
            JsonNode node = AwsJson.mapper().readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable identity pool item", e);
        }
        throw new IllegalStateException("unreadable identity pool item");
    }
}
