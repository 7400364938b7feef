package dev.gatehouse.store;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of query results.
 *
 * @param items the items, in the query's order
 * @param nextCursor opaque; present when more items may follow. Cursors are portable across adapters and nodes.
 */
public record Page(List<Item> items, @Nullable String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    /** The cursor of the next page; empty when no more items follow. */
    public Optional<String> cursor() {
        return Optional.ofNullable(nextCursor);
    }
}
