package dev.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start's writes made durable once at the end of a span instead of one by one (ItemStore.deferDurability). */
class SqliteDeferredDurabilityTests {

    @TempDir
    Path dir;

    @Test
    void deferWhenSpanClosedThenEveryWriteCheckpointedIntoTheDatabaseAndStoreStillWrites() throws Exception {
        Path file = dir.resolve("store.db");
        try (SqliteItemStore store = SqliteItemStore.open(file)) {
            ItemStore.Durability span = store.deferDurability();
            for (int i = 0; i < 30; i++) {
                store.put("start", Item.of(Key.of("p", "k" + i), Map.of("n", "v" + i)), Condition.notExists());
            }
            assertThat(store.get("start", Key.of("p", "k29"))).isPresent();

            span.close();

            // the checkpoint copied every write into the database file itself: a copy of that file alone has them
            Path copy = dir.resolve("copy.db");
            Files.copy(file, copy);
            try (SqliteItemStore alone = SqliteItemStore.open(copy)) {
                assertThat(alone.get("start", Key.of("p", "k29"))).isPresent();
            }
            store.put("start", Item.of(Key.of("p", "after"), Map.of("n", "1")), Condition.notExists());
        }
        try (SqliteItemStore reopened = SqliteItemStore.open(file)) {
            assertThat(reopened.get("start", Key.of("p", "k0"))).isPresent();
            assertThat(reopened.get("start", Key.of("p", "after"))).isPresent();
        }
    }
}
