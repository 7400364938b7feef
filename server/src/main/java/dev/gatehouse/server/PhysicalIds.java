package dev.gatehouse.server;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The physical id of each resource of a stack, by stage and logical id: what makes applying a template idempotent.
 * The first apply creates the resource and records its id with a conditional put (two processes starting on one store
 * agree on the first one recorded); every later apply finds it, so ids, users and data survive restarts. Each record
 * also keeps a digest of the settings the resource was created with, so a changed template is noticed.
 *
 * <p>Table {@value StackState#TABLE}, partition {@code stack:<stage>}, sort key the logical id.
 */
final class PhysicalIds {

    /**
     * A recorded resource: its physical id, the digest of the settings last applied to it and those settings (JSON;
     * empty for generated names, and for records written before settings were kept).
     */
    record Recorded(String id, String digest, String settings) {
        Recorded(String id, String digest) {
            this(id, digest, "");
        }
    }

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
                        item.attribute("digest").orElse(""),
                        item.attribute("settings").orElse("")));
        stored.ifPresent(r -> known.put(logicalId, r));
        return stored;
    }

    /** Logs the resources recorded for the stage that the template no longer has (removed while Gatehouse was stopped). */
    void logNotIn(dev.gatehouse.stack.Stack stack, String fileName) {
        List<String> left = notIn(stack);
        if (!left.isEmpty()) {
            LoggerFactory.getLogger(GatehouseServer.class)
                    .info(
                            "{}: {} recorded for stage {} but not in the template: pools, clients, identity pools,"
                                    + " tables and buckets among them are kept with their data (docs/your-own-app.md)",
                            fileName,
                            left,
                            stack.stage());
        }
    }

    /** The logical ids recorded for the stage that {@code stack} does not have. Blocking. */
    List<String> notIn(dev.gatehouse.stack.Stack stack) {
        return logicalIds().stream()
                .filter(logicalId -> stack.resource(logicalId).isEmpty())
                .toList();
    }

    /** The logical ids recorded for the stage, in key order. Blocking. */
    List<String> logicalIds() {
        List<String> recorded = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page page = store.query(
                    StackState.TABLE, Query.partition(partition).withLimit(100).after(cursor.orElse(null)));
            page.items().forEach(item -> recorded.add(item.key().sort()));
            cursor = page.cursor();
        } while (cursor.isPresent());
        return recorded;
    }

    /** The recorded id, or the one {@code create} makes, recorded with {@code digest}. Blocking. */
    Recorded ensure(String logicalId, String digest, Supplier<String> create) {
        return ensure(logicalId, digest, "", create);
    }

    /** The recorded id, or the one {@code create} makes, recorded with {@code digest} and {@code settings}. */
    Recorded ensure(String logicalId, String digest, String settings, Supplier<String> create) {
        Optional<Recorded> existing = find(logicalId);
        if (existing.isPresent()) {
            return existing.get();
        }
        return record(new Recorded(create.get(), digest, settings), logicalId);
    }

    /** Records an id (an adopted legacy one, or a created one); the first record wins. */
    Recorded record(String logicalId, String id, String digest) {
        return record(new Recorded(id, digest), logicalId);
    }

    private Recorded record(Recorded created, String logicalId) {
        try {
            store.put(StackState.TABLE, item(logicalId, created), Condition.notExists());
            known.put(logicalId, created);
            return created;
        } catch (ConditionFailedException e) {
            known.remove(logicalId);
            return find(logicalId)
                    .orElseThrow(() -> new IllegalStateException(logicalId + " vanished after a conflict", e));
        }
    }

    /** Replaces the digest (and settings) once a changed resource has been updated. */
    void updateDigest(String logicalId, Recorded recorded, String digest) {
        update(logicalId, new Recorded(recorded.id(), digest, recorded.settings()));
    }

    /** Replaces the record's digest and settings once the resource has them. */
    void update(String logicalId, Recorded updated) {
        store.put(StackState.TABLE, item(logicalId, updated), Condition.none());
        known.put(logicalId, updated);
    }

    private Item item(String logicalId, Recorded recorded) {
        return recorded.settings().isEmpty()
                ? Item.of(Key.of(partition, logicalId), Map.of("id", recorded.id(), "digest", recorded.digest()))
                : Item.of(
                        Key.of(partition, logicalId),
                        Map.of("id", recorded.id(), "digest", recorded.digest(), "settings", recorded.settings()));
    }
}
