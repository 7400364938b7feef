/**
 * DynamoDB's API (AWS JSON 1.0, {@code DynamoDB_20120810}) served over the item store: typed attribute values, table
 * descriptions, the expression language, and the item, batch and transaction operations.
 */
@NullMarked
package dev.gatehouse.tables;

import org.jspecify.annotations.NullMarked;
