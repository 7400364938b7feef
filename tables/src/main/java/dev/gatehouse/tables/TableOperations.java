package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, UpdateTimeToLive, DescribeTimeToLive. Tables are
 * ACTIVE as soon as they are created (the create answer says CREATING, as DynamoDB's does; SDK waiters accept both).
 */
final class TableOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String INVALID = "One or more parameter values were invalid: ";

    private final TableData data;
    private final Clock clock;
    private final String region;
    private final String account;

    TableOperations(TableData data, Clock clock, String region, String account) {
        this.data = data;
        this.clock = clock;
        this.region = region;
        this.account = account;
    }

    /** The table, or ResourceNotFoundException as item operations word it. */
    TableDef require(String name) {
        return data.table(tableName(name)).orElseThrow(TablesException::tableNotFound);
    }

    /**
     * A table name from a name or a table ARN. An ARN must name this region and account: a table of another account
     * is not found here (and its ARN is what the caller's policy was evaluated against).
     */
    String tableName(String nameOrArn) {
        if (!nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        String prefix = "arn:aws:dynamodb:" + region + ":" + account + ":table/";
        String name = nameOrArn.startsWith(prefix) ? nameOrArn.substring(prefix.length()) : "";
        if (name.isEmpty() || name.contains("/")) {
            throw TablesException.tableNotFound();
        }
        return name;
    }

    ObjectNode create(JsonNode input) {
        if (!input.hasNonNull("TableName")) {
            throw TablesException.validation(
                    "The parameter 'TableName' is required but was not present in the request");
        }
        Constraints constraints = new Constraints().tableName(input, false);
        TableDefinitions.keySchemaConstraints(input.path("KeySchema"), "keySchema", constraints);
        JsonNode definitions = input.path("AttributeDefinitions");
        for (int i = 0; i < definitions.size(); i++) {
            JsonNode type = definitions.get(i).path("AttributeType");
            if (!List.of("B", "N", "S").contains(type.asText())) {
                constraints.add(
                        Constraints.quote(type.asText()),
                        "attributeDefinitions." + (i + 1) + ".member.attributeType",
                        "Member must satisfy enum value set: [B, N, S]");
            }
        }
        constraints
                .oneOf(input, "BillingMode", "billingMode", List.of("PROVISIONED", "PAY_PER_REQUEST"))
                .check();
        TableDef def = TableDefinitions.define(input, clock);
        Map<String, String> tags = tagList(input.path("Tags"));
        try {
            data.createTable(def);
        } catch (dev.gatehouse.store.ConditionFailedException e) {
            throw TablesException.of(TablesException.RESOURCE_IN_USE, "Table already exists: " + def.name());
        }
        data.setTags(def, tags);
        ObjectNode out = JSON.objectNode();
        ObjectNode description = describe(def);
        description.put("TableStatus", "CREATING");
        out.set("TableDescription", description);
        return out;
    }

    ObjectNode describeTable(JsonNode input) {
        new Constraints().tableName(input, true).check();
        String name = tableName(input.get("TableName").asText());
        TableDef def = data.table(name)
                .orElseThrow(() -> TablesException.of(
                        TablesException.RESOURCE_NOT_FOUND,
                        "Requested resource not found: Table: " + name + " not found"));
        ObjectNode out = JSON.objectNode();
        out.set("Table", describe(def));
        return out;
    }

    ObjectNode listTables(JsonNode input) {
        new Constraints()
                .atLeast(input, "Limit", "limit", 1)
                .atMost(input, "Limit", "limit", 100)
                .check();
        int limit = input.path("Limit").asInt(100);
        String start = input.hasNonNull("ExclusiveStartTableName")
                ? input.get("ExclusiveStartTableName").asText()
                : null;
        List<String> names = data.tableNames(start, limit + 1);
        ObjectNode out = JSON.objectNode();
        ArrayNode array = out.putArray("TableNames");
        names.stream().limit(limit).forEach(array::add);
        if (names.size() > limit) {
            out.put("LastEvaluatedTableName", names.get(limit - 1));
        }
        return out;
    }

    ObjectNode deleteTable(JsonNode input) {
        new Constraints().tableName(input, true).check();
        String name = tableName(input.get("TableName").asText());
        TableDef def = data.table(name)
                .orElseThrow(() -> TablesException.of(
                        TablesException.RESOURCE_NOT_FOUND,
                        "Requested resource not found: Table: " + name + " not found"));
        if (def.deletionProtection()) {
            throw TablesException.validation("1 validation error detected: Table '" + name
                    + "' can't be deleted while DeletionProtectionEnabled is set to True");
        }
        data.removeTable(def);
        data.setTags(def, Map.of());
        data.purge(def);
        ObjectNode description = describe(def);
        description.put("TableStatus", "DELETING");
        ObjectNode out = JSON.objectNode();
        out.set("TableDescription", description);
        return out;
    }

    ObjectNode updateTable(JsonNode input) {
        new Constraints()
                .tableName(input, true)
                .oneOf(input, "BillingMode", "billingMode", List.of("PROVISIONED", "PAY_PER_REQUEST"))
                .check();
        String name = tableName(input.get("TableName").asText());
        TableDef def = data.table(name)
                .orElseThrow(() -> TablesException.of(
                        TablesException.RESOURCE_NOT_FOUND,
                        "Requested resource not found: Table: " + name + " not found"));
        TableDef updated = updatedSettings(def, input);
        updated = updatedIndexes(updated, input);
        data.replaceTable(updated);
        ObjectNode out = JSON.objectNode();
        out.set("TableDescription", describe(updated));
        return out;
    }

    private static TableDef updatedSettings(TableDef def, JsonNode input) {
        String billing = input.path("BillingMode").asText(def.billingMode());
        long read = def.readCapacity();
        long write = def.writeCapacity();
        JsonNode provisioned = input.path("ProvisionedThroughput");
        if (billing.equals("PAY_PER_REQUEST") && !provisioned.isMissingNode() && !provisioned.isNull()) {
            throw TablesException.validation(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                    + "specified when BillingMode is PAY_PER_REQUEST");
        }
        if (billing.equals("PROVISIONED")
                && def.billingMode().equals("PROVISIONED")
                && !provisioned.isMissingNode()
                && provisioned.path("ReadCapacityUnits").asLong() == read
                && provisioned.path("WriteCapacityUnits").asLong() == write) {
            throw TablesException.validation("The provisioned throughput for the table will not change. The requested "
                    + "value equals the current value. Current ReadCapacityUnits provisioned for the table: " + read
                    + ". Requested ReadCapacityUnits: " + read
                    + ". Current WriteCapacityUnits provisioned for the table: "
                    + write + ". Requested WriteCapacityUnits: " + write
                    + ". Refer to the Amazon DynamoDB Developer Guide "
                    + "for current limits and how to request higher limits.");
        }
        if (!provisioned.isMissingNode()) {
            read = provisioned.path("ReadCapacityUnits").asLong(read);
            write = provisioned.path("WriteCapacityUnits").asLong(write);
        }
        if (billing.equals("PAY_PER_REQUEST")) {
            read = 0;
            write = 0;
        } else if (read == 0 || write == 0) {
            throw TablesException.validation(
                    INVALID + "ProvisionedThroughput must be specified when BillingMode is " + "PROVISIONED");
        }
        JsonNode streamSpec = input.path("StreamSpecification");
        String stream = streamSpec.isMissingNode()
                ? def.streamViewType()
                : streamSpec.path("StreamEnabled").asBoolean(false)
                        ? streamSpec.path("StreamViewType").asText("NEW_AND_OLD_IMAGES")
                        : null;
        return def.withSettings(
                billing,
                read,
                write,
                input.path("DeletionProtectionEnabled").asBoolean(def.deletionProtection()),
                stream,
                input.path("TableClass").asText(def.tableClass()));
    }

    private TableDef updatedIndexes(TableDef def, JsonNode input) {
        JsonNode updates = input.path("GlobalSecondaryIndexUpdates");
        if (updates.size() == 0) {
            return def;
        }
        List<TableDef.IndexDef> indexes = new ArrayList<>(def.indexes());
        List<TableDef.KeyDef> definitions = new ArrayList<>(def.attributeDefinitions());
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode definition : input.path("AttributeDefinitions")) {
            types.put(
                    definition.path("AttributeName").asText(),
                    definition.path("AttributeType").asText());
        }
        def.attributeDefinitions().forEach(d -> types.putIfAbsent(d.name(), d.type()));
        for (JsonNode update : updates) {
            if (update.has("Create")) {
                String indexName = update.get("Create").path("IndexName").asText();
                Set<String> names = new HashSet<>();
                indexes.forEach(i -> names.add(i.name()));
                TableDef.IndexDef created =
                        TableDefinitions.index(update.get("Create"), true, types, new HashSet<>(), names);
                indexes.add(created);
                for (TableDef.KeyDef key :
                        created.range() == null ? List.of(created.hash()) : List.of(created.hash(), created.range())) {
                    if (definitions.stream().noneMatch(d -> d.name().equals(key.name()))) {
                        definitions.add(key);
                    }
                }
                backfill(def, created, indexName);
            } else if (update.has("Delete")) {
                String indexName = update.get("Delete").path("IndexName").asText();
                if (!indexes.removeIf(i -> i.global() && i.name().equals(indexName))) {
                    throw TablesException.of(
                            TablesException.RESOURCE_NOT_FOUND,
                            "Requested resource not found: Index: " + indexName + " not found");
                }
            }
        }
        return def.withIndexes(indexes, definitions);
    }

    /** Writes the new index's entries for the items already stored (synchronously: the index is then ACTIVE). */
    private void backfill(TableDef def, TableDef.IndexDef index, String indexName) {
        TableDef withIndex = def.withIndexes(List.of(index), def.attributeDefinitions());
        ReadOperations.forEachItem(data, def, stored -> {
            data.new Change(withIndex, TableData.keyOf(def, stored.item()), null, stored.item()).prepare();
        });
    }

    ObjectNode updateTimeToLive(JsonNode input) {
        Constraints constraints = new Constraints().tableName(input, true);
        JsonNode name = input.path("TimeToLiveSpecification").path("AttributeName");
        if (name.isTextual() && name.asText().isEmpty()) {
            constraints.add(
                    "''",
                    "timeToLiveSpecification.attributeName",
                    "Member must have length greater than or equal to 1");
        } else if (name.isTextual() && name.asText().length() > 255) {
            constraints.add(
                    Constraints.quote(name.asText()),
                    "timeToLiveSpecification.attributeName",
                    "Member must have length less than or equal to 255");
        }
        constraints.check();
        TableDef def = require(input.get("TableName").asText());
        JsonNode spec = input.path("TimeToLiveSpecification");
        String attribute = spec.path("AttributeName").asText();
        boolean enable = spec.path("Enabled").asBoolean(false);
        if (enable && def.ttlAttribute() != null) {
            throw TablesException.validation("TimeToLive is already enabled");
        }
        if (!enable && def.ttlAttribute() == null) {
            throw TablesException.validation("TimeToLive is already disabled");
        }
        if (!enable && !attribute.equals(def.ttlAttribute())) {
            throw TablesException.validation("TimeToLive is enabled on a different attribute: " + def.ttlAttribute());
        }
        data.replaceTable(def.withTtl(enable ? attribute : null));
        ObjectNode out = JSON.objectNode();
        ObjectNode echo = out.putObject("TimeToLiveSpecification");
        echo.put("Enabled", enable);
        echo.put("AttributeName", attribute);
        return out;
    }

    ObjectNode describeTimeToLive(JsonNode input) {
        new Constraints().tableName(input, true).check();
        TableDef def = require(input.get("TableName").asText());
        ObjectNode out = JSON.objectNode();
        ObjectNode description = out.putObject("TimeToLiveDescription");
        if (def.ttlAttribute() == null) {
            description.put("TimeToLiveStatus", "DISABLED");
        } else {
            description.put("TimeToLiveStatus", "ENABLED");
            description.put("AttributeName", def.ttlAttribute());
        }
        return out;
    }

    ObjectNode tagResource(JsonNode input) {
        TableDef def = byArn(input);
        Map<String, String> tags = data.tags(def);
        tags.putAll(tagList(input.path("Tags")));
        if (tags.size() > 50) {
            throw TablesException.of(
                    TablesException.LIMIT_EXCEEDED,
                    "One or more parameter values were invalid: The " + "number of tags exceeds the limit of 50");
        }
        data.setTags(def, tags);
        return JSON.objectNode();
    }

    ObjectNode untagResource(JsonNode input) {
        TableDef def = byArn(input);
        Map<String, String> tags = data.tags(def);
        input.path("TagKeys").forEach(key -> tags.remove(key.asText()));
        data.setTags(def, tags);
        return JSON.objectNode();
    }

    ObjectNode listTagsOfResource(JsonNode input) {
        TableDef def = byArn(input);
        ObjectNode out = JSON.objectNode();
        ArrayNode tags = out.putArray("Tags");
        data.tags(def).forEach((key, value) -> tags.addObject().put("Key", key).put("Value", value));
        return out;
    }

    private TableDef byArn(JsonNode input) {
        String arn = input.path("ResourceArn").asText("");
        if (arn.isEmpty()) {
            throw TablesException.validation(
                    "1 validation error detected: Value null at 'resourceArn' failed to satisfy "
                            + "constraint: Member must not be null");
        }
        int at = arn.indexOf(":table/");
        if (!arn.startsWith("arn:") || at < 0) {
            throw TablesException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        String name = arn.substring(at + 7);
        if (!arn.startsWith("arn:aws:dynamodb:" + region + ":" + account + ":")) {
            throw TablesException.of(
                    TablesException.ACCESS_DENIED,
                    "User is not authorized to perform: dynamodb:" + "ListTagsOfResource on resource: " + arn);
        }
        return data.table(name)
                .filter(def -> tableArn(def).equals(arn))
                .orElseThrow(() -> TablesException.of(
                        TablesException.RESOURCE_NOT_FOUND,
                        "Requested resource not found: ResourcArn: " + arn + " not found"));
    }

    private static Map<String, String> tagList(JsonNode list) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : list) {
            tags.put(tag.path("Key").asText(), tag.path("Value").asText(""));
        }
        return tags;
    }

    String tableArn(TableDef def) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + def.name();
    }

    /** The TableDescription of a table. */
    ObjectNode describe(TableDef def) {
        ObjectNode out = JSON.objectNode();
        ArrayNode definitions = out.putArray("AttributeDefinitions");
        def.attributeDefinitions()
                .forEach(d ->
                        definitions.addObject().put("AttributeName", d.name()).put("AttributeType", d.type()));
        out.put("TableName", def.name());
        out.set("KeySchema", keySchema(def.hash(), def.range()));
        out.put("TableStatus", "ACTIVE");
        out.put("CreationDateTime", def.created());
        out.set("ProvisionedThroughput", throughput(def.readCapacity(), def.writeCapacity()));
        out.put("TableSizeBytes", 0);
        out.put("ItemCount", 0);
        out.put("TableArn", tableArn(def));
        out.put("TableId", def.tableId());
        if (def.billingMode().equals("PAY_PER_REQUEST")) {
            out.putObject("BillingModeSummary")
                    .put("BillingMode", "PAY_PER_REQUEST")
                    .put("LastUpdateToPayPerRequestDateTime", def.created());
        }
        describeIndexes(def, out);
        if (def.streamViewType() != null) {
            out.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", def.streamViewType());
        }
        if (!def.tableClass().equals("STANDARD")) {
            out.putObject("TableClassSummary").put("TableClass", def.tableClass());
        }
        out.put("DeletionProtectionEnabled", def.deletionProtection());
        return out;
    }

    private void describeIndexes(TableDef def, ObjectNode out) {
        ArrayNode locals = JSON.arrayNode();
        ArrayNode globals = JSON.arrayNode();
        for (TableDef.IndexDef index : def.indexes()) {
            ObjectNode node = (index.global() ? globals : locals).addObject();
            node.put("IndexName", index.name());
            node.set("KeySchema", keySchema(index.hash(), index.range()));
            ObjectNode projection = node.putObject("Projection").put("ProjectionType", index.projectionType());
            if (!index.nonKeyAttributes().isEmpty()) {
                ArrayNode nonKey = projection.putArray("NonKeyAttributes");
                index.nonKeyAttributes().forEach(nonKey::add);
            }
            if (index.global()) {
                node.put("IndexStatus", "ACTIVE");
                node.set("ProvisionedThroughput", throughput(index.readCapacity(), index.writeCapacity()));
            }
            node.put("IndexSizeBytes", 0);
            node.put("ItemCount", 0);
            node.put("IndexArn", tableArn(def) + "/index/" + index.name());
        }
        if (!locals.isEmpty()) {
            out.set("LocalSecondaryIndexes", locals);
        }
        if (!globals.isEmpty()) {
            out.set("GlobalSecondaryIndexes", globals);
        }
    }

    private static ArrayNode keySchema(TableDef.KeyDef hash, TableDef.@Nullable KeyDef range) {
        ArrayNode schema = JSON.arrayNode();
        schema.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
        if (range != null) {
            schema.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
        }
        return schema;
    }

    private static ObjectNode throughput(long read, long write) {
        return JSON.objectNode()
                .put("NumberOfDecreasesToday", 0)
                .put("ReadCapacityUnits", read)
                .put("WriteCapacityUnits", write);
    }
}
