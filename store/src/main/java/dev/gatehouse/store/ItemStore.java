package dev.gatehouse.store;

import java.util.List;
import java.util.Optional;

/**
 * The item-store port. Every method is blocking and thread-safe; call it off the event loop.
 *
 * <p>Guarantees every adapter keeps (checked by {@code ItemStoreContract}):
 * <ul>
 *   <li>Reads are strongly consistent: a read after an acknowledged write sees it.</li>
 *   <li>An acknowledged write is durable: it survives a killed process.</li>
 *   <li>Conditional writes and {@link #transact} batches are atomic: all or nothing, and a failed condition throws
 *       {@link ConditionFailedException} having written nothing.</li>
 *   <li>Expired items are invisible to reads, queries and conditions.</li>
 *   <li>Tables need no creation: a table name (letters, digits, {@code _ - .}, 3..255) exists once written to.</li>
 * </ul>
 */
public interface ItemStore extends AutoCloseable {

  /** The live item under the key. */
  Optional<Item> get(String table, Key key);

  /** Writes the item when the condition holds; otherwise throws {@link ConditionFailedException}. */
  void put(String table, Item item, Condition condition);

  /** Removes the item when the condition holds; otherwise throws {@link ConditionFailedException}. */
  void delete(String table, Key key, Condition condition);

  /** One page of a partition's live items matching the sort condition. */
  Page query(String table, Query query);

  /**
   * Applies every write or none. At most 100 writes, each to a different key; otherwise
   * {@link IllegalArgumentException}. A false condition throws {@link ConditionFailedException} with its index.
   */
  void transact(List<Write> writes);

  /** Releases the store's resources; later calls throw {@link StoreException}. */
  @Override
  void close();
}
