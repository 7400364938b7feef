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

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1000;

    /**
     * Checks the query.
     *
     * @throws IllegalArgumentException if the limit is outside 1..{@link #MAX_LIMIT}
     */
    public Query {
        Objects.requireNonNull(partition, "partition cannot be null");
        Objects.requireNonNull(sort, "sort cannot be null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The first page of a whole partition, ascending, at most 100 items. */
    public static Query partition(String partition) {
        return new Query(partition, SortCondition.any(), 100, true, null);
    }

    /** This query restricted to the sort keys {@code condition} matches. */
    public Query withSort(SortCondition condition) {
        return new Query(partition, condition, limit, forward, cursor);
    }

    /** This query with pages of at most {@code newLimit} items (1..{@link #MAX_LIMIT}). */
    public Query withLimit(int newLimit) {
        return new Query(partition, sort, newLimit, forward, cursor);
    }

    /** This query in descending sort-key order. */
    public Query descending() {
        return new Query(partition, sort, limit, false, cursor);
    }

    /** This query resuming where the page that returned {@code newCursor} stopped; null starts over. */
    public Query after(@Nullable String newCursor) {
        return new Query(partition, sort, limit, forward, newCursor);
    }

    /** The cursor this query resumes from; empty for a first page. */
    public Optional<String> startCursor() {
        return Optional.ofNullable(cursor);
    }
}
