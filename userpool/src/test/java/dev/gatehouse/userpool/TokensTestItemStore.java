package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Write;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A minimal in-memory ItemStore for the token tests until the store module's InMemoryItemStore lands on main; delete
 * it then. Supports what the token service uses: get, conditional put/delete, ascending partition queries, transact.
 */
final class TokensTestItemStore implements ItemStore {

    private final Clock clock;
    private final Map<String, TreeMap<String, Item>> rows = new HashMap<>();
    private int reads;

    TokensTestItemStore(Clock clock) {
        this.clock = clock;
    }

    synchronized int reads() {
        return reads;
    }

    @Override
    public synchronized Optional<Item> get(String table, Key key) {
        reads++;
        return live(table, key);
    }

    @Override
    public synchronized void put(String table, Item item, Condition condition) {
        check(table, item.key(), condition, 0);
        rows.computeIfAbsent(table, t -> new TreeMap<>()).put(id(item.key()), item);
    }

    @Override
    public synchronized void delete(String table, Key key, Condition condition) {
        check(table, key, condition, 0);
        rows.computeIfAbsent(table, t -> new TreeMap<>()).remove(id(key));
    }

    @Override
    public synchronized Page query(String table, Query query) {
        reads++;
        if (!(query.sort() instanceof SortCondition.Any) || !query.forward()) {
            throw new UnsupportedOperationException("test store supports ascending queries of whole partitions only");
        }
        String from = query.partition() + "\u0000" + query.startCursor().orElse("");
        List<Item> items = new ArrayList<>();
        String last = null;
        for (Item item :
                rows.getOrDefault(table, new TreeMap<>()).tailMap(from, false).values()) {
            if (!item.key().partition().equals(query.partition())) {
                break;
            }
            if (items.size() == query.limit()) {
                return new Page(items, last);
            }
            if (!item.isExpiredAt(clock.instant())) {
                items.add(item);
                last = item.key().sort();
            }
        }
        return new Page(items, null);
    }

    @Override
    public synchronized void transact(List<Write> writes) {
        for (int i = 0; i < writes.size(); i++) {
            check(writes.get(i).table(), writes.get(i).key(), writes.get(i).condition(), i);
        }
        for (Write write : writes) {
            if (write instanceof Write.Put put) {
                rows.computeIfAbsent(put.table(), t -> new TreeMap<>()).put(id(put.key()), put.item());
            } else if (write instanceof Write.Delete delete) {
                rows.computeIfAbsent(delete.table(), t -> new TreeMap<>()).remove(id(delete.key()));
            }
        }
    }

    @Override
    public void close() {}

    private Optional<Item> live(String table, Key key) {
        Item item = rows.getOrDefault(table, new TreeMap<>()).get(id(key));
        return item == null || item.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(item);
    }

    private void check(String table, Key key, Condition condition, int index) {
        Optional<Item> current = live(table, key);
        boolean holds;
        if (condition instanceof Condition.NotExists) {
            holds = current.isEmpty();
        } else if (condition instanceof Condition.Exists) {
            holds = current.isPresent();
        } else if (condition instanceof Condition.AttributeEquals equals) {
            holds = current.flatMap(i -> i.attribute(equals.name()))
                    .filter(equals.value()::equals)
                    .isPresent();
        } else {
            holds = true;
        }
        if (!holds) {
            throw new ConditionFailedException(table, key, index);
        }
    }

    private static String id(Key key) {
        return key.partition() + "\u0000" + key.sort();
    }
}
