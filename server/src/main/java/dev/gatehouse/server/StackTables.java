package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.tables.TableSpec;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A template's table as the CreateTable request the tables module makes it from: {@code AWS::DynamoDB::Table}'s
 * properties are CreateTable's but for {@code SSESpecification.SSEEnabled} ({@code Enabled}); SAM's
 * {@code AWS::Serverless::SimpleTable} is a partition key ({@code PrimaryKey}, default {@code id} of type
 * {@code String}), on demand unless it has {@code ProvisionedThroughput}. A property Gatehouse does not apply is
 * refused, by name, never ignored.
 */
final class StackTables {

    private static final Set<String> TABLE_PROPERTIES = Set.of(
            "TableName",
            "AttributeDefinitions",
            "KeySchema",
            "BillingMode",
            "ProvisionedThroughput",
            "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes",
            "StreamSpecification",
            "Tags",
            "TableClass",
            "DeletionProtectionEnabled",
            "SSESpecification",
            "TimeToLiveSpecification");
    private static final Set<String> SIMPLE_TABLE_PROPERTIES =
            Set.of("TableName", "PrimaryKey", "ProvisionedThroughput", "SSESpecification", "Tags");
    private static final Map<String, String> SIMPLE_TYPES = Map.of("String", "S", "Number", "N", "Binary", "B");

    private StackTables() {}

    /** The spec of table {@code logicalId} of {@code type}, named {@code name}, from its rendered properties. */
    static TableSpec spec(String logicalId, String type, String name, ObjectNode properties) {
        boolean simple = type.equals("AWS::Serverless::SimpleTable");
        refuseUnknown(logicalId, properties, simple ? SIMPLE_TABLE_PROPERTIES : TABLE_PROPERTIES);
        ObjectNode request = simple ? simpleTable(logicalId, properties) : properties.deepCopy();
        request.remove("TableName");
        // Not a CreateTable member: turned on with UpdateTimeToLive once the table exists (StackApplier).
        request.remove("TimeToLiveSpecification");
        JsonNode sse = request.path("SSESpecification");
        if (sse.isObject() && sse.has("SSEEnabled")) {
            ObjectNode converted = ((ObjectNode) sse).deepCopy();
            converted.set("Enabled", converted.remove("SSEEnabled"));
            request.set("SSESpecification", converted);
        }
        return new TableSpec(name, request);
    }

    private static void refuseUnknown(String logicalId, ObjectNode properties, Set<String> known) {
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new StackException("resource " + logicalId + ", property " + name
                        + ": not supported for tables yet" + " (supported: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static ObjectNode simpleTable(String logicalId, ObjectNode properties) {
        JsonNode key = properties.path("PrimaryKey");
        String keyName = key.path("Name").asText("id");
        String keyType = SIMPLE_TYPES.get(key.path("Type").asText("String"));
        if (keyType == null) {
            throw new StackException(
                    "resource " + logicalId + ", property PrimaryKey.Type: must be String, Number or" + " Binary");
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.putArray("AttributeDefinitions")
                .addObject()
                .put("AttributeName", keyName)
                .put("AttributeType", keyType);
        request.putArray("KeySchema").addObject().put("AttributeName", keyName).put("KeyType", "HASH");
        if (properties.has("ProvisionedThroughput")) {
            request.put("BillingMode", "PROVISIONED")
                    .set("ProvisionedThroughput", properties.get("ProvisionedThroughput"));
        } else {
            request.put("BillingMode", "PAY_PER_REQUEST");
        }
        if (properties.has("SSESpecification")) {
            request.set("SSESpecification", properties.get("SSESpecification"));
        }
        if (properties.path("Tags").isObject()) {
            // SimpleTable's tags are a map; CreateTable's a list of Key/Value.
            ArrayNode tags = request.putArray("Tags");
            properties.get("Tags").fields().forEachRemaining(tag -> tags.addObject()
                    .put("Key", tag.getKey())
                    .put("Value", tag.getValue().asText()));
        }
        return request;
    }
}
