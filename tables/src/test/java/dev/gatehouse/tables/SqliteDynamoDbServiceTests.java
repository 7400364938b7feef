package dev.gatehouse.tables;

import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Every service test again on the embedded SQLite adapter, the store the jar uses by default. */
class SqliteDynamoDbServiceTests extends DynamoDbServiceTests {

    @TempDir
    Path dir;

    private SqliteItemStore store;

    @Override
    Api newApi() {
        store = SqliteItemStore.open(dir.resolve("tables.db"), Api.fixedClock());
        return new Api(store, Api.fixedClock());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
