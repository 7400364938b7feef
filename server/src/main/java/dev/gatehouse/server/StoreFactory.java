package dev.gatehouse.server;

import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the stack's item store over a database file in the data directory. */
@FunctionalInterface
interface StoreFactory {

  /** The embedded default: SQLite with WAL, one file. */
  StoreFactory SQLITE = SqliteItemStore::open;

  ItemStore open(Path databaseFile, Clock clock);
}
