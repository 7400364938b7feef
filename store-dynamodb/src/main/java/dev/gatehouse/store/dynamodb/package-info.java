/**
 * The DynamoDB {@link dev.gatehouse.store.ItemStore} adapter: every port table in one DynamoDB table, so that any
 * number of stateless Gatehouse nodes (or Lambda functions) can share one store.
 */
@NullMarked
package dev.gatehouse.store.dynamodb;

import org.jspecify.annotations.NullMarked;
