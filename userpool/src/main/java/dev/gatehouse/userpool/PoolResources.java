package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's configuration objects (identity providers, resource servers) and the region's domains, each one JSON
 * document in table {@value #TABLE} under ({@code <pool>#<kind>}, name), or ({@code domain}, domain).
 */
final class PoolResources {

    static final String TABLE = "userpool-config";

    private final ItemStore store;

    PoolResources(ItemStore store) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
    }

    Optional<ObjectNode> get(String partition, String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return store.get(TABLE, Key.of(partition, name))
                .flatMap(i -> i.attribute("doc"))
                .map(PoolDirectory::read);
    }

    /** Stores a new document; false when the name is taken. */
    boolean create(String partition, String name, ObjectNode doc) {
        try {
            store.put(TABLE, item(partition, name, doc), Condition.notExists());
            return true;
        } catch (ConditionFailedException e) {
            return false;
        }
    }

    /** Replaces an existing document; false when it is gone. */
    boolean replace(String partition, String name, ObjectNode doc) {
        try {
            store.put(TABLE, item(partition, name, doc), Condition.exists());
            return true;
        } catch (ConditionFailedException e) {
            return false;
        }
    }

    void delete(String partition, String name) {
        store.delete(TABLE, Key.of(partition, name), Condition.none());
    }

    Page list(String partition, int limit, Optional<String> cursor) {
        return store.query(TABLE, Query.partition(partition).withLimit(limit).after(cursor.orElse(null)));
    }

    /** Deletes every document of the partition. */
    void deleteAll(String partition) {
        Optional<String> cursor = Optional.empty();
        do {
            Page page = list(partition, 100, cursor);
            page.items().forEach(item -> store.delete(TABLE, item.key(), Condition.none()));
            cursor = page.cursor();
        } while (cursor.isPresent());
    }

    static ObjectNode doc(Item item) {
        return PoolDirectory.read(item.attribute("doc").orElse("{}"));
    }

    private static Item item(String partition, String name, ObjectNode doc) {
        return Item.of(Key.of(partition, name), Map.of("doc", PoolDirectory.write(doc)));
    }
}
