package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A table to create at start, in CreateTable's shape (a template's {@code AWS::DynamoDB::Table} properties are that
 * shape): {@code KeySchema}, {@code AttributeDefinitions}, {@code BillingMode}, indexes...
 *
 * @param tableName the table's name (the stage's name, already resolved)
 * @param properties the CreateTable members other than {@code TableName}
 */
public record TableSpec(String tableName, JsonNode properties) {

    public TableSpec {
        Objects.requireNonNull(tableName, "tableName cannot be null");
        Objects.requireNonNull(properties, "properties cannot be null");
    }

    /** An on-demand table with a partition key and an optional sort key, each {@code S}, {@code N} or {@code B}. */
    public static TableSpec of(
            String tableName,
            String hashName,
            String hashType,
            @Nullable String rangeName,
            @Nullable String rangeType) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("BillingMode", "PAY_PER_REQUEST");
        var schema = properties.putArray("KeySchema");
        var definitions = properties.putArray("AttributeDefinitions");
        schema.addObject().put("AttributeName", hashName).put("KeyType", "HASH");
        definitions.addObject().put("AttributeName", hashName).put("AttributeType", hashType);
        if (rangeName != null && rangeType != null) {
            schema.addObject().put("AttributeName", rangeName).put("KeyType", "RANGE");
            definitions.addObject().put("AttributeName", rangeName).put("AttributeType", rangeType);
        }
        return new TableSpec(tableName, properties);
    }

    ObjectNode createTableRequest() {
        ObjectNode request =
                properties.isObject() ? ((ObjectNode) properties).deepCopy() : JsonNodeFactory.instance.objectNode();
        request.put("TableName", tableName);
        return request;
    }
}
