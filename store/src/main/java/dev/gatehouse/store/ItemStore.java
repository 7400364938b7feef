package dev.gatehouse.store;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The item-store port. Every method is blocking and thread-safe; call it off the event loop.
 *
 * <p>Guarantees every adapter keeps (checked by {@code ItemStoreContract}):
 * <ul>
 *   <li>Reads are strongly consistent: a read after an acknowledged write sees it.</li>
 *   <li>An acknowledged write is durable: it survives a killed process (the in-memory store excepted).</li>
 *   <li>Conditional writes and {@link #transact} batches are atomic: all or nothing, and a failed condition throws
 *       {@link ConditionFailedException} having written nothing.</li>
 *   <li>Expired items are invisible to reads, queries and conditions: an item whose expiry is at or before the
 *       store's clock reads as absent, whether or not it has been deleted yet.</li>
 *   <li>Tables need no creation: a table name ({@link Tables#requireValid}: letters, digits, {@code _ - .}, 3..255)
 *       exists once written to; an invalid name throws {@link IllegalArgumentException}.</li>
 *   <li>Queries are range reads of one partition in UTF-8 byte order of sort keys; no operation scans a table.</li>
 * </ul>
 * Failures of the underlying storage, and any call after {@link #close()}, throw {@link StoreException}.
 */
public interface ItemStore extends AutoCloseable {

    /** The most writes one {@link #transact} batch may hold (DynamoDB's TransactWriteItems limit). */
    int MAX_TRANSACT_WRITES = 100;

    /** A span of writes whose durability is settled when it ends: see {@link #deferDurability()}. */
    interface Durability extends AutoCloseable {
        /** Returns once every write acknowledged so far is durable. */
        @Override
        void close();
    }

    /**
     * Until the returned span closes, a write may be acknowledged before it is on disk (still atomic, and surviving a
     * killed process); closing the span returns once every write so far is durable. For work nobody observes before it
     * ends, such as a start before it is ready. This default defers nothing: every write is durable when acknowledged.
     */
    default Durability deferDurability() {
        return () -> {};
    }

    /** The live item under the key. */
    Optional<Item> get(String table, Key key);

    /** Writes the item when the condition holds; otherwise throws {@link ConditionFailedException}. */
    default void put(String table, Item item, Condition condition) {
        transact(List.of(Write.put(table, item, condition)));
    }

    /**
     * Removes the item when the condition holds; otherwise throws {@link ConditionFailedException}. Removing an absent
     * item under {@link Condition#none()} is not an error.
     */
    default void delete(String table, Key key, Condition condition) {
        transact(List.of(Write.delete(table, key, condition)));
    }

    /**
     * One page of a partition's live items matching the sort condition, in the query's order. A present
     * {@link Page#cursor()} means more items may follow; pass it to {@link Query#after} for the next page. Paging
     * with cursors loses and repeats no item, even when items are written between pages.
     *
     * @throws IllegalArgumentException if the query's cursor is malformed or was issued for another partition
     */
    Page query(String table, Query query);

    /**
     * How many live items the partition holds: what paging through it with {@link #query} would count (this default
     * does exactly that). An adapter that can count without reading the items overrides it.
     */
    default long count(String table, String partition) {
        long count = 0;
        @Nullable String cursor = null;
        do {
            Page page = query(
                    table, Query.partition(partition).withLimit(Query.MAX_LIMIT).after(cursor));
            count += page.items().size();
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        return count;
    }

    /**
     * Applies every write or none. Between 1 and 100 writes, each to a different (table, key); otherwise
     * {@link IllegalArgumentException}. A false condition throws {@link ConditionFailedException} whose
     * {@link ConditionFailedException#index()} is the position of the first failing write.
     */
    void transact(List<Write> writes);

    /** Releases the store's resources; later calls throw {@link StoreException}. Closing twice is harmless. */
    @Override
    void close();
}
