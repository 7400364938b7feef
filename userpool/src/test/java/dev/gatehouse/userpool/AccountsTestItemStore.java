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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A minimal in-memory ItemStore for the accounts tests, until the store module's own lands on main. */
final class AccountsTestItemStore implements ItemStore {

  private static final Comparator<String> UTF8 = (a, b) -> Arrays.compareUnsigned(
      a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final Clock clock;
  private final Map<String, TreeMap<String, Item>> partitions = new HashMap<>();
  int writes;

  AccountsTestItemStore(Clock clock) {
    this.clock = clock;
  }

  private TreeMap<String, Item> partition(String table, String partition) {
    return partitions.computeIfAbsent(table + "\n" + partition, k -> new TreeMap<>(UTF8));
  }

  @Override
  public synchronized Optional<Item> get(String table, Key key) {
    Item item = partition(table, key.partition()).get(key.sort());
    return item == null || item.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(item);
  }

  @Override
  public synchronized void put(String table, Item item, Condition condition) {
    transact(List.of(Write.put(table, item, condition)));
  }

  @Override
  public synchronized void delete(String table, Key key, Condition condition) {
    transact(List.of(Write.delete(table, key, condition)));
  }

  @Override
  public synchronized Page query(String table, Query query) {
    List<Item> out = new ArrayList<>();
    TreeMap<String, Item> items = partition(table, query.partition());
    Map<String, Item> view = query.cursor() == null ? items : items.tailMap(query.cursor(), false);
    for (Item item : view.values()) {
      if (item.isExpiredAt(clock.instant()) || !matches(query.sort(), item.key().sort())) {
        continue;
      }
      if (out.size() == query.limit()) {
        return new Page(out, out.get(out.size() - 1).key().sort());
      }
      out.add(item);
    }
    return new Page(out, null);
  }

  private static boolean matches(SortCondition condition, String sort) {
    if (condition instanceof SortCondition.Equal e) {
      return sort.equals(e.value());
    }
    if (condition instanceof SortCondition.BeginsWith b) {
      return sort.startsWith(b.prefix());
    }
    return condition instanceof SortCondition.Any;
  }

  @Override
  public synchronized void transact(List<Write> batch) {
    for (int i = 0; i < batch.size(); i++) {
      Write write = batch.get(i);
      if (!holds(write.condition(), get(write.table(), write.key()))) {
        throw new ConditionFailedException(write.table(), write.key(), i);
      }
    }
    for (Write write : batch) {
      writes++;
      if (write instanceof Write.Put put) {
        partition(put.table(), put.key().partition()).put(put.key().sort(), put.item());
      } else if (write instanceof Write.Delete) {
        partition(write.table(), write.key().partition()).remove(write.key().sort());
      }
    }
  }

  private static boolean holds(Condition condition, Optional<Item> current) {
    if (condition instanceof Condition.NotExists) {
      return current.isEmpty();
    }
    if (condition instanceof Condition.Exists) {
      return current.isPresent();
    }
    if (condition instanceof Condition.AttributeEquals eq) {
      return current.flatMap(i -> i.attribute(eq.name())).filter(eq.value()::equals).isPresent();
    }
    return true;
  }

  /** Every live key of a table, for tests that check nothing was stored. */
  synchronized int size(String table) {
    return partitions.entrySet().stream().filter(e -> e.getKey().startsWith(table + "\n"))
        .mapToInt(e -> e.getValue().size()).sum();
  }

  @Override
  public void close() {
  }
}
