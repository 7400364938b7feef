package dev.gatehouse.server;

import dev.gatehouse.store.ItemStore;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the stack's item store over a database file in the data directory. */
@FunctionalInterface
interface StoreFactory {

  /** The embedded default: SQLite with WAL, one file. */
  StoreFactory SQLITE = (file, clock) -> {
    // store-sqlite has not been merged into main yet; wired as soon as SqliteItemStore lands.
    throw new IllegalStateException("no item store adapter available yet (store-sqlite not merged)");
  };

  ItemStore open(Path databaseFile, Clock clock);
}
