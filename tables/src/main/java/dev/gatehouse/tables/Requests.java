package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks and pieces shared by the item operations: keys, items against the schema, placeholders, capacity. */
final class Requests {

    static final List<String> CAPACITY = List.of("INDEXES", "TOTAL", "NONE");
    static final List<String> METRICS = List.of("SIZE", "NONE");
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Requests() {}

    /** A Key member: exactly the table's key attributes with their types. */
    static Map<String, Value> key(TableDef table, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw TablesException.validation("1 validation error detected: Value null at 'key' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        Map<String, Value> key = Attributes.parseItem(node);
        if (key.size() != table.keyNames().size()) {
            throw mismatch();
        }
        for (TableDef.KeyDef def : keyDefs(table)) {
            Value value = key.get(def.name());
            if (value == null || !value.type().equals(def.type())) {
                throw mismatch();
            }
        }
        checkKeyValues(table, key);
        return key;
    }

    static TablesException mismatch() {
        return TablesException.validation("The provided key element does not match the schema");
    }

    static List<TableDef.KeyDef> keyDefs(TableDef table) {
        List<TableDef.KeyDef> defs = new ArrayList<>();
        defs.add(table.hash());
        if (table.range() != null) {
            defs.add(table.range());
        }
        return defs;
    }

    private static void checkKeyValues(TableDef table, Map<String, Value> item) {
        for (TableDef.KeyDef def : keyDefs(table)) {
            Value value = item.get(def.name());
            if (value instanceof Value.S s && s.value().isEmpty()) {
                throw TablesException.validation(
                        "One or more parameter values are not valid. The AttributeValue for a key "
                                + "attribute cannot contain an empty string value. Key: " + def.name());
            }
            if (value instanceof Value.B b && b.value().length() == 0) {
                throw TablesException.validation(
                        "One or more parameter values are not valid. The AttributeValue for a key "
                                + "attribute cannot contain an empty binary value. Key: " + def.name());
            }
        }
        Value hash = item.get(table.hash().name());
        if (hash != null && keySize(hash) > 2048) {
            throw TablesException.validation(
                    INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        Value range = table.range() == null ? null : item.get(table.range().name());
        if (range != null && keySize(range) > 1024) {
            throw TablesException.validation(
                    INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
    }

    private static long keySize(Value value) {
        return value instanceof Value.N ? 0 : Attributes.size(value);
    }

    /** Checks a whole item against the table: key attributes present and typed, index keys typed, size. */
    static void item(TableDef table, Map<String, Value> item, boolean update) {
        for (TableDef.KeyDef def : keyDefs(table)) {
            Value value = item.get(def.name());
            if (value == null) {
                throw TablesException.validation(INVALID + "Missing the key " + def.name() + " in the item");
            }
            if (!value.type().equals(def.type())) {
                throw TablesException.validation(INVALID + "Type mismatch for key " + def.name() + " expected: "
                        + def.type() + " actual: " + value.type());
            }
        }
        checkKeyValues(table, item);
        for (TableDef.IndexDef index : table.indexes()) {
            for (TableDef.KeyDef def :
                    index.range() == null ? List.of(index.hash()) : List.of(index.hash(), index.range())) {
                Value value = item.get(def.name());
                if (value != null && !value.type().equals(def.type())) {
                    throw TablesException.validation(INVALID + "Type mismatch for Index Key " + def.name()
                            + " Expected: " + def.type() + " Actual: " + value.type() + " IndexName: " + index.name());
                }
                if (value instanceof Value.S s && s.value().isEmpty()
                        || value instanceof Value.B b && b.value().length() == 0) {
                    throw TablesException.validation(
                            INVALID + "Index key attribute " + def.name() + " has an empty string value");
                }
            }
        }
        if (Attributes.size(item) > Attributes.MAX_ITEM_BYTES) {
            throw TablesException.validation(
                    update
                            ? "Item size to update has exceeded the maximum allowed size"
                            : "Item size has exceeded the maximum allowed size");
        }
    }

    /** The request's placeholders, with DynamoDB's checks of the maps themselves. */
    static Expressions.Context context(JsonNode input) {
        JsonNode names = input.path("ExpressionAttributeNames");
        JsonNode values = input.path("ExpressionAttributeValues");
        if (names.isObject() && names.isEmpty()) {
            throw TablesException.validation("ExpressionAttributeNames must not be empty");
        }
        if (values.isObject() && values.isEmpty()) {
            throw TablesException.validation("ExpressionAttributeValues must not be empty");
        }
        return new Expressions.Context(
                names.isObject() ? Expressions.parseNames(names) : Map.of(),
                values.isObject() ? Expressions.parseValues(values) : Map.of());
    }

    /** Refuses legacy and expression parameters together, and placeholders without an expression to use them. */
    static void expressionParameters(
            JsonNode input, List<String> legacy, List<String> expressions, List<String> valueExpressions) {
        List<String> legacyUsed = legacy.stream().filter(input::hasNonNull).toList();
        List<String> expressionUsed =
                expressions.stream().filter(input::hasNonNull).toList();
        if (!legacyUsed.isEmpty() && !expressionUsed.isEmpty()) {
            throw TablesException.validation("Can not use both expression and non-expression parameters in the same "
                    + "request: Non-expression parameters: {" + String.join(", ", legacyUsed)
                    + "} Expression parameters: {"
                    + String.join(", ", expressionUsed) + "}");
        }
        if (input.hasNonNull("ExpressionAttributeValues")
                && valueExpressions.stream().noneMatch(input::hasNonNull)) {
            String tail = valueExpressions.size() == 1
                    ? valueExpressions.get(0) + " is null"
                    : String.join(" and ", valueExpressions) + " are null";
            throw TablesException.validation(
                    "ExpressionAttributeValues can only be specified when using expressions: " + tail);
        }
        if (input.hasNonNull("ExpressionAttributeNames") && expressionUsed.isEmpty()) {
            throw TablesException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
    }

    /** ConsumedCapacity as SDKs read it, or null when not asked for. */
    static void capacity(ObjectNode out, JsonNode input, String table, double units) {
        String mode = input.path("ReturnConsumedCapacity").asText("NONE");
        if (mode.equals("NONE")) {
            return;
        }
        out.set("ConsumedCapacity", capacityNode(mode, table, units));
    }

    /**
     * ItemCollectionMetrics when asked for ({@code SIZE}) on a table with local secondary indexes, the only tables with
     * item collections: the collection's hash key and a size estimate in GB (every collection here is under 1 GB).
     */
    static void metrics(ObjectNode out, JsonNode input, TableDef table, Map<String, Value> key) {
        metricsNode(input, table, key).ifPresent(node -> out.set("ItemCollectionMetrics", node));
    }

    static java.util.Optional<ObjectNode> metricsNode(JsonNode input, TableDef table, Map<String, Value> key) {
        boolean local = table.indexes().stream().anyMatch(i -> !i.global());
        Value hash = key.get(table.hash().name());
        if (!local
                || hash == null
                || !input.path("ReturnItemCollectionMetrics").asText("NONE").equals("SIZE")) {
            return java.util.Optional.empty();
        }
        ObjectNode node = JSON.objectNode();
        node.set("ItemCollectionKey", Attributes.write(Map.of(table.hash().name(), hash)));
        node.putArray("SizeEstimateRangeGB").add(0.0).add(1.0);
        return java.util.Optional.of(node);
    }

    static ObjectNode capacityNode(String mode, String table, double units) {
        ObjectNode node = JSON.objectNode().put("TableName", table).put("CapacityUnits", units);
        if (mode.equals("INDEXES")) {
            node.putObject("Table").put("CapacityUnits", units);
        }
        return node;
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }
}
