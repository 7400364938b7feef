package dev.gatehouse.store.sqlite;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.ItemStoreContract;
import dev.gatehouse.store.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteItemStoreTests extends ItemStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ItemStore newStore(MutableClock clock) {
        return SqliteItemStore.open(dir.resolve("store.db"), clock);
    }
}
