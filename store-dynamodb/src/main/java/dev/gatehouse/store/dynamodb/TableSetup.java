package dev.gatehouse.store.dynamodb;

import dev.gatehouse.store.StoreException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the store's table when it is missing (on-demand capacity), waits until it is active, checks its key schema
 * and turns on TTL. Several nodes may run this at once: a table another node is creating is waited for.
 */
final class TableSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TableSetup.class);
    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(2);
    private static final List<KeySchemaElement> KEY_SCHEMA = List.of(
            KeySchemaElement.builder()
                    .attributeName(DynamoDbItemStore.PK)
                    .keyType(KeyType.HASH)
                    .build(),
            KeySchemaElement.builder()
                    .attributeName(DynamoDbItemStore.SK)
                    .keyType(KeyType.RANGE)
                    .build());

    private final DynamoDbClient client;
    private final String tableName;

    TableSetup(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    void ensure() {
        TableDescription table = describeOrCreate();
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (table.tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new StoreException(
                        "DynamoDB table " + tableName + " did not become active within " + ACTIVE_TIMEOUT);
            }
            pause();
            table = client.describeTable(r -> r.tableName(tableName)).table();
        }
        if (!KEY_SCHEMA.equals(table.keySchema())) {
            throw new StoreException("DynamoDB table " + tableName + " exists with another key schema; Gatehouse needs "
                    + DynamoDbItemStore.PK + " (S, hash) and " + DynamoDbItemStore.SK + " (B, range)");
        }
        enableTtl();
    }

    private TableDescription describeOrCreate() {
        try {
            return client.describeTable(r -> r.tableName(tableName)).table();
        } catch (ResourceNotFoundException missing) {
            LOG.info("Creating DynamoDB table {} (on-demand capacity)", tableName);
            try {
                return client.createTable(r -> r.tableName(tableName)
                                .billingMode(BillingMode.PAY_PER_REQUEST)
                                .keySchema(KEY_SCHEMA)
                                .attributeDefinitions(
                                        AttributeDefinition.builder()
                                                .attributeName(DynamoDbItemStore.PK)
                                                .attributeType(ScalarAttributeType.S)
                                                .build(),
                                        AttributeDefinition.builder()
                                                .attributeName(DynamoDbItemStore.SK)
                                                .attributeType(ScalarAttributeType.B)
                                                .build()))
                        .tableDescription();
            } catch (ResourceInUseException another) {
                // Another node created it first.
                return client.describeTable(r -> r.tableName(tableName)).table();
            }
        }
    }

    private void enableTtl() {
        try {
            TimeToLiveStatus status = client.describeTimeToLive(r -> r.tableName(tableName))
                    .timeToLiveDescription()
                    .timeToLiveStatus();
            if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
                return;
            }
            client.updateTimeToLive(r -> r.tableName(tableName)
                    .timeToLiveSpecification(s -> s.enabled(true).attributeName(DynamoDbItemStore.TTL)));
        } catch (AwsServiceException e) {
            // Reads filter expired items anyway; without TTL they only take space until overwritten or deleted.
            LOG.warn(
                    "Could not enable TTL on DynamoDB table {}: {}",
                    tableName,
                    e.awsErrorDetails().errorCode());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the DynamoDB table", e);
        }
    }
}
