/**
 * The shared {@link dev.gatehouse.store.ItemStore} adapter on PostgreSQL: any number of Gatehouse nodes on one
 * database, with a connection pool (HikariCP) and schema migrations (Flyway).
 */
@NullMarked
package dev.gatehouse.store.postgres;

import org.jspecify.annotations.NullMarked;
