package dev.gatehouse.store;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A query over one partition.
 *
 * @param partition the partition key
 * @param sort which sort keys to return
 * @param limit at most this many items per page, 1..1000
 * @param forward ascending sort-key order when true, descending when false
 * @param cursor where the previous page stopped ({@link Page#cursor()}), or null for the first page
 */
public record Query(String partition, SortCondition sort, int limit, boolean forward, @Nullable String cursor) {

  public static final int MAX_LIMIT = 1000;

  public Query {
    Objects.requireNonNull(partition, "partition cannot be null");
    Objects.requireNonNull(sort, "sort cannot be null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  public static Query partition(String partition) {
    return new Query(partition, SortCondition.any(), 100, true, null);
  }

  public Query withSort(SortCondition condition) {
    return new Query(partition, condition, limit, forward, cursor);
  }

  public Query withLimit(int newLimit) {
    return new Query(partition, sort, newLimit, forward, cursor);
  }

  public Query descending() {
    return new Query(partition, sort, limit, false, cursor);
  }

  public Query after(@Nullable String newCursor) {
    return new Query(partition, sort, limit, forward, newCursor);
  }

  public Optional<String> startCursor() {
    return Optional.ofNullable(cursor);
  }
}
