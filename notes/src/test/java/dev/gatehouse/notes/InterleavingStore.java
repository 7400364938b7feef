package dev.gatehouse.notes;

import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A store that runs queued actions just before the next writes reach the real store: another writer that wins the
 * race between a handler's read and its conditional write, without threads or timing.
 */
final class InterleavingStore implements ItemStore {

    private final ItemStore delegate;
    private final Deque<Runnable> beforeWrites = new ArrayDeque<>();
    private int writes;
    private boolean interleaving;

    InterleavingStore(ItemStore delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code action} (against the real store) right before the next write; queued actions run one per write. */
    void beforeNextWrite(Runnable action) {
        beforeWrites.add(action);
    }

    /** Batches that reached the real store (including those whose condition failed, and interleaved ones). */
    int writes() {
        return writes;
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        return delegate.get(table, key);
    }

    @Override
    public Page query(String table, Query query) {
        return delegate.query(table, query);
    }

    @Override
    public void transact(List<Write> batch) {
        // The interleaved writer's own writes go straight through: one queued action per write of the code under test.
        Runnable action = interleaving ? null : beforeWrites.poll();
        if (action != null) {
            interleaving = true;
            try {
                action.run();
            } finally {
                interleaving = false;
            }
        }
        writes++;
        delegate.transact(batch);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
