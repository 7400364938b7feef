package dev.gatehouse.server;

import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The app's data of one stage: every table is {@code <stage>.<table>} in the shared store, so two stages on one data
 * dir never see each other's items. Closing it leaves the shared store open (the server owns that).
 */
final class StagedItemStore implements ItemStore {

    private final ItemStore store;
    private final String prefix;

    private StagedItemStore(ItemStore store, String stage) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.prefix = Objects.requireNonNull(stage, "stage cannot be null") + ".";
    }

    /** The store as the stage sees it: the default stage keeps the plain table names its data dirs already use. */
    static ItemStore of(ItemStore store, String stage, String defaultStage) {
        return stage.equals(defaultStage) ? store : new StagedItemStore(store, stage);
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        return store.get(prefix + table, key);
    }

    @Override
    public Page query(String table, Query query) {
        return store.query(prefix + table, query);
    }

    @Override
    public long count(String table, String partition) {
        return store.count(prefix + table, partition);
    }

    @Override
    public void transact(List<Write> writes) {
        store.transact(writes.stream().map(this::staged).toList());
    }

    private Write staged(Write write) {
        if (write instanceof Write.Put put) {
            return Write.put(prefix + put.table(), put.item(), put.condition());
        }
        if (write instanceof Write.Delete delete) {
            return Write.delete(prefix + delete.table(), delete.key(), delete.condition());
        }
        Write.Check check = (Write.Check) write;
        return Write.check(prefix + check.table(), check.key(), check.condition());
    }

    @Override
    public void close() {
        // The shared store is closed by its owner.
    }
}
