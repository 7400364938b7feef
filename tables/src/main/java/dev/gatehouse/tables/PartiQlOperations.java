package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.tables.PartiQl.Assignment;
import dev.gatehouse.tables.PartiQl.Between;
import dev.gatehouse.tables.PartiQl.Binary;
import dev.gatehouse.tables.PartiQl.Call;
import dev.gatehouse.tables.PartiQl.Kind;
import dev.gatehouse.tables.PartiQl.Literal;
import dev.gatehouse.tables.PartiQl.Logic;
import dev.gatehouse.tables.PartiQl.Node;
import dev.gatehouse.tables.PartiQl.Path;
import dev.gatehouse.tables.PartiQl.Render;
import dev.gatehouse.tables.PartiQl.Statement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Design note: a statement is parsed by
 * {@link PartiQl} and translated into the request of the item operation it means (SELECT into Query when its WHERE
 * fixes the partition key, else Scan; INSERT into a PutItem conditioned on the key not existing; UPDATE into an
 * UpdateItem conditioned on the item existing; DELETE into DeleteItem; a transaction into TransactWriteItems or
 * TransactGetItems), so validation, evaluation, storage and atomicity are those operations' own.
 */
final class PartiQlOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String DUPLICATE = "Duplicate primary key exists in table";
    private static final String NO_KEY = "Where clause does not contain a mandatory equality on all key attributes";

    private final TableOperations tables;
    private final ReadOperations reads;
    private final ItemOperations items;
    private final BatchOperations batches;

    PartiQlOperations(TableOperations tables, ReadOperations reads, ItemOperations items, BatchOperations batches) {
        this.tables = tables;
        this.reads = reads;
        this.items = items;
        this.batches = batches;
    }

    /** The statements of a request with the IAM action each needs ({@code dynamodb:PartiQLSelect}, ...). */
    static List<String[]> actions(String operation, JsonNode input) {
        List<String[]> out = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        if (operation.equals("ExecuteStatement")) {
            entries.add(input);
        } else {
            input.path(operation.equals("ExecuteTransaction") ? "TransactStatements" : "Statements")
                    .forEach(entries::add);
        }
        for (JsonNode entry : entries) {
            try {
                Statement s = PartiQl.parse(entry.path("Statement").asText(""), parameters(entry));
                String kind =
                        s.kind().name().charAt(0) + s.kind().name().substring(1).toLowerCase(java.util.Locale.ROOT);
                out.add(new String[] {"dynamodb:PartiQL" + kind, s.table(), s.index()});
            } catch (TablesException e) {
                // the handler answers the statement's error before touching any table
            }
        }
        return out;
    }

    ObjectNode executeStatement(JsonNode input) {
        Statement s = parse(input);
        if (s.kind() == Kind.SELECT) {
            return select(s, input);
        }
        write(s, input.path("ReturnConsumedCapacity"));
        ObjectNode out = JSON.objectNode();
        out.putArray("Items");
        return out;
    }

    ObjectNode batchExecuteStatement(JsonNode input) {
        JsonNode statements = input.path("Statements");
        requireCount(statements, "statements", 25);
        ObjectNode out = JSON.objectNode();
        ArrayNode responses = out.putArray("Responses");
        for (JsonNode entry : statements) {
            responses.add(batchOne(entry, input));
        }
        return out;
    }

    ObjectNode executeTransaction(JsonNode input) {
        JsonNode statements = input.path("TransactStatements");
        requireCount(statements, "transactStatements", 100);
        List<Statement> parsed = new ArrayList<>();
        statements.forEach(entry -> parsed.add(parse(entry)));
        boolean reading = parsed.get(0).kind() == Kind.SELECT;
        if (parsed.stream().anyMatch(s -> (s.kind() == Kind.SELECT) != reading)) {
            throw TablesException.validation(
                    "Transaction must contain either all read statements or all write " + "statements");
        }
        return reading ? transactRead(parsed, input) : transactWrite(parsed, input);
    }

    // ---------------------------------------------------------------- statements

    private static Statement parse(JsonNode entry) {
        JsonNode text = entry.path("Statement");
        if (!text.isTextual() || text.asText().isEmpty()) {
            throw TablesException.validation("1 validation error detected: Value null at 'statement' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        return PartiQl.parse(text.asText(), parameters(entry));
    }

    private static List<JsonNode> parameters(JsonNode entry) {
        List<JsonNode> out = new ArrayList<>();
        entry.path("Parameters").forEach(out::add);
        return out;
    }

    private static void requireCount(JsonNode list, String member, int max) {
        int size = list.isArray() ? list.size() : 0;
        if (size < 1) {
            throw TablesException.validation("1 validation error detected: Value '[]' at '" + member
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (size > max) {
            throw TablesException.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
    }

    private ObjectNode batchOne(JsonNode entry, JsonNode input) {
        ObjectNode response = JSON.objectNode();
        try {
            Statement s = parse(entry);
            response.put("TableName", s.table());
            if (s.kind() == Kind.SELECT) {
                ObjectNode get = getRequest(s, tables.require(s.table()));
                get.put("ConsistentRead", entry.path("ConsistentRead").asBoolean(false));
                ObjectNode result = items.get(get);
                if (result.has("Item")) {
                    response.set("Item", flatten(s, (ObjectNode) result.get("Item")));
                }
            } else {
                write(s, input.path("ReturnConsumedCapacity"));
            }
        } catch (TablesException e) {
            response.remove("TableName");
            ObjectNode error = response.putObject("Error");
            error.put("Code", batchCode(e.error().code()));
            error.put("Message", e.error().message());
            if (e.error().code().equals(TablesException.DUPLICATE_ITEM)) {
                error.put("Code", "DuplicateItem");
            }
        }
        return response;
    }

    private static String batchCode(String type) {
        String name = type.substring(type.indexOf('#') + 1);
        return switch (name) {
            case "ValidationException" -> "ValidationError";
            case "ThrottlingException" -> "ThrottlingError";
            case "InternalServerError" -> name;
            default -> name.endsWith("Exception") ? name.substring(0, name.length() - "Exception".length()) : name;
        };
    }

    // ---------------------------------------------------------------- SELECT

    private ObjectNode select(Statement s, JsonNode input) {
        TableDef def = tables.require(s.table());
        String hash = def.hash().name();
        String range = def.rangeKey().map(TableDef.KeyDef::name).orElse(null);
        if (s.index() != null) {
            TableDef.IndexDef index = def.index(s.index())
                    .orElseThrow(() ->
                            TablesException.validation("The table does not have the specified index: " + s.index()));
            hash = index.hash().name();
            range = index.range() == null ? null : index.range().name();
        }
        Render render = new Render();
        ObjectNode request = JSON.objectNode().put("TableName", s.table());
        if (s.index() != null) {
            request.put("IndexName", s.index());
        }
        boolean query = s.where() != null && keyCondition(s.where(), hash, range, render, request);
        if (!query && s.where() != null) {
            request.put("FilterExpression", render.node(s.where()));
        }
        render.into(request);
        copyPaging(input, request);
        ObjectNode result = query ? reads.query(request) : reads.scan(request);
        return selectOutput(s, result);
    }

    private static void copyPaging(JsonNode input, ObjectNode request) {
        if (input.has("Limit")) {
            request.set("Limit", input.get("Limit"));
        }
        if (input.path("ConsistentRead").asBoolean(false)) {
            request.put("ConsistentRead", true);
        }
        if (input.has("ReturnConsumedCapacity")) {
            request.set("ReturnConsumedCapacity", input.get("ReturnConsumedCapacity"));
        }
        if (input.hasNonNull("NextToken")) {
            request.set("ExclusiveStartKey", decodeToken(input.get("NextToken").asText()));
        }
    }

    private ObjectNode selectOutput(Statement s, ObjectNode result) {
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("Items");
        result.path("Items").forEach(item -> list.add(flatten(s, (ObjectNode) item)));
        if (result.has("LastEvaluatedKey")) {
            out.put("NextToken", encodeToken(result.get("LastEvaluatedKey")));
        }
        if (result.has("ConsumedCapacity")) {
            out.set("ConsumedCapacity", result.get("ConsumedCapacity"));
        }
        return out;
    }

    /**
     * Splits the WHERE into a Query's key condition and filter when one of its top-level conjuncts fixes the
     * partition key and no other conjunct but one sort-key condition mentions a key attribute.
     */
    private static boolean keyCondition(
            Node where, String hash, @Nullable String range, Render render, ObjectNode request) {
        List<Node> conjuncts = conjuncts(where);
        Node hashEq = conjuncts.stream()
                .filter(c -> equality(c, hash) != null)
                .findFirst()
                .orElse(null);
        if (hashEq == null) {
            return false;
        }
        List<Node> rest = new ArrayList<>(conjuncts);
        rest.remove(hashEq);
        Node rangeCondition = range == null
                ? null
                : rest.stream()
                        .filter(c -> isRangeCondition(c, range))
                        .findFirst()
                        .orElse(null);
        rest.remove(rangeCondition);
        Set<String> keys = range == null ? Set.of(hash) : Set.of(hash, range);
        if (rest.stream().anyMatch(c -> mentions(c, keys))) {
            return false;
        }
        String keyText = render.node(hashEq);
        if (rangeCondition != null) {
            keyText += " AND " + render.node(rangeCondition);
        }
        request.put("KeyConditionExpression", keyText);
        if (!rest.isEmpty()) {
            request.put(
                    "FilterExpression",
                    String.join(
                            " AND ",
                            rest.stream().map(c -> "(" + render.node(c) + ")").toList()));
        }
        return true;
    }

    private static boolean isRangeCondition(Node c, String range) {
        if (c instanceof Binary b && !b.op().equals("<>") && !b.op().equals("+") && !b.op().equals("-")) {
            return isKeyPath(b.left(), range) && b.right() instanceof Literal;
        }
        if (c instanceof Between b) {
            return isKeyPath(b.operand(), range) && b.low() instanceof Literal && b.high() instanceof Literal;
        }
        return c instanceof Call call
                && call.name().equals("begins_with")
                && call.args().size() == 2
                && isKeyPath(call.args().get(0), range)
                && call.args().get(1) instanceof Literal;
    }

    private static boolean mentions(Node node, Set<String> names) {
        if (node instanceof Path p) {
            return names.contains(p.first());
        } else if (node instanceof Binary b) {
            return mentions(b.left(), names) || mentions(b.right(), names);
        } else if (node instanceof Logic l) {
            return mentions(l.left(), names) || mentions(l.right(), names);
        } else if (node instanceof PartiQl.Not n) {
            return mentions(n.operand(), names);
        } else if (node instanceof Between b) {
            return mentions(b.operand(), names) || mentions(b.low(), names) || mentions(b.high(), names);
        } else if (node instanceof PartiQl.In in) {
            return mentions(in.operand(), names) || in.values().stream().anyMatch(v -> mentions(v, names));
        } else if (node instanceof PartiQl.Is is) {
            return mentions(is.operand(), names);
        } else if (node instanceof Call c) {
            return c.args().stream().anyMatch(a -> mentions(a, names));
        }
        return false;
    }

    private static List<Node> conjuncts(Node where) {
        List<Node> out = new ArrayList<>();
        if (where instanceof Logic l && l.op().equals("AND")) {
            out.addAll(conjuncts(l.left()));
            out.addAll(conjuncts(l.right()));
        } else {
            out.add(where);
        }
        return out;
    }

    private static boolean isKeyPath(Node node, String name) {
        return node instanceof Path p && p.segments().size() == 1 && p.first().equals(name);
    }

    /** The value a conjunct {@code name = literal} (either way round) fixes, or null. */
    private static @Nullable JsonNode equality(Node node, String name) {
        if (node instanceof Binary b && b.op().equals("=")) {
            if (isKeyPath(b.left(), name) && b.right() instanceof Literal l) {
                return l.value();
            }
            if (isKeyPath(b.right(), name) && b.left() instanceof Literal l) {
                return l.value();
            }
        }
        return null;
    }

    /**
     * Projected paths come back under their last name, as DynamoDB's PartiQL returns them; they are taken from the
     * whole item (a ProjectionExpression would compact list indexes).
     */
    private static ObjectNode flatten(Statement s, ObjectNode item) {
        if (s.projection().isEmpty()) {
            return item;
        }
        ObjectNode out = JSON.objectNode();
        for (Node node : s.projection()) {
            Path path = (Path) node;
            JsonNode value = walk(item, path);
            if (value != null) {
                out.set(path.lastName(), value);
            }
        }
        return out;
    }

    private static @Nullable JsonNode walk(ObjectNode item, Path path) {
        JsonNode current = item.get(path.first());
        for (Object segment : path.segments().subList(1, path.segments().size())) {
            if (current == null) {
                return null;
            }
            current = segment instanceof Integer i
                    ? current.path("L").get(i)
                    : current.path("M").get((String) segment);
        }
        return current;
    }

    private static String encodeToken(JsonNode key) {
        try {
            return Base64.getEncoder().encodeToString(TableData.JSON.writeValueAsBytes(key));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode decodeToken(String token) {
        try {
            JsonNode key =
                    TableData.JSON.readTree(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            if (key != null && key.isObject()) {
                return key;
            }
        } catch (IOException | IllegalArgumentException e) {
            // answered below
        }
        throw TablesException.validation("Given NextToken is not valid");
    }

    // ---------------------------------------------------------------- writes

    private void write(Statement s, JsonNode capacity) {
        if (s.index() != null) {
            throw TablesException.validation("Unsupported operation: Writes on an index are not supported");
        }
        TableDef def = tables.require(s.table());
        ObjectNode request = writeRequest(s, def);
        if (!capacity.isMissingNode()) {
            request.set("ReturnConsumedCapacity", capacity);
        }
        try {
            switch (s.kind()) {
                case INSERT -> items.put(request);
                case UPDATE -> items.update(request);
                default -> items.delete(request);
            }
        } catch (TablesException e) {
            if (s.kind() == Kind.INSERT && e.error().code().equals(TablesException.CONDITIONAL_CHECK_FAILED)) {
                throw TablesException.of(TablesException.DUPLICATE_ITEM, DUPLICATE);
            }
            throw e;
        }
    }

    /** The PutItem, UpdateItem or DeleteItem request (without the transaction wrapper) a write statement means. */
    private static ObjectNode writeRequest(Statement s, TableDef def) {
        ObjectNode request = JSON.objectNode().put("TableName", s.table());
        Render render = new Render();
        if (s.kind() == Kind.INSERT) {
            request.set("Item", s.item());
            request.put(
                    "ConditionExpression",
                    "attribute_not_exists(" + render.path(keyPath(def.hash().name())) + ")");
            render.into(request);
            return request;
        }
        Node where = s.where();
        List<Node> rest = where == null ? new ArrayList<>() : new ArrayList<>(conjuncts(where));
        request.set("Key", key(def, rest));
        List<String> conditions = new ArrayList<>();
        if (s.kind() == Kind.UPDATE) {
            request.put("UpdateExpression", updateExpression(s, render));
            conditions.add("attribute_exists(" + render.path(keyPath(def.hash().name())) + ")");
        }
        rest.forEach(c -> conditions.add("(" + render.node(c) + ")"));
        if (!conditions.isEmpty()) {
            request.put("ConditionExpression", String.join(" AND ", conditions));
        }
        render.into(request);
        return request;
    }

    /** The key the conjuncts fix by equality, removing those conjuncts; every key attribute must be fixed. */
    private static ObjectNode key(TableDef def, List<Node> rest) {
        ObjectNode key = JSON.objectNode();
        for (String name : def.keyNames()) {
            Node eq = rest.stream()
                    .filter(c -> equality(c, name) != null)
                    .findFirst()
                    .orElseThrow(() -> TablesException.validation(NO_KEY));
            key.set(name, equality(eq, name));
            rest.remove(eq);
        }
        return key;
    }

    private static Path keyPath(String name) {
        return new Path(List.of(name));
    }

    private static String updateExpression(Statement s, Render render) {
        Map<String, List<String>> clauses = new LinkedHashMap<>();
        for (Assignment a : s.assignments()) {
            String path = render.node(a.path());
            if (a.value() instanceof Call c
                    && (c.name().equals("set_add") || c.name().equals("set_delete"))) {
                if (c.args().size() != 2 || !(c.args().get(1) instanceof Literal l)) {
                    throw TablesException.validation("Unsupported operation: " + c.name() + " takes a path and a set");
                }
                String clause = c.name().equals("set_add") ? "ADD" : "DELETE";
                clauses.computeIfAbsent(clause, k -> new ArrayList<>()).add(path + " " + render.value(l.value()));
            } else {
                clauses.computeIfAbsent("SET", k -> new ArrayList<>()).add(path + " = " + render.node(a.value()));
            }
        }
        for (Node removal : s.removals()) {
            clauses.computeIfAbsent("REMOVE", k -> new ArrayList<>()).add(render.node(removal));
        }
        StringBuilder out = new StringBuilder();
        clauses.forEach((clause, parts) ->
                out.append(clause).append(' ').append(String.join(", ", parts)).append(' '));
        return out.toString().trim();
    }

    private static ObjectNode getRequest(Statement s, TableDef def) {
        if (s.index() != null) {
            throw TablesException.validation("Unsupported operation: Reads on an index need a Query");
        }
        ObjectNode request = JSON.objectNode().put("TableName", s.table());
        Node where = s.where();
        List<Node> rest = where == null ? new ArrayList<>() : new ArrayList<>(conjuncts(where));
        request.set("Key", key(def, rest));
        if (!rest.isEmpty()) {
            throw TablesException.validation(
                    "Unsupported operation: A read in a batch or transaction may only name the " + "key");
        }
        return request;
    }

    // ---------------------------------------------------------------- transactions

    private ObjectNode transactWrite(List<Statement> statements, JsonNode input) {
        ObjectNode request = JSON.objectNode();
        ArrayNode list = request.putArray("TransactItems");
        for (Statement s : statements) {
            if (s.index() != null) {
                throw TablesException.validation("Unsupported operation: Writes on an index are not supported");
            }
            String member =
                    switch (s.kind()) {
                        case INSERT -> "Put";
                        case UPDATE -> "Update";
                        default -> "Delete";
                    };
            list.addObject().set(member, writeRequest(s, tables.require(s.table())));
        }
        if (input.hasNonNull("ClientRequestToken")) {
            request.set("ClientRequestToken", input.get("ClientRequestToken"));
        }
        if (input.has("ReturnConsumedCapacity")) {
            request.set("ReturnConsumedCapacity", input.get("ReturnConsumedCapacity"));
        }
        try {
            ObjectNode result = batches.transactWrite(request);
            ObjectNode out = JSON.objectNode();
            Optional.ofNullable(result.get("ConsumedCapacity")).ifPresent(c -> out.set("ConsumedCapacity", c));
            return out;
        } catch (TablesException e) {
            throw duplicates(e, statements);
        }
    }

    /** An INSERT's failed key condition is a DuplicateItem in the cancellation reasons. */
    private static TablesException duplicates(TablesException e, List<Statement> statements) {
        if (!e.error().code().equals(TablesException.TRANSACTION_CANCELED)
                || e.extra().isEmpty()) {
            return e;
        }
        ObjectNode extra = e.extra().get().deepCopy();
        JsonNode reasons = extra.path("CancellationReasons");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            ObjectNode reason = (ObjectNode) reasons.get(i);
            if (statements.get(i).kind() == Kind.INSERT
                    && reason.path("Code").asText().equals("ConditionalCheckFailed")) {
                reason.put("Code", "DuplicateItem");
                reason.put("Message", DUPLICATE);
            }
            codes.add(reason.path("Code").asText());
        }
        return new TablesException(
                AwsError.sender(
                        TablesException.TRANSACTION_CANCELED,
                        "Transaction cancelled, please refer cancellation reasons for specific reasons ["
                                + String.join(", ", codes) + "]"),
                extra);
    }

    private ObjectNode transactRead(List<Statement> statements, JsonNode input) {
        ObjectNode request = JSON.objectNode();
        ArrayNode list = request.putArray("TransactItems");
        for (Statement s : statements) {
            list.addObject().set("Get", getRequest(s, tables.require(s.table())));
        }
        if (input.has("ReturnConsumedCapacity")) {
            request.set("ReturnConsumedCapacity", input.get("ReturnConsumedCapacity"));
        }
        ObjectNode result = batches.transactGet(request);
        ObjectNode out = JSON.objectNode();
        ArrayNode responses = out.putArray("Responses");
        JsonNode got = result.path("Responses");
        for (int i = 0; i < statements.size(); i++) {
            ObjectNode response = responses.addObject();
            JsonNode item = got.path(i).get("Item");
            if (item instanceof ObjectNode o) {
                response.set("Item", flatten(statements.get(i), o));
            }
        }
        Optional.ofNullable(result.get("ConsumedCapacity")).ifPresent(c -> out.set("ConsumedCapacity", c));
        return out;
    }
}
