package dev.gatehouse.store.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One in-process DynamoDB Local (no socket) for the whole test JVM; tests keep apart by table name. */
final class DynamoDbLocal {

  private static AmazonDynamoDBLocal local;
  private static DynamoDbClient client;

  private DynamoDbLocal() {
  }

  static synchronized DynamoDbClient client() {
    if (client == null) {
      // true: telemetry off; DynamoDB Local would otherwise try to report to AWS (tests stay on loopback).
      local = DynamoDBEmbedded.create(true);
      client = local.dynamoDbClient();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> local.shutdownNow(), "dynamodb-local-stop"));
    }
    return client;
  }
}
