package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An item store that counts the reads and writes made through it, to compare the work of two paths. */
final class CountingItemStore implements ItemStore {

    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    private final ItemStore delegate;

    CountingItemStore(ItemStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        reads.incrementAndGet();
        return delegate.get(table, key);
    }

    @Override
    public void put(String table, Item item, Condition condition) {
        writes.incrementAndGet();
        delegate.put(table, item, condition);
    }

    @Override
    public void delete(String table, Key key, Condition condition) {
        writes.incrementAndGet();
        delegate.delete(table, key, condition);
    }

    @Override
    public Page query(String table, Query query) {
        reads.incrementAndGet();
        return delegate.query(table, query);
    }

    @Override
    public void transact(List<Write> writes) {
        this.writes.incrementAndGet();
        delegate.transact(writes);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
