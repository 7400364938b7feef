package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.ConditionFailedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems. Batches validate every request before doing
 * any; each of their writes is atomic alone. A transaction reads every item, evaluates every condition, and commits
 * all writes in one store transaction conditioned on the versions read (retried on a lost race); a false condition
 * cancels it with one reason per action.
 */
final class BatchOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_ATTEMPTS = 100;

    private static final java.time.Duration TOKEN_LIFETIME = java.time.Duration.ofMinutes(10);
    private static final int MAX_TOKENS = 10_000;

    private final TableData data;
    private final TableOperations tables;
    private final ItemOperations items;
    /** ClientRequestToken → (request fingerprint, when it completed), for TransactWriteItems' idempotency. */
    private final Map<String, Completed> tokens = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Completed> eldest) {
            return size() > MAX_TOKENS;
        }
    };

    private record Completed(String fingerprint, java.time.Instant at) {}

    BatchOperations(TableData data, TableOperations tables, ItemOperations items) {
        this.data = data;
        this.tables = tables;
        this.items = items;
    }

    ObjectNode batchGet(JsonNode input) {
        JsonNode requests = input.path("RequestItems");
        if (!requests.isObject() || requests.isEmpty()) {
            throw TablesException.validation("The requestItems parameter is required for BatchGetItem");
        }
        new Constraints()
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .check();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int keys = entry.getValue().path("Keys").size();
            if (keys > 100) {
                throw TablesException.validation(
                        "1 validation error detected: Value at 'RequestItems." + entry.getKey()
                                + ".member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
            }
            total += keys;
        }
        if (total > 100) {
            throw TablesException.validation("Too many items requested for the BatchGetItem call");
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode responses = out.putObject("Responses");
        ArrayNode capacity = JSON.arrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode spec = entry.getValue();
            Requests.expressionParameters(spec, List.of("AttributesToGet"), List.of("ProjectionExpression"), List.of());
            Expressions.Context context = Requests.context(spec);
            Optional<List<Expr.Path>> projection = ReadOperations.projectionOf(spec, context);
            context.checkAllUsed();
            TableDef table = tables.require(entry.getKey());
            List<Map<String, Value>> keys = new ArrayList<>();
            Set<Map<String, Value>> seen = new HashSet<>();
            for (JsonNode keyNode : spec.path("Keys")) {
                Map<String, Value> key = Requests.key(table, keyNode);
                if (!seen.add(key)) {
                    throw TablesException.validation("Provided list of item keys contains duplicates");
                }
                keys.add(key);
            }
            ArrayNode found = responses.putArray(entry.getKey());
            long bytes = 0;
            for (Map<String, Value> key : keys) {
                Map<String, Value> item = items.live(table, data.get(table, key));
                if (item != null) {
                    bytes += Attributes.size(item);
                    found.add(Attributes.write(
                            projection.map(p -> Evaluator.project(item, p)).orElse(item)));
                }
            }
            String mode = input.path("ReturnConsumedCapacity").asText("NONE");
            if (!mode.equals("NONE")) {
                capacity.add(Requests.capacityNode(
                        mode,
                        table.name(),
                        Requests.readUnits(bytes, spec.path("ConsistentRead").asBoolean(false))));
            }
        }
        out.putObject("UnprocessedKeys");
        if (!capacity.isEmpty()) {
            out.set("ConsumedCapacity", capacity);
        }
        return out;
    }

    /** One validated BatchWriteItem request. */
    private record BatchWrite(TableDef table, Map<String, Value> key, @Nullable Map<String, Value> item) {}

    ObjectNode batchWrite(JsonNode input) {
        JsonNode requests = input.path("RequestItems");
        if (!requests.isObject() || requests.isEmpty()) {
            throw TablesException.validation("The requestItems parameter is required for BatchWriteItem");
        }
        new Constraints()
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .oneOf(input, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", Requests.METRICS)
                .check();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int size = entry.getValue().size();
            if (size > 25 || size < 1) {
                throw TablesException.validation("1 validation error detected: Value '{" + entry.getKey() + "="
                        + render(entry.getValue())
                        + "}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
                        + "constraint: [Member must have length less than or equal to 25, Member must have length greater than "
                        + "or equal to 1]");
            }
            total += size;
        }
        if (total > 25) {
            throw TablesException.validation("Too many items requested for the BatchWriteItem call");
        }
        List<BatchWrite> writes = validateWrites(requests);
        Map<String, Double> units = new LinkedHashMap<>();
        ObjectNode out = JSON.objectNode();
        ObjectNode metrics = JSON.objectNode();
        for (BatchWrite write : writes) {
            ItemOperations.Outcome outcome = items.write(write.table(), write.key(), current -> write.item());
            units.merge(write.table().name(), ItemOperations.writeUnits(outcome), Double::sum);
            Requests.metricsNode(input, write.table(), write.key()).ifPresent(node -> {
                if (!metrics.has(write.table().name())) {
                    metrics.putArray(write.table().name());
                }
                ((ArrayNode) metrics.get(write.table().name())).add(node);
            });
        }
        out.putObject("UnprocessedItems");
        if (!metrics.isEmpty()) {
            out.set("ItemCollectionMetrics", metrics);
        }
        String mode = input.path("ReturnConsumedCapacity").asText("NONE");
        if (!mode.equals("NONE")) {
            ArrayNode capacity = out.putArray("ConsumedCapacity");
            units.forEach((table, value) -> capacity.add(Requests.capacityNode(mode, table, value)));
        }
        return out;
    }

    private List<BatchWrite> validateWrites(JsonNode requests) {
        List<BatchWrite> writes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<Map<String, Value>> parsed = new ArrayList<>();
            List<Boolean> puts = new ArrayList<>();
            for (JsonNode request : entry.getValue()) {
                boolean put = request.hasNonNull("PutRequest");
                if (put == request.hasNonNull("DeleteRequest")) {
                    throw TablesException.validation(
                            "Supplied AttributeValue has more than one datatypes set, must contain "
                                    + "exactly one of the supported datatypes");
                }
                parsed.add(Attributes.parseItem(
                        put
                                ? request.get("PutRequest").path("Item")
                                : request.get("DeleteRequest").path("Key")));
                puts.add(put);
            }
            TableDef table = tables.require(entry.getKey());
            Set<Map<String, Value>> seen = new HashSet<>();
            for (int i = 0; i < parsed.size(); i++) {
                Map<String, Value> key;
                if (puts.get(i)) {
                    Requests.item(table, parsed.get(i), false);
                    key = TableData.keyOf(table, parsed.get(i));
                } else {
                    key = Requests.key(
                            table, entry.getValue().get(i).get("DeleteRequest").get("Key"));
                }
                if (!seen.add(key)) {
                    throw TablesException.validation("Provided list of item keys contains duplicates");
                }
                writes.add(new BatchWrite(table, key, puts.get(i) ? parsed.get(i) : null));
            }
        }
        return writes;
    }

    private static String render(JsonNode requests) {
        List<String> parts = new ArrayList<>();
        for (JsonNode request : requests) {
            parts.add(
                    request.hasNonNull("PutRequest")
                            ? "WriteRequest(putRequest=PutRequest(item="
                                    + request.get("PutRequest").path("Item") + "), deleteRequest=null)"
                            : "WriteRequest(putRequest=null, " + "deleteRequest=DeleteRequest(key="
                                    + request.path("DeleteRequest").path("Key") + "))");
        }
        return parts.toString();
    }

    ObjectNode transactGet(JsonNode input) {
        JsonNode list = input.path("TransactItems");
        transactSize(list);
        new Constraints()
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .check();
        List<TableDef> defs = new ArrayList<>();
        List<Map<String, Value>> keys = new ArrayList<>();
        List<Optional<List<Expr.Path>>> projections = new ArrayList<>();
        List<ObjectNode> reasons = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        boolean invalid = false;
        for (JsonNode element : list) {
            JsonNode get = element.path("Get");
            Expressions.Context context = Requests.context(get);
            projections.add(ReadOperations.projectionOf(get, context));
            context.checkAllUsed();
            TableDef table = tables.require(get.path("TableName").asText());
            defs.add(table);
            ObjectNode reason = JSON.objectNode().put("Code", "None");
            try {
                keys.add(Requests.key(table, get.get("Key")));
                if (!seen.add(List.of(table.name(), keys.get(keys.size() - 1)))) {
                    throw TablesException.validation(
                            "Transaction request cannot include multiple operations on one item");
                }
            } catch (TablesException e) {
                if (e.error().message().startsWith("Transaction request")) {
                    throw e;
                }
                keys.add(Map.of());
                invalid = true;
                reason = JSON.objectNode()
                        .put("Code", "ValidationError")
                        .put("Message", e.error().message());
            }
            reasons.add(reason);
        }
        if (invalid) {
            throw cancellation(reasons);
        }
        ObjectNode out = JSON.objectNode();
        ArrayNode responses = out.putArray("Responses");
        Map<String, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < defs.size(); i++) {
            Map<String, Value> item = items.live(defs.get(i), data.get(defs.get(i), keys.get(i)));
            ObjectNode response = responses.addObject();
            if (item != null) {
                Optional<List<Expr.Path>> projection = projections.get(i);
                response.set(
                        "Item",
                        Attributes.write(
                                projection.map(p -> Evaluator.project(item, p)).orElse(item)));
            }
            units.merge(
                    defs.get(i).name(),
                    2 * Requests.readUnits(item == null ? 0 : Attributes.size(item), true),
                    Double::sum);
        }
        addCapacity(out, input, units);
        return out;
    }

    private static void transactSize(JsonNode list) {
        if (list.size() == 0) {
            throw TablesException.validation(
                    "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
                            + "constraint: Member must have length greater than or equal to 1");
        }
        if (list.size() > 100) {
            throw TablesException.validation(
                    "1 validation error detected: Value '" + list
                            + "' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
    }

    private static void addCapacity(ObjectNode out, JsonNode input, Map<String, Double> units) {
        String mode = input.path("ReturnConsumedCapacity").asText("NONE");
        if (!mode.equals("NONE")) {
            ArrayNode capacity = out.putArray("ConsumedCapacity");
            units.forEach((table, value) -> capacity.add(Requests.capacityNode(mode, table, value)));
        }
    }

    /** One checked action of a TransactWriteItems request. */
    private record Action(
            String kind,
            TableDef table,
            Map<String, Value> key,
            JsonNode spec,
            Expr.@Nullable Condition condition,
            Expr.@Nullable Update update,
            @Nullable Map<String, Value> item,
            Evaluator evaluator) {}

    ObjectNode transactWrite(JsonNode input) {
        JsonNode list = input.path("TransactItems");
        transactSize(list);
        String token = input.hasNonNull("ClientRequestToken")
                ? input.get("ClientRequestToken").asText()
                : null;
        String fingerprint = TableData.sha256(list.toString());
        if (token != null && repeated(token, fingerprint)) {
            return JSON.objectNode();
        }
        ObjectNode out = transactWriteOnce(input, list);
        if (token != null) {
            synchronized (tokens) {
                tokens.put(token, new Completed(fingerprint, data.clock().instant()));
            }
        }
        return out;
    }

    /** Whether this token already completed this same request within 10 minutes; a different request is refused. */
    private boolean repeated(String token, String fingerprint) {
        Completed completed;
        synchronized (tokens) {
            completed = tokens.get(token);
        }
        if (completed == null
                || completed.at().plus(TOKEN_LIFETIME).isBefore(data.clock().instant())) {
            return false;
        }
        if (!completed.fingerprint().equals(fingerprint)) {
            throw TablesException.of(
                    TablesException.IDEMPOTENT_MISMATCH,
                    "Request parameters do not match the original request parameters for the provided ClientRequestToken");
        }
        return true;
    }

    private ObjectNode transactWriteOnce(JsonNode input, JsonNode list) {
        new Constraints()
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .oneOf(input, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", Requests.METRICS)
                .check();
        List<Action> actions = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        long size = 0;
        for (JsonNode element : list) {
            size += element.toString().length();
            if (size > 4L * 1024 * 1024) {
                throw TablesException.validation("Transaction request size exceeds the maximum allowed size of 4 MB");
            }
            Action action = action(element);
            if (!seen.add(List.of(action.table().name(), action.key()))) {
                throw TablesException.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(action);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<TableData.Change> changes = new ArrayList<>();
            List<ObjectNode> reasons = new ArrayList<>();
            boolean cancelled = false;
            for (Action action : actions) {
                Optional<TableData.Stored> stored = data.get(action.table(), action.key());
                Map<String, Value> current = items.live(action.table(), stored);
                ObjectNode reason = JSON.objectNode();
                try {
                    Map<String, Value> next = apply(action, current);
                    changes.add(data
                    .new Change(
                            action.table(),
                            action.key(),
                            stored.orElse(null),
                            action.kind().equals("ConditionCheck") ? current : next));
                    reason.put("Code", "None");
                } catch (TablesException e) {
                    cancelled = true;
                    reason = reasonFor(e, action, current);
                }
                reasons.add(reason);
            }
            if (cancelled) {
                throw cancellation(reasons);
            }
            try {
                data.commit(changes);
            } catch (ConditionFailedException e) {
                continue;
            }
            ObjectNode out = JSON.objectNode();
            Map<String, Double> units = new LinkedHashMap<>();
            actions.forEach(a -> units.merge(a.table().name(), 2.0, Double::sum));
            addCapacity(out, input, units);
            return out;
        }
        throw TablesException.of(TablesException.INTERNAL, "The request could not be completed; please retry");
    }

    private Action action(JsonNode element) {
        String kind = null;
        for (String candidate : List.of("ConditionCheck", "Put", "Delete", "Update")) {
            if (element.hasNonNull(candidate)) {
                if (kind != null) {
                    throw TablesException.validation(
                            "TransactItems can only contain one of Check, Put, Update or Delete");
                }
                kind = candidate;
            }
        }
        if (kind == null) {
            throw TablesException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        JsonNode spec = element.get(kind);
        Expressions.Context context = Requests.context(spec);
        Expr.Update update = null;
        if (kind.equals("Update")) {
            update = Expressions.update(spec.path("UpdateExpression").asText(""), context);
        }
        Expr.Condition condition = ItemOperations.condition(spec, context);
        if (kind.equals("ConditionCheck") && condition == null) {
            throw TablesException.validation("1 validation error detected: Value null at "
                    + "'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must "
                    + "not be null");
        }
        context.checkAllUsed();
        Map<String, Value> item = kind.equals("Put") ? Attributes.parseItem(spec.path("Item")) : null;
        TableDef table = tables.require(spec.path("TableName").asText());
        Map<String, Value> key;
        if (item != null) {
            Requests.item(table, item, false);
            key = TableData.keyOf(table, item);
        } else {
            key = Requests.key(table, spec.get("Key"));
        }
        return new Action(kind, table, key, spec, condition, update, item, new Evaluator(context));
    }

    private static @Nullable Map<String, Value> apply(Action action, @Nullable Map<String, Value> current) {
        ItemOperations.check(action.condition(), action.evaluator(), current, action.spec());
        switch (action.kind()) {
            case "Put":
                return action.item();
            case "Delete":
                return null;
            case "Update":
                Map<String, Value> base = current == null ? new LinkedHashMap<>(action.key()) : current;
                Map<String, Value> next = new Updater(action.evaluator())
                        .apply(
                                java.util.Objects.requireNonNull(action.update(), "an update action has an update"),
                                base);
                Requests.item(action.table(), next, true);
                return next;
            default:
                return current;
        }
    }

    private static ObjectNode reasonFor(TablesException e, Action action, @Nullable Map<String, Value> current) {
        ObjectNode reason = JSON.objectNode();
        if (e.error().code().equals(TablesException.CONDITIONAL_CHECK_FAILED)) {
            reason.put("Code", "ConditionalCheckFailed");
            reason.put("Message", "The conditional request failed");
            if (current != null
                    && action.spec()
                            .path("ReturnValuesOnConditionCheckFailure")
                            .asText("")
                            .equals("ALL_OLD")) {
                reason.set("Item", Attributes.write(current));
            }
        } else {
            reason.put("Code", "ValidationError");
            reason.put("Message", e.error().message());
        }
        return reason;
    }

    private static TablesException cancellation(List<ObjectNode> reasons) {
        List<String> codes = reasons.stream().map(r -> r.path("Code").asText()).toList();
        ObjectNode extra = JSON.objectNode();
        ArrayNode array = extra.putArray("CancellationReasons");
        reasons.forEach(array::add);
        return new TablesException(
                dev.gatehouse.protocol.AwsError.sender(
                        TablesException.TRANSACTION_CANCELED,
                        "Transaction cancelled, please refer cancellation reasons for specific reasons ["
                                + String.join(", ", codes) + "]"),
                extra);
    }
}
