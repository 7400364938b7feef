/**
 * The notes handlers packaged for AWS Lambda's Java 17 runtime: one function class per route, each built once per
 * container from environment variables, over DynamoDB ({@code store-dynamodb}) and S3 for attachments.
 */
@NullMarked
package dev.gatehouse.notes.lambda;

import org.jspecify.annotations.NullMarked;
