package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.ConditionFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * PutItem, GetItem, UpdateItem, DeleteItem. Every write reads the item, evaluates its condition and computes the new
 * item, then commits conditioned on the version it read; a concurrent write makes the commit fail and the whole
 * step is retried, so a condition and the write it guards are atomic.
 */
final class ItemOperations {

    static final List<String> RETURN_VALUES = List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_ATTEMPTS = 100;

    private final TableData data;
    private final TableOperations tables;

    ItemOperations(TableData data, TableOperations tables) {
        this.data = data;
        this.tables = tables;
    }

    /** Computes the new item (null: no item) from the current one (null: none); may throw a condition failure. */
    @FunctionalInterface
    interface Mutation {
        @Nullable
        Map<String, Value> apply(@Nullable Map<String, Value> current);
    }

    /** What a write did: the item before and after. */
    record Outcome(@Nullable Map<String, Value> before, @Nullable Map<String, Value> after) {}

    /** Reads, computes and commits one item, retrying on a lost race. */
    Outcome write(TableDef table, Map<String, Value> key, Mutation mutation) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<TableData.Stored> stored = data.get(table, key);
            Map<String, Value> current = live(table, stored);
            Map<String, Value> next = mutation.apply(current);
            if (next == null && current == null && stored.isEmpty()) {
                return new Outcome(null, null);
            }
            try {
                data.commit(List.of(data.new Change(table, key, stored.orElse(null), next)));
                return new Outcome(current, next);
            } catch (ConditionFailedException e) {
                Thread.onSpinWait();
            }
        }
        throw TablesException.of(TablesException.INTERNAL, "The request could not be completed; please retry");
    }

    @Nullable
    Map<String, Value> live(TableDef table, Optional<TableData.Stored> stored) {
        return stored.map(TableData.Stored::item)
                .filter(item -> !data.expired(table, item))
                .orElse(null);
    }

    /** Throws ConditionalCheckFailedException unless the condition holds for the current item. */
    static void check(
            Expr.@Nullable Condition condition,
            Evaluator evaluator,
            @Nullable Map<String, Value> current,
            JsonNode input) {
        if (condition == null || evaluator.test(condition, current == null ? Map.of() : current)) {
            return;
        }
        ObjectNode extra = null;
        if (current != null
                && input.path("ReturnValuesOnConditionCheckFailure")
                        .asText("NONE")
                        .equals("ALL_OLD")) {
            extra = JSON.objectNode();
            extra.set("Item", Attributes.write(current));
        }
        throw TablesException.conditionFailed(extra);
    }

    /** The request's condition (ConditionExpression or Expected), if any. */
    static Expr.@Nullable Condition condition(JsonNode input, Expressions.Context context) {
        if (input.hasNonNull("ConditionExpression")) {
            return Expressions.condition(
                    "ConditionExpression", input.get("ConditionExpression").asText(), context);
        }
        if (input.hasNonNull("Expected") && input.get("Expected").size() > 0) {
            return Legacy.expected(
                    input.get("Expected"), input.path("ConditionalOperator").asText("AND"), context);
        }
        return null;
    }

    private static Constraints writeConstraints(JsonNode input) {
        return new Constraints()
                .tableName(input, true)
                .oneOf(input, "ReturnValues", "returnValues", RETURN_VALUES)
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .oneOf(input, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", Requests.METRICS)
                .oneOf(
                        input,
                        "ReturnValuesOnConditionCheckFailure",
                        "returnValuesOnConditionCheckFailure",
                        List.of("ALL_OLD", "NONE"));
    }

    ObjectNode put(JsonNode input) {
        Constraints constraints = writeConstraints(input);
        if (!input.hasNonNull("Item")) {
            constraints.add("null", "item", "Member must not be null");
        }
        constraints.check();
        Map<String, Value> item = Attributes.parseItem(input.get("Item"));
        return replace(
                input,
                table -> {
                    Requests.item(table, item, false);
                    return TableData.keyOf(table, item);
                },
                item);
    }

    ObjectNode delete(JsonNode input) {
        writeConstraints(input).check();
        return replace(input, table -> Requests.key(table, input.get("Key")), null);
    }

    /** PutItem and DeleteItem: an optional condition, then the item replaced by {@code item} (null: removed). */
    private ObjectNode replace(
            JsonNode input,
            java.util.function.Function<TableDef, Map<String, Value>> keyOf,
            @Nullable Map<String, Value> item) {
        String returnValues = input.path("ReturnValues").asText("NONE");
        if (!returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw TablesException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        Requests.expressionParameters(
                input, List.of("Expected"), List.of("ConditionExpression"), List.of("ConditionExpression"));
        Expressions.Context context = Requests.context(input);
        Expr.Condition condition = condition(input, context);
        context.checkAllUsed();
        TableDef table = tables.require(input.get("TableName").asText());
        Map<String, Value> key = keyOf.apply(table);
        Evaluator evaluator = new Evaluator(context);
        Outcome outcome = write(table, key, current -> {
            check(condition, evaluator, current, input);
            return item;
        });
        ObjectNode out = JSON.objectNode();
        if (returnValues.equals("ALL_OLD") && outcome.before() != null) {
            out.set("Attributes", Attributes.write(outcome.before()));
        }
        Requests.capacity(out, input, table.name(), writeUnits(outcome));
        Requests.metrics(out, input, table, key);
        return out;
    }

    ObjectNode get(JsonNode input) {
        new Constraints()
                .tableName(input, true)
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .check();
        Requests.expressionParameters(input, List.of("AttributesToGet"), List.of("ProjectionExpression"), List.of());
        Expressions.Context context = Requests.context(input);
        Optional<List<Expr.Path>> projection = ReadOperations.projectionOf(input, context);
        context.checkAllUsed();
        TableDef table = tables.require(input.get("TableName").asText());
        Map<String, Value> key = Requests.key(table, input.get("Key"));
        Map<String, Value> item = live(table, data.get(table, key));
        ObjectNode out = JSON.objectNode();
        if (item != null) {
            out.set(
                    "Item",
                    Attributes.write(
                            projection.map(p -> Evaluator.project(item, p)).orElse(item)));
        }
        Requests.capacity(
                out,
                input,
                table.name(),
                Requests.readUnits(
                        item == null ? 0 : Attributes.size(item),
                        input.path("ConsistentRead").asBoolean(false)));
        return out;
    }

    ObjectNode update(JsonNode input) {
        writeConstraints(input).check();
        Requests.expressionParameters(
                input,
                List.of("AttributeUpdates", "Expected"),
                List.of("UpdateExpression", "ConditionExpression"),
                List.of("UpdateExpression", "ConditionExpression"));
        Expressions.Context context = Requests.context(input);
        Expr.Update update = null;
        if (input.hasNonNull("UpdateExpression")) {
            update = Expressions.update(input.get("UpdateExpression").asText(), context);
        } else if (input.hasNonNull("AttributeUpdates")) {
            update = Legacy.attributeUpdates(input.get("AttributeUpdates"), context);
        }
        Expr.Condition condition = condition(input, context);
        context.checkAllUsed();
        TableDef table = tables.require(input.get("TableName").asText());
        Map<String, Value> key = Requests.key(table, input.get("Key"));
        Expr.Update actions = update == null ? new Expr.Update(List.of()) : update;
        checkKeyTargets(table, actions);
        Evaluator evaluator = new Evaluator(context);
        Updater updater = new Updater(evaluator);
        Outcome outcome = write(table, key, current -> {
            check(condition, evaluator, current, input);
            if (current == null
                    && !actions.actions().isEmpty()
                    && actions.actions().stream()
                            .allMatch(a ->
                                    a.clause().equals("REMOVE") || a.clause().equals("DELETE"))) {
                return null;
            }
            Map<String, Value> base = current == null ? new LinkedHashMap<>(key) : current;
            Map<String, Value> next = updater.apply(actions, base);
            Requests.item(table, next, true);
            return next;
        });
        ObjectNode out = JSON.objectNode();
        Map<String, Value> attributes = returned(input.path("ReturnValues").asText("NONE"), actions, outcome, table);
        if (attributes != null && !attributes.isEmpty()) {
            out.set("Attributes", Attributes.write(attributes));
        }
        Requests.capacity(out, input, table.name(), writeUnits(outcome));
        Requests.metrics(out, input, table, key);
        return out;
    }

    private static void checkKeyTargets(TableDef table, Expr.Update update) {
        for (Expr.Action action : update.actions()) {
            String top = action.path().top();
            if (table.keyNames().contains(top)) {
                if (!action.path().isTop()) {
                    throw TablesException.validation(
                            "Key attributes must be scalars; list random access '[]' and map lookup "
                                    + "'.' are not allowed: Key: " + top);
                }
                throw TablesException.validation("One or more parameter values were invalid: Cannot update attribute "
                        + top + ". This attribute is part of the key");
            }
        }
    }

    private static @Nullable Map<String, Value> returned(
            String mode, Expr.Update update, Outcome outcome, TableDef table) {
        Map<String, Value> before = outcome.before();
        Map<String, Value> after = outcome.after();
        switch (mode) {
            case "ALL_OLD":
                return before;
            case "ALL_NEW":
                return after;
            case "UPDATED_OLD":
                return before == null
                        ? null
                        : Evaluator.project(
                                before,
                                update.actions().stream().map(Expr.Action::path).toList());
            case "UPDATED_NEW":
                if (after == null) {
                    return null;
                }
                Map<String, Value> projected = Evaluator.project(
                        after,
                        update.actions().stream()
                                .filter(a -> !a.clause().equals("REMOVE"))
                                .map(Expr.Action::path)
                                .toList());
                table.keyNames().forEach(projected::remove);
                return projected;
            default:
                return null;
        }
    }

    static double writeUnits(Outcome outcome) {
        long before = outcome.before() == null ? 0 : Attributes.size(outcome.before());
        long after = outcome.after() == null ? 0 : Attributes.size(outcome.after());
        return Requests.writeUnits(Math.max(before, after));
    }
}
