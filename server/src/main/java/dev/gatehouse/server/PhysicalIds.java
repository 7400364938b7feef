package dev.gatehouse.server;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The physical id of each resource of a stack, by stage and logical id: what makes applying a template idempotent.
 * The first apply creates the resource and records its id with a conditional put (two processes starting on one store
 * agree on the first one recorded); every later apply finds it, so ids, users and data survive restarts. Each record
 * also keeps a digest of the settings the resource was created with, so a changed template is noticed.
 *
 * <p>Table {@value StackState#TABLE}, partition {@code stack:<stage>}, sort key the logical id.
 */
final class PhysicalIds {

    /** A recorded resource: its physical id and the digest of the settings it was created with. */
    record Recorded(String id, String digest) {}

    private final ItemStore store;
    private final String partition;
    private final Map<String, Recorded> known = new HashMap<>();

    PhysicalIds(ItemStore store, String stage) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.partition = "stack:" + Objects.requireNonNull(stage, "stage cannot be null");
    }

    Optional<Recorded> find(String logicalId) {
        Recorded cached = known.get(logicalId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Recorded> stored = store.get(StackState.TABLE, Key.of(partition, logicalId))
                .map(item -> new Recorded(
                        item.attribute("id").orElse(""),
                        item.attribute("digest").orElse("")));
        stored.ifPresent(r -> known.put(logicalId, r));
        return stored;
    }

    /** The recorded id, or the one {@code create} makes, recorded with {@code digest}. Blocking. */
    Recorded ensure(String logicalId, String digest, Supplier<String> create) {
        Optional<Recorded> existing = find(logicalId);
        if (existing.isPresent()) {
            return existing.get();
        }
        return record(logicalId, create.get(), digest);
    }

    /** Records an id (an adopted legacy one, or a created one); the first record wins. */
    Recorded record(String logicalId, String id, String digest) {
        Recorded created = new Recorded(id, digest);
        try {
            store.put(
                    StackState.TABLE,
                    Item.of(Key.of(partition, logicalId), Map.of("id", id, "digest", digest)),
                    Condition.notExists());
            known.put(logicalId, created);
            return created;
        } catch (ConditionFailedException e) {
            known.remove(logicalId);
            return find(logicalId)
                    .orElseThrow(() -> new IllegalStateException(logicalId + " vanished after a conflict", e));
        }
    }

    /** Replaces the digest once a changed resource has been updated. */
    void updateDigest(String logicalId, Recorded recorded, String digest) {
        Recorded updated = new Recorded(recorded.id(), digest);
        store.put(
                StackState.TABLE,
                Item.of(Key.of(partition, logicalId), Map.of("id", recorded.id(), "digest", digest)),
                Condition.none());
        known.put(logicalId, updated);
    }
}
