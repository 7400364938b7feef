package dev.gatehouse.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ItemStore} held in memory, for unit tests and throw-away runs: the same semantics as every adapter
 * (conditions, atomic batches, expiry against the injected clock, UTF-8 order, portable cursors) except durability.
 * One read-write lock guards everything, so reads run in parallel and writes are serialised. Expired items are
 * invisible at once and swept out at most once a minute of clock time, on a write.
 */
public final class InMemoryItemStore implements ItemStore {

    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Clock clock;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Partition, NavigableMap<String, Item>> partitions = new HashMap<>();
    private Instant nextSweep = Instant.MIN;
    private boolean closed;

    /** A store whose expiry decisions follow {@code clock}. */
    public InMemoryItemStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    /** A store on the system clock (UTC). */
    public InMemoryItemStore() {
        this(Clock.systemUTC());
    }

    @Override
    public Optional<Item> get(String table, Key key) {
        Tables.requireValid(table);
        Objects.requireNonNull(key, "key cannot be null");
        lock.readLock().lock();
        try {
            requireOpen();
            return Optional.ofNullable(live(table, key, clock.instant()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Page query(String table, Query query) {
        Tables.requireValid(table);
        Objects.requireNonNull(query, "query cannot be null");
        String after = query.cursor() == null ? null : Cursors.decode(query.partition(), query.cursor());
        lock.readLock().lock();
        try {
            requireOpen();
            NavigableMap<String, Item> all = partitions.get(new Partition(table, query.partition()));
            if (all == null) {
                return new Page(List.of(), null);
            }
            return page(query, inOrderAfter(all, query.forward(), after), clock.instant());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void transact(List<Write> writes) {
        List<Write> batch = Write.requireValidBatch(writes);
        lock.writeLock().lock();
        try {
            requireOpen();
            Instant now = clock.instant();
            for (int i = 0; i < batch.size(); i++) {
                Write write = batch.get(i);
                if (!write.condition().isMetBy(live(write.table(), write.key(), now))) {
                    throw new ConditionFailedException(write.table(), write.key(), i);
                }
            }
            batch.forEach(this::apply);
            sweepIfDue(now);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            partitions.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void apply(Write write) {
        Partition partition = new Partition(write.table(), write.key().partition());
        if (write instanceof Write.Put put) {
            partitions
                    .computeIfAbsent(partition, p -> new TreeMap<>(Utf8Order.COMPARATOR))
                    .put(put.key().sort(), put.item());
        } else if (write instanceof Write.Delete) {
            NavigableMap<String, Item> items = partitions.get(partition);
            if (items != null) {
                items.remove(write.key().sort());
                if (items.isEmpty()) {
                    partitions.remove(partition);
                }
            }
        }
    }

    private @Nullable Item live(String table, Key key, Instant now) {
        NavigableMap<String, Item> items = partitions.get(new Partition(table, key.partition()));
        Item item = items == null ? null : items.get(key.sort());
        return item == null || item.isExpiredAt(now) ? null : item;
    }

    private static NavigableMap<String, Item> inOrderAfter(
            NavigableMap<String, Item> all, boolean forward, @Nullable String after) {
        if (forward) {
            return after == null ? all : all.tailMap(after, false);
        }
        return after == null ? all.descendingMap() : all.headMap(after, false).descendingMap();
    }

    private static Page page(Query query, NavigableMap<String, Item> ordered, Instant now) {
        List<Item> items = new ArrayList<>();
        for (Item item : ordered.values()) {
            if (item.isExpiredAt(now) || !query.sort().matches(item.key().sort())) {
                continue;
            }
            if (items.size() == query.limit()) {
                // A further match exists, so hand out a cursor; a full last page gets none.
                return new Page(
                        items,
                        Cursors.encode(
                                query.partition(),
                                items.get(items.size() - 1).key().sort()));
            }
            items.add(item);
        }
        return new Page(items, null);
    }

    private void sweepIfDue(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        partitions.values().forEach(items -> items.values().removeIf(item -> item.isExpiredAt(now)));
        partitions.values().removeIf(Map::isEmpty);
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private record Partition(String table, String partition) {}
}
