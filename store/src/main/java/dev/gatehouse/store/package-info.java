/**
 * The item-store port: DynamoDB's data model reduced to what Gatehouse needs. Items live under a partition key and a
 * sort key; writes can be conditional and several can commit atomically; reads are by key or by partition with a
 * sort-key condition, paginated. No operation scans a table, so cost stays flat as tables grow.
 */
@NullMarked
package dev.gatehouse.store;

import org.jspecify.annotations.NullMarked;
