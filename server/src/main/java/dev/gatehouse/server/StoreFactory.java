package dev.gatehouse.server;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.dynamodb.DynamoDbItemStore;
import dev.gatehouse.store.dynamodb.DynamoDbSettings;
import dev.gatehouse.store.postgres.PostgresItemStore;
import dev.gatehouse.store.postgres.PostgresSettings;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/** Opens the stack's item store: over a database file in the data directory, or elsewhere (DynamoDB, PostgreSQL). */
@FunctionalInterface
interface StoreFactory {

    /** {@code --store}'s default: {@link #SQLITE}. */
    String DEFAULT_NAME = "sqlite";

    /** The embedded default: SQLite with WAL, one file. */
    StoreFactory SQLITE = SqliteItemStore::open;

    ItemStore open(Path databaseFile, Clock clock);

    /** Whether other nodes may use the same store: then object bytes live in it too, not only in the data dir. */
    default boolean shared() {
        return false;
    }

    /** DynamoDB: one table shared by every node; the data directory's database file is not used. */
    record DynamoDb(DynamoDbSettings settings) implements StoreFactory {

        public DynamoDb {
            Objects.requireNonNull(settings, "settings cannot be null");
        }

        @Override
        public ItemStore open(Path databaseFile, Clock clock) {
            return DynamoDbItemStore.open(settings, clock);
        }

        @Override
        public boolean shared() {
            return true;
        }
    }

    /** PostgreSQL: one database shared by every node; the data directory's database file is not used. */
    record Postgres(PostgresSettings settings) implements StoreFactory {

        public Postgres {
            Objects.requireNonNull(settings, "settings cannot be null");
        }

        @Override
        public ItemStore open(Path databaseFile, Clock clock) {
            return PostgresItemStore.open(settings, clock);
        }

        @Override
        public boolean shared() {
            return true;
        }
    }
}
