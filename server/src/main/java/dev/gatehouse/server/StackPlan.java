package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.TemplateLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What applying a changed template does to a resource that exists already, decided from the settings applied last
 * time and the template's now, as CloudFormation decides an update: a property its resource reference marks "Update
 * requires: Replacement" cannot change in place, so the change is refused (Gatehouse never replaces a pool or a table
 * with its users or items); every other property is updated in place, through the operation Cognito or DynamoDB
 * offers for it (UpdateUserPool, AddCustomAttributes, UpdateUserPoolClient, UpdateIdentityPool, UpdateTable,
 * UpdateTimeToLive). Pure: no store, no service.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpool.html">
 *     AWS::Cognito::UserPool</a>
 */
final class StackPlan {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** AWS::Cognito::UserPool properties whose change requires replacement (and CreateUserPool-only members). */
    static final List<String> POOL_REPLACEMENT =
            List.of("UsernameAttributes", "AliasAttributes", "UsernameConfiguration");

    /** AWS::Cognito::UserPoolClient properties whose change requires replacement. */
    static final List<String> CLIENT_REPLACEMENT = List.of("UserPoolId", "GenerateSecret");

    /** Table settings UpdateTable changes in place. */
    private static final List<String> TABLE_SETTINGS = List.of(
            "BillingMode", "ProvisionedThroughput", "StreamSpecification", "DeletionProtectionEnabled", "TableClass");

    /** The standard attributes of a user pool: a schema entry of another name is a custom attribute. */
    private static final Set<String> STANDARD_ATTRIBUTES = Set.of(
            "address",
            "birthdate",
            "email",
            "email_verified",
            "family_name",
            "gender",
            "given_name",
            "locale",
            "middle_name",
            "name",
            "nickname",
            "phone_number",
            "phone_number_verified",
            "picture",
            "preferred_username",
            "profile",
            "sub",
            "updated_at",
            "website",
            "zoneinfo");

    private StackPlan() {}

    /** A change the template asks for that cannot be made in place. */
    record Refusal(String logicalId, String property, String reason) {}

    /** Changes the template asks for that cannot be made in place: the apply stops before anything changed. */
    static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final transient List<Refusal> refusals;

        Refused(List<Refusal> refusals) {
            super(describe(refusals, refusal -> ""));
            this.refusals = List.copyOf(refusals);
        }

        /**
         * One line per refusal, as a template error reads: {@code template.yaml:12: resource Users, property
         * UsernameAttributes: reason}, the line found in the template's {@code text} when it can be.
         */
        String describe(String fileName, String text) {
            return describe(
                    refusals,
                    refusal -> fileName + ":"
                            + TemplateLines.line(fileName, text, refusal.logicalId(), Optional.of(refusal.property()))
                            + ": ");
        }

        private static String describe(List<Refusal> refusals, java.util.function.Function<Refusal, String> where) {
            StringBuilder text = new StringBuilder();
            for (Refusal refusal : refusals) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(where.apply(refusal))
                        .append("resource ")
                        .append(refusal.logicalId())
                        .append(", property ")
                        .append(refusal.property())
                        .append(": ")
                        .append(refusal.reason());
            }
            return text.toString();
        }
    }

    /**
     * A resource's change: the refusals (when any, nothing is applied) or the requests that apply it.
     *
     * @param requests in order, each the input of one update operation
     * @param added custom attributes to add to a user pool (AddCustomAttributes), each a schema entry
     */
    record Change(List<Refusal> refusals, List<ObjectNode> requests, List<ObjectNode> added) {
        static Change refused(List<Refusal> refusals) {
            return new Change(List.copyOf(refusals), List.of(), List.of());
        }
    }

    /** A refusal for each of {@code properties} that differs, its reason "changing it requires replacing {@code what}". */
    private static List<Refusal> replacements(
            String logicalId, List<String> properties, ObjectNode before, ObjectNode after, String what) {
        List<Refusal> refusals = new ArrayList<>();
        for (String property : properties) {
            if (!Objects.equals(before.get(property), after.get(property))) {
                refusals.add(new Refusal(logicalId, property, "changing it requires replacing " + what));
            }
        }
        return refusals;
    }

    /** A user pool from CreateUserPool settings {@code before} to {@code after}. */
    static Change userPool(String logicalId, String poolId, ObjectNode before, ObjectNode after) {
        List<Refusal> refusals = replacements(
                logicalId,
                POOL_REPLACEMENT,
                before,
                after,
                "the user pool (CloudFormation: \"Update requires: Replacement\"), which would delete its users;"
                        + " Gatehouse keeps the running stack. Restore the old value, or remove the stage's data (or"
                        + " use another --stage) to start with a new pool");
        List<ObjectNode> added = new ArrayList<>();
        schemaChange(logicalId, before.path("Schema"), after.path("Schema"), refusals, added);
        if (!refusals.isEmpty()) {
            return Change.refused(refusals);
        }
        ObjectNode update = after.deepCopy();
        POOL_REPLACEMENT.forEach(update::remove);
        update.remove("Schema");
        update.put("UserPoolId", poolId);
        return new Change(List.of(), List.of(update), List.copyOf(added));
    }

    /**
     * Schema entries: Cognito adds custom attributes to a pool but never changes or removes one, nor adds a standard
     * attribute ("During a user pool update, you can add new schema attributes but you cannot modify or delete an
     * existing schema attribute").
     */
    private static void schemaChange(
            String logicalId, JsonNode before, JsonNode after, List<Refusal> refusals, List<ObjectNode> added) {
        Map<String, JsonNode> old = byName(before);
        Map<String, JsonNode> now = byName(after);
        old.forEach((name, entry) -> {
            if (!entry.equals(now.get(name))) {
                refusals.add(new Refusal(
                        logicalId,
                        "Schema",
                        "attribute " + name + (now.containsKey(name) ? " changed" : " removed")
                                + ": Cognito cannot change or remove a schema attribute of an existing pool; restore"
                                + " it"));
            }
        });
        now.forEach((name, entry) -> {
            if (old.containsKey(name)) {
                return;
            }
            if (STANDARD_ATTRIBUTES.contains(name)) {
                refusals.add(new Refusal(
                        logicalId,
                        "Schema",
                        "standard attribute " + name + " added: Cognito adds only custom attributes to an existing"
                                + " pool"));
            } else {
                added.add((ObjectNode) entry.deepCopy());
            }
        });
    }

    private static Map<String, JsonNode> byName(JsonNode schema) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        schema.forEach(entry -> entries.put(entry.path("Name").asText(), entry));
        return entries;
    }

    /** An app client from CreateUserPoolClient settings {@code before} to {@code after}. */
    static Change client(String logicalId, String clientId, ObjectNode before, ObjectNode after) {
        List<Refusal> refusals = replacements(
                logicalId,
                CLIENT_REPLACEMENT,
                before,
                after,
                "the app client (CloudFormation: \"Update requires: Replacement\"); Gatehouse keeps the running stack."
                        + " Restore the old value, or add a new client under another logical id");
        if (!refusals.isEmpty()) {
            return Change.refused(refusals);
        }
        ObjectNode update = after.deepCopy();
        update.remove("GenerateSecret");
        update.put("ClientId", clientId);
        return new Change(List.of(), List.of(update), List.of());
    }

    /**
     * A table from CreateTable settings {@code before} to {@code after} (each with {@code TableName}, and
     * {@code TimeToLiveSpecification} when the template has one): UpdateTable requests (settings in one, then one
     * per index deleted or created, as DynamoDB takes one index change per call) and UpdateTimeToLive requests (the
     * ones with a {@code TimeToLiveSpecification} member).
     */
    static Change table(String logicalId, ObjectNode before, ObjectNode after) {
        List<Refusal> refusals = replacements(
                logicalId,
                List.of("TableName", "KeySchema", "LocalSecondaryIndexes"),
                before,
                after,
                "the table (CloudFormation: \"Update requires: Replacement\"), which would delete its items;"
                        + " Gatehouse keeps the running stack. Restore the old value, or declare a new table under"
                        + " another logical id");
        if (!refusals.isEmpty()) {
            return Change.refused(refusals);
        }
        String name = after.path("TableName").asText();
        List<ObjectNode> requests = new ArrayList<>();
        settingsUpdate(name, before, after).ifPresent(requests::add);
        indexUpdates(name, before, after, requests);
        ttlUpdates(name, before.path("TimeToLiveSpecification"), after.path("TimeToLiveSpecification"), requests);
        return new Change(List.of(), List.copyOf(requests), List.of());
    }

    private static Optional<ObjectNode> settingsUpdate(String name, ObjectNode before, ObjectNode after) {
        ObjectNode update = JSON.objectNode().put("TableName", name);
        for (String setting : TABLE_SETTINGS) {
            JsonNode now = after.get(setting);
            if (!Objects.equals(before.get(setting), now)) {
                update.set(setting, now == null ? defaultSetting(setting) : now);
            }
        }
        if (update.has("BillingMode") && !update.has("ProvisionedThroughput")) {
            JsonNode throughput = after.get("ProvisionedThroughput");
            if (throughput != null) {
                update.set("ProvisionedThroughput", throughput);
            }
        }
        if ("PAY_PER_REQUEST".equals(after.path("BillingMode").asText("PROVISIONED"))) {
            update.remove("ProvisionedThroughput");
        }
        return update.size() > 1 ? Optional.of(update) : Optional.empty();
    }

    /** What a setting left out of the template means: DynamoDB's default. */
    private static JsonNode defaultSetting(String setting) {
        return switch (setting) {
            case "BillingMode" -> JSON.textNode("PROVISIONED");
            case "StreamSpecification" -> JSON.objectNode().put("StreamEnabled", false);
            case "DeletionProtectionEnabled" -> JSON.booleanNode(false);
            case "TableClass" -> JSON.textNode("STANDARD");
            default -> JSON.nullNode();
        };
    }

    private static void indexUpdates(String name, ObjectNode before, ObjectNode after, List<ObjectNode> requests) {
        Map<String, JsonNode> old = byIndexName(before.path("GlobalSecondaryIndexes"));
        Map<String, JsonNode> now = byIndexName(after.path("GlobalSecondaryIndexes"));
        old.forEach((index, definition) -> {
            if (!definition.equals(now.get(index))) {
                ObjectNode request = JSON.objectNode().put("TableName", name);
                request.putArray("GlobalSecondaryIndexUpdates")
                        .addObject()
                        .putObject("Delete")
                        .put("IndexName", index);
                requests.add(request);
            }
        });
        now.forEach((index, definition) -> {
            if (!definition.equals(old.get(index))) {
                ObjectNode request = JSON.objectNode().put("TableName", name);
                request.set("AttributeDefinitions", after.path("AttributeDefinitions"));
                ArrayNode updates = request.putArray("GlobalSecondaryIndexUpdates");
                updates.addObject().set("Create", definition);
                requests.add(request);
            }
        });
    }

    private static Map<String, JsonNode> byIndexName(JsonNode indexes) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        indexes.forEach(index -> entries.put(index.path("IndexName").asText(), index));
        return entries;
    }

    private static void ttlUpdates(String name, JsonNode before, JsonNode after, List<ObjectNode> requests) {
        boolean wasOn = before.path("Enabled").asBoolean(false);
        boolean isOn = after.path("Enabled").asBoolean(false);
        String oldAttribute = before.path("AttributeName").asText();
        String newAttribute = after.path("AttributeName").asText();
        if (wasOn && (!isOn || !oldAttribute.equals(newAttribute))) {
            requests.add(ttl(name, oldAttribute, false));
        }
        if (isOn && (!wasOn || !oldAttribute.equals(newAttribute))) {
            requests.add(ttl(name, newAttribute, true));
        }
    }

    private static ObjectNode ttl(String name, String attribute, boolean enabled) {
        ObjectNode request = JSON.objectNode().put("TableName", name);
        request.putObject("TimeToLiveSpecification")
                .put("AttributeName", attribute)
                .put("Enabled", enabled);
        return request;
    }

    /**
     * Resources the template had and has no more, by kind: functions, routes and role policies go with the template;
     * user pools, app clients, identity pools, tables and buckets are kept with their data (see docs/decisions.md).
     *
     * @param kept logical ids of the resources kept, each with its type for the log
     * @param functions logical ids of the functions removed
     * @param roles logical ids of the roles removed
     */
    record Removed(Map<String, String> kept, List<String> functions, List<String> roles) {}

    static Removed removed(Stack before, Stack after) {
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> functions = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (Resource resource : before.resources()) {
            if (after.resource(resource.logicalId()).isPresent()) {
                continue;
            }
            if (resource instanceof Resource.Function) {
                functions.add(resource.logicalId());
            } else if (resource instanceof Resource.Role) {
                roles.add(resource.logicalId());
            } else if (keptWhenRemoved(resource)) {
                kept.put(resource.logicalId(), kind(resource));
            }
        }
        return new Removed(kept, functions, roles);
    }

    private static boolean keptWhenRemoved(Resource resource) {
        return resource instanceof Resource.UserPool
                || resource instanceof Resource.UserPoolClient
                || resource instanceof Resource.IdentityPool
                || resource instanceof Resource.Table
                || resource instanceof Resource.Bucket;
    }

    private static String kind(Resource resource) {
        if (resource instanceof Resource.UserPool) {
            return "user pool";
        } else if (resource instanceof Resource.UserPoolClient) {
            return "app client";
        } else if (resource instanceof Resource.IdentityPool) {
            return "identity pool";
        }
        return resource instanceof Resource.Table ? "table" : "bucket";
    }
}
