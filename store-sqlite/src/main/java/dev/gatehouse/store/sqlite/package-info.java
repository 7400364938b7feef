/**
 * The embedded {@link dev.gatehouse.store.ItemStore} adapter: one SQLite database file in WAL mode, the default store
 * of a single Gatehouse node.
 */
@NullMarked
package dev.gatehouse.store.sqlite;

import org.jspecify.annotations.NullMarked;
