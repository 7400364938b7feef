package dev.gatehouse.tables;

import static dev.gatehouse.tables.TableOperations.INVALID;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads and checks a CreateTable request's keys, attribute definitions, indexes and throughput into a TableDef. */
final class TableDefinitions {

    private TableDefinitions() {}

    static void keySchemaConstraints(JsonNode schema, String path, Constraints constraints) {
        if (schema.size() > 2) {
            List<String> rendered = new ArrayList<>();
            schema.forEach(e -> rendered.add(
                    "KeySchemaElement(attributeName=" + e.path("AttributeName").asText() + ", keyType="
                            + e.path("KeyType").asText() + ")"));
            constraints.add(
                    Constraints.quote(rendered.toString()), path, "Member must have length less than or equal to 2");
        }
        for (int i = 0; i < schema.size(); i++) {
            String type = schema.get(i).path("KeyType").asText();
            if (!type.equals("HASH") && !type.equals("RANGE")) {
                constraints.add(
                        Constraints.quote(type),
                        path + "." + (i + 1) + ".member.keyType",
                        "Member must satisfy enum value set: [HASH, RANGE]");
            }
        }
    }

    static TableDef define(JsonNode input, Clock clock) {
        String name = input.get("TableName").asText();
        Map<String, String> types = new LinkedHashMap<>();
        List<TableDef.KeyDef> definitions = new ArrayList<>();
        for (JsonNode definition : input.path("AttributeDefinitions")) {
            String attribute = definition.path("AttributeName").asText();
            if (types.put(attribute, definition.path("AttributeType").asText()) != null) {
                throw TablesException.validation(INVALID + "Duplicate value in attribute name: " + attribute);
            }
            definitions.add(new TableDef.KeyDef(attribute, types.get(attribute)));
        }
        Set<String> used = new HashSet<>();
        TableDef.KeyDef[] key = keySchema(input.path("KeySchema"), types, used, null);
        List<TableDef.IndexDef> indexes = new ArrayList<>();
        Set<String> indexNames = new HashSet<>();
        JsonNode locals = input.path("LocalSecondaryIndexes");
        if (locals.size() > 0 && key[1] == null) {
            throw TablesException.validation(
                    INVALID + "Table KeySchema does not have a range key, which is required when "
                            + "specifying a LocalSecondaryIndex");
        }
        if (locals.size() > 5) {
            throw TablesException.validation(INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
        }
        for (JsonNode index : locals) {
            indexes.add(index(index, false, types, used, indexNames));
        }
        JsonNode globals = input.path("GlobalSecondaryIndexes");
        if (globals.size() > 20) {
            throw TablesException.validation(INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }
        for (JsonNode index : globals) {
            indexes.add(index(index, true, types, used, indexNames));
        }
        for (TableDef.IndexDef index : indexes) {
            if (!index.global() && !index.hash().name().equals(key[0].name())) {
                throw TablesException.validation(
                        INVALID + "Index KeySchema does not have the same leading hash key as table "
                                + "KeySchema for index: " + index.name() + ". index hash key: "
                                + index.hash().name()
                                + ", table hash key: " + key[0].name());
            }
        }
        if (!used.containsAll(types.keySet()) || types.size() != used.size()) {
            throw TablesException.validation(
                    INVALID + "Number of attributes in KeySchema does not exactly match number of "
                            + "attributes defined in AttributeDefinitions");
        }
        String billing = input.path("BillingMode").asText("PROVISIONED");
        long[] throughput = throughput(input, billing);
        String stream = input.path("StreamSpecification").path("StreamEnabled").asBoolean(false)
                ? input.path("StreamSpecification").path("StreamViewType").asText("NEW_AND_OLD_IMAGES")
                : null;
        return new TableDef(
                name,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString().substring(0, 13),
                key[0],
                key[1],
                definitions,
                indexes,
                billing,
                throughput[0],
                throughput[1],
                clock.millis() / 1000.0,
                null,
                input.path("DeletionProtectionEnabled").asBoolean(false),
                stream,
                input.path("TableClass").asText("STANDARD"));
    }

    private static long[] throughput(JsonNode input, String billing) {
        JsonNode provisioned = input.path("ProvisionedThroughput");
        if (billing.equals("PAY_PER_REQUEST")) {
            if (!provisioned.isMissingNode() && !provisioned.isNull()) {
                throw TablesException.validation(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                        + "specified when BillingMode is PAY_PER_REQUEST");
            }
            return new long[] {0, 0};
        }
        if (provisioned.isMissingNode() || provisioned.isNull()) {
            throw TablesException.validation(
                    INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified "
                            + "when BillingMode is PROVISIONED");
        }
        return new long[] {
            provisioned.path("ReadCapacityUnits").asLong(),
            provisioned.path("WriteCapacityUnits").asLong()
        };
    }

    private static TableDef.KeyDef[] keySchema(
            JsonNode schema, Map<String, String> types, Set<String> used, @Nullable String indexName) {
        if (schema.size() == 0) {
            throw TablesException.validation(INVALID + "KeySchema must not be empty");
        }
        TableDef.KeyDef[] key = new TableDef.KeyDef[2];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < schema.size(); i++) {
            String attribute = schema.get(i).path("AttributeName").asText();
            String type = schema.get(i).path("KeyType").asText();
            if (!names.add(attribute) || !types.containsKey(attribute)) {
                throw TablesException.validation("Invalid KeySchema: Some index key attribute have no definition");
            }
            if (i == 0 && !type.equals("HASH")) {
                throw TablesException.validation(
                        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
            }
            if (i == 1 && !type.equals("RANGE")) {
                throw TablesException.validation(
                        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            used.add(attribute);
            key[i] = new TableDef.KeyDef(attribute, types.get(attribute));
        }
        return key;
    }

    static TableDef.IndexDef index(
            JsonNode index, boolean global, Map<String, String> types, Set<String> used, Set<String> names) {
        String name = index.path("IndexName").asText();
        if (!names.add(name)) {
            throw TablesException.validation(INVALID + "Duplicate index name: " + name);
        }
        TableDef.KeyDef[] key = keySchema(index.path("KeySchema"), types, used, name);
        if (!global && key[1] == null) {
            throw TablesException.validation(INVALID + "Index KeySchema does not have a range key for index: " + name);
        }
        JsonNode projection = index.path("Projection");
        String type = projection.path("ProjectionType").asText("");
        if (!List.of("ALL", "KEYS_ONLY", "INCLUDE").contains(type)) {
            throw TablesException.validation(INVALID + "Unknown ProjectionType: " + (type.isEmpty() ? "null" : type));
        }
        List<String> nonKey = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
        if (!nonKey.isEmpty() && !type.equals("INCLUDE")) {
            throw TablesException.validation(
                    INVALID + "ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        JsonNode throughput = index.path("ProvisionedThroughput");
        return new TableDef.IndexDef(
                name,
                global,
                key[0],
                key[1],
                type,
                nonKey,
                throughput.path("ReadCapacityUnits").asLong(0),
                throughput.path("WriteCapacityUnits").asLong(0));
    }
}
