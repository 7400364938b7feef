package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.SortCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Query and Scan. A page reads items in key order until {@code Limit} items were read or 1 MB of item data, then
 * filters and projects; {@code LastEvaluatedKey} is the key of the last item read whenever reading stopped early
 * (even if the filter kept nothing). On an index it carries the index key and the table key.
 */
final class ReadOperations {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_PAGE_BYTES = 1024 * 1024;
    private static final String MAX_TEXT = "\uDBFF\uDFFF".repeat(600);
    private static final char SEPARATOR = '\u0001';
    private static final List<String> SELECT =
            List.of("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");

    private final TableData data;
    private final TableOperations tables;

    ReadOperations(TableData data, TableOperations tables) {
        this.data = data;
        this.tables = tables;
    }

    /** What a Query or Scan reads: the table or one index, and the projection of what it returns. */
    private record Source(TableDef table, TableDef.@Nullable IndexDef index) {
        List<String> startKeyNames() {
            List<String> names = new ArrayList<>();
            if (index != null) {
                names.add(index.hash().name());
                if (index.range() != null) {
                    names.add(index.range().name());
                }
            }
            for (String name : table.keyNames()) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /** One sort-key condition of a Query, on the table's or the index's range key. */
    private record Range(String operator, List<Value> operands) {}

    ObjectNode query(JsonNode input) {
        Constraints constraints = new Constraints()
                .tableName(input, true)
                .oneOf(input, "Select", "select", SELECT)
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY);
        if (input.has("Limit") && input.get("Limit").asLong() < 1) {
            constraints.add("", "Limit", "Member must have value greater than or equal to 1");
        }
        constraints.check();
        Requests.expressionParameters(
                input,
                List.of("KeyConditions", "QueryFilter", "AttributesToGet"),
                List.of("KeyConditionExpression", "FilterExpression", "ProjectionExpression"),
                List.of("KeyConditionExpression", "FilterExpression"));
        Expressions.Context context = Requests.context(input);
        Expr.Condition keyCondition = keyConditionOf(input, context);
        Optional<Expr.Condition> filter = filterOf(input, context, "QueryFilter");
        Optional<List<Expr.Path>> projection = projectionOf(input, context);
        context.checkAllUsed();
        TableDef table = tables.require(input.get("TableName").asText());
        Source source = source(table, input);
        Evaluator evaluator = new Evaluator(context);
        Map<String, Value> start = startKey(source, input);
        KeyQuery key = keyQuery(source, keyCondition, evaluator);
        filter.ifPresent(f -> filterKeys(source, f));
        boolean forward = input.path("ScanIndexForward").asBoolean(true);
        Pager pager = new Pager(source, input, evaluator, filter, projection);
        readPartition(source, key, forward, start, pager);
        return pager.result(input);
    }

    ObjectNode scan(JsonNode input) {
        Constraints constraints = new Constraints()
                .tableName(input, true)
                .oneOf(input, "Select", "select", SELECT)
                .oneOf(input, "ReturnConsumedCapacity", "returnConsumedCapacity", Requests.CAPACITY)
                .atLeast(input, "Limit", "limit", 1)
                .atLeast(input, "Segment", "segment", 0)
                .atMost(input, "Segment", "segment", 999999)
                .atLeast(input, "TotalSegments", "totalSegments", 1)
                .atMost(input, "TotalSegments", "totalSegments", 1000000);
        constraints.check();
        segments(input);
        Requests.expressionParameters(
                input,
                List.of("ScanFilter", "AttributesToGet"),
                List.of("FilterExpression", "ProjectionExpression"),
                List.of("FilterExpression"));
        Expressions.Context context = Requests.context(input);
        Optional<Expr.Condition> filter = filterOf(input, context, "ScanFilter");
        Optional<List<Expr.Path>> projection = projectionOf(input, context);
        context.checkAllUsed();
        TableDef table = tables.require(input.get("TableName").asText());
        Source source = source(table, input);
        Pager pager = new Pager(source, input, new Evaluator(context), filter, projection);
        scanAll(
                source,
                startKey(source, input),
                input.path("Segment").asInt(0),
                input.path("TotalSegments").asInt(1),
                pager);
        return pager.result(input);
    }

    private static void segments(JsonNode input) {
        boolean segment = input.hasNonNull("Segment");
        boolean total = input.hasNonNull("TotalSegments");
        if (segment && !total) {
            throw TablesException.validation(
                    "The TotalSegments parameter is required but was not present in the request "
                            + "when Segment parameter is present");
        }
        if (total && !segment) {
            throw TablesException.validation(
                    "The Segment parameter is required but was not present in the request when "
                            + "parameter TotalSegments is present");
        }
        if (segment
                && input.get("Segment").asInt() >= input.get("TotalSegments").asInt()) {
            throw TablesException.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + input.get("Segment").asInt() + " is not less than TotalSegments: "
                    + input.get("TotalSegments").asInt());
        }
    }

    private static Expr.Condition keyConditionOf(JsonNode input, Expressions.Context context) {
        if (input.hasNonNull("KeyConditionExpression")) {
            return Expressions.condition(
                    "KeyConditionExpression",
                    input.get("KeyConditionExpression").asText(),
                    context);
        }
        if (input.hasNonNull("KeyConditions")) {
            return Legacy.conditions(input.get("KeyConditions"), "AND", context, true);
        }
        throw TablesException.validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }

    private static Optional<Expr.Condition> filterOf(JsonNode input, Expressions.Context context, String legacy) {
        if (input.hasNonNull("FilterExpression")) {
            return Optional.of(Expressions.condition(
                    "FilterExpression", input.get("FilterExpression").asText(), context));
        }
        if (input.hasNonNull(legacy)) {
            return Optional.of(Legacy.conditions(
                    input.get(legacy), input.path("ConditionalOperator").asText("AND"), context, false));
        }
        return Optional.empty();
    }

    static Optional<List<Expr.Path>> projectionOf(JsonNode input, Expressions.Context context) {
        if (input.hasNonNull("ProjectionExpression")) {
            return Optional.of(
                    Expressions.projection(input.get("ProjectionExpression").asText(), context));
        }
        if (input.hasNonNull("AttributesToGet")) {
            List<Expr.Path> paths = new ArrayList<>();
            input.get("AttributesToGet").forEach(n -> paths.add(new Expr.Path(List.of(n.asText()), List.of())));
            return Optional.of(paths);
        }
        return Optional.empty();
    }

    private static Source source(TableDef table, JsonNode input) {
        if (!input.hasNonNull("IndexName")) {
            return new Source(table, null);
        }
        String name = input.get("IndexName").asText();
        TableDef.IndexDef index = table.index(name)
                .orElseThrow(() -> TablesException.validation("The table does not have the specified index: " + name));
        if (index.global() && input.path("ConsistentRead").asBoolean(false)) {
            throw TablesException.validation("Consistent reads are not supported on global secondary indexes");
        }
        String select = input.path("Select").asText("");
        if (select.equals("ALL_ATTRIBUTES")
                && index.global()
                && !index.projectionType().equals("ALL")) {
            throw TablesException.validation(
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                            + "supported for global secondary index " + name
                            + " because its projection type is not ALL");
        }
        return new Source(table, index);
    }

    /** A Query's filter may not name the key attributes its key condition already restricts. */
    private static void filterKeys(Source source, Expr.Condition filter) {
        TableDef.IndexDef index = source.index();
        List<String> keys = index == null
                ? source.table().keyNames()
                : index.range() == null
                        ? List.of(index.hash().name())
                        : List.of(index.hash().name(), index.range().name());
        for (Expr.Path path : Expressions.paths(filter)) {
            if (keys.contains(path.top())) {
                throw TablesException.validation("Filter Expression can only contain non-primary key attributes: "
                        + "Primary key attribute: " + path.top());
            }
        }
    }

    private static Map<String, Value> startKey(Source source, JsonNode input) {
        if (!input.hasNonNull("ExclusiveStartKey")) {
            return Map.of();
        }
        Map<String, Value> start = Attributes.parseItem(input.get("ExclusiveStartKey"));
        List<String> names = source.startKeyNames();
        boolean shape = start.size() == names.size() && names.stream().allMatch(start::containsKey);
        for (TableDef.KeyDef def : Requests.keyDefs(source.table())) {
            shape &= start.containsKey(def.name())
                    && start.get(def.name()).type().equals(def.type());
        }
        if (!shape) {
            throw TablesException.validation(
                    source.index() == null
                            ? "The provided starting key is invalid: The provided key element does not match the schema"
                            : "The provided starting key is invalid");
        }
        return start;
    }

    /** The partition a Query reads and its sort-key condition. */
    private record KeyQuery(Value hash, @Nullable Range range, Expr.Condition condition) {}

    private KeyQuery keyQuery(Source source, Expr.Condition condition, Evaluator evaluator) {
        TableDef.KeyDef hashDef =
                source.index() == null ? source.table().hash() : source.index().hash();
        TableDef.KeyDef rangeDef =
                source.index() == null ? source.table().range() : source.index().range();
        List<Expr.Condition> parts = new ArrayList<>();
        KeyConditions.flatten(condition, parts);
        Value hash = null;
        Range range = null;
        for (Expr.Condition part : parts) {
            KeyConditions.Term term = KeyConditions.term(part, evaluator);
            if (term.attribute().equals(hashDef.name())) {
                if (hash != null) {
                    throw KeyConditions.invalid("KeyConditionExpressions must only contain one condition per key");
                }
                if (!term.operator().equals("=")) {
                    throw TablesException.validation("Query key condition not supported");
                }
                hash = term.operands().get(0);
                KeyConditions.checkType(hash, hashDef);
            } else if (rangeDef != null && term.attribute().equals(rangeDef.name())) {
                if (range != null) {
                    throw KeyConditions.invalid("KeyConditionExpressions must only contain one condition per key");
                }
                for (Value operand : term.operands()) {
                    KeyConditions.checkType(operand, rangeDef);
                }
                if (term.operator().equals("begins_with") && rangeDef.type().equals("N")) {
                    throw TablesException.validation(
                            "One or more parameter values were invalid: Condition parameter type does not match schema type");
                }
                range = new Range(term.operator(), term.operands());
            } else {
                throw TablesException.validation("Query condition missed key schema element: " + hashDef.name());
            }
        }
        if (hash == null) {
            throw TablesException.validation("Query condition missed key schema element: " + hashDef.name());
        }
        return new KeyQuery(hash, range, condition);
    }

    private void readPartition(Source source, KeyQuery key, boolean forward, Map<String, Value> start, Pager pager) {
        TableDef.IndexDef indexDef = source.index();
        boolean index = indexDef != null;
        String partition = indexDef != null
                ? TableData.indexPartition(source.table(), indexDef, key.hash())
                : source.table().storeId() + "|" + TableData.partText(key.hash());
        if (!start.isEmpty()) {
            Value startHash = start.get(
                    indexDef != null
                            ? indexDef.hash().name()
                            : source.table().hash().name());
            if (!key.hash().equals(startHash)) {
                throw TablesException.validation(
                        "The provided starting key is outside query boundaries based on provided conditions");
            }
        }
        SortCondition sort =
                start.isEmpty() ? storeCondition(key.range(), index) : after(startText(source, start), forward);
        Evaluator rangeCheck = pager.evaluator;
        readRows(source, partition, sort, forward, pager, item -> rangeCheck.test(key.condition(), item));
    }

    private static String startText(Source source, Map<String, Value> start) {
        TableDef.IndexDef index = source.index();
        if (index == null) {
            return TableData.storeKey(source.table(), start).sort();
        }
        return TableData.indexSort(source.table(), index, start);
    }

    private static SortCondition after(String text, boolean forward) {
        return forward ? SortCondition.greaterThan(text) : SortCondition.lessThan(text);
    }

    /** The store condition covering a sort-key condition; rows are still checked against the exact condition. */
    private static SortCondition storeCondition(@Nullable Range range, boolean index) {
        if (range == null) {
            return SortCondition.any();
        }
        String first = TableData.sortText(range.operands().get(0));
        String sep = index ? String.valueOf(SEPARATOR) : "";
        return switch (range.operator()) {
            case "=" -> index ? SortCondition.beginsWith(first + SEPARATOR) : SortCondition.equalTo(first);
            case "begins_with" -> SortCondition.beginsWith(
                    range.operands().get(0) instanceof Value.S s ? s.value() : first);
            case "<" -> SortCondition.lessThan(first);
            case "<=" -> SortCondition.between("", first + sep + MAX_TEXT);
            case ">" -> index
                    ? SortCondition.greaterThan(first + SEPARATOR + MAX_TEXT)
                    : SortCondition.greaterThan(first);
            case ">=" -> SortCondition.between(first, MAX_TEXT);
            default -> SortCondition.between(
                    first, TableData.sortText(range.operands().get(1)) + sep + MAX_TEXT);
        };
    }

    /** Reads rows of one store partition in order into the pager until it is full; true when it filled up. */
    private boolean readRows(
            Source source,
            String partition,
            SortCondition sort,
            boolean forward,
            Pager pager,
            java.util.function.Predicate<Map<String, Value>> keyMatch) {
        String storeTable = source.index() == null ? TableData.ITEMS : TableData.INDEX;
        String cursor = null;
        do {
            Page page = data.rows(storeTable, partition, sort, forward, cursor);
            for (Item row : page.items()) {
                Optional<Map<String, Value>> item =
                        source.index() == null ? data.read(row).map(TableData.Stored::item) : fromIndex(source, row);
                if (item.isEmpty() || data.expired(source.table(), item.get()) || !keyMatch.test(item.get())) {
                    continue;
                }
                if (pager.add(item.get())) {
                    return true;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return false;
    }

    /** The item an index entry points at, if it still belongs under that entry. */
    private Optional<Map<String, Value>> fromIndex(Source source, Item row) {
        Map<String, Value> key = TableData.parseStoredItem(row.attribute("k").orElse("{}"));
        TableDef.IndexDef index = java.util.Objects.requireNonNull(source.index(), "an index source");
        Optional<TableData.Stored> stored = data.get(source.table(), key);
        return stored.map(TableData.Stored::item).filter(item -> TableData.indexKey(source.table(), index, item)
                .map(k -> k.equals(row.key()))
                .orElse(false));
    }

    private void scanAll(Source source, Map<String, Value> start, int segment, int total, Pager pager) {
        String markers = source.index() == null
                ? source.table().storeId()
                : source.table().storeId() + "/" + source.index().name();
        String hashName = source.index() == null
                ? source.table().hash().name()
                : source.index().hash().name();
        SortCondition partSort = SortCondition.any();
        if (!start.isEmpty()) {
            Value hash = java.util.Objects.requireNonNull(start.get(hashName), "a checked start key");
            String partition = markers + "|" + TableData.partText(hash);
            if (readRows(source, partition, after(startText(source, start), true), true, pager, item -> true)) {
                return;
            }
            partSort = SortCondition.greaterThan(TableData.partText(hash));
        }
        String cursor = null;
        do {
            Page page = data.store()
                    .query(TableData.PARTS, new dev.gatehouse.store.Query(markers, partSort, 200, true, cursor));
            for (Item marker : page.items()) {
                if (total > 1 && Math.floorMod(marker.key().sort().hashCode(), total) != segment) {
                    continue;
                }
                if (readRows(
                        source, markers + "|" + marker.key().sort(), SortCondition.any(), true, pager, item -> true)) {
                    return;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** Visits every live item of a table (UpdateTable's index backfill). */
    static void forEachItem(TableData data, TableDef table, Consumer<TableData.Stored> visitor) {
        String cursor = null;
        do {
            Page markers = data.store()
                    .query(
                            TableData.PARTS,
                            new dev.gatehouse.store.Query(table.storeId(), SortCondition.any(), 200, true, cursor));
            for (Item marker : markers.items()) {
                String rowsCursor = null;
                do {
                    Page rows = data.rows(
                            TableData.ITEMS,
                            table.storeId() + "|" + marker.key().sort(),
                            SortCondition.any(),
                            true,
                            rowsCursor);
                    rows.items().forEach(row -> data.read(row).ifPresent(visitor));
                    rowsCursor = rows.nextCursor();
                } while (rowsCursor != null);
            }
            cursor = markers.nextCursor();
        } while (cursor != null);
    }

    /** Collects one page: counts, the 1 MB and Limit stops, filter, projection, LastEvaluatedKey. */
    private final class Pager {
        private final Source source;
        private final Evaluator evaluator;
        private final Optional<Expr.Condition> filter;
        private final Optional<List<Expr.Path>> projection;
        private final int limit;
        private final String select;
        private final List<Map<String, Value>> items = new ArrayList<>();
        private int scanned;
        private long bytes;
        private @Nullable Map<String, Value> last;
        private boolean stopped;

        Pager(
                Source source,
                JsonNode input,
                Evaluator evaluator,
                Optional<Expr.Condition> filter,
                Optional<List<Expr.Path>> projection) {
            this.source = source;
            this.evaluator = evaluator;
            this.filter = filter;
            this.projection = projection;
            this.limit = input.path("Limit").asInt(Integer.MAX_VALUE);
            String defaultSelect = projection.isPresent()
                    ? "SPECIFIC_ATTRIBUTES"
                    : source.index() == null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES";
            this.select = input.path("Select").asText(defaultSelect);
            if (projection.isPresent() && input.hasNonNull("Select") && !select.equals("SPECIFIC_ATTRIBUTES")) {
                throw TablesException.validation(
                        "Cannot specify the ProjectionExpression when choosing to get " + select);
            }
            if (select.equals("SPECIFIC_ATTRIBUTES") && projection.isEmpty()) {
                throw TablesException.validation(
                        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
            }
            if (select.equals("ALL_PROJECTED_ATTRIBUTES") && source.index() == null) {
                throw TablesException.validation("One or more parameter values were invalid: Select type "
                        + "ALL_PROJECTED_ATTRIBUTES is not supported for a table without an index");
            }
        }

        /** Adds an item read; true when the page is full. */
        boolean add(Map<String, Value> item) {
            scanned++;
            bytes += Attributes.size(item);
            last = item;
            if (filter.isEmpty() || evaluator.test(filter.get(), item)) {
                items.add(item);
            }
            stopped = scanned >= limit || bytes >= MAX_PAGE_BYTES;
            return stopped;
        }

        ObjectNode result(JsonNode input) {
            ObjectNode out = JSON.objectNode();
            if (!select.equals("COUNT")) {
                ArrayNode array = out.putArray("Items");
                for (Map<String, Value> item : items) {
                    array.add(Attributes.write(shape(item)));
                }
            }
            out.put("Count", items.size());
            out.put("ScannedCount", scanned);
            if (stopped && last != null) {
                Map<String, Value> key = new LinkedHashMap<>();
                for (String name : source.startKeyNames()) {
                    key.put(name, last.get(name));
                }
                out.set("LastEvaluatedKey", Attributes.write(key));
            }
            Requests.capacity(
                    out,
                    input,
                    source.table().name(),
                    Requests.readUnits(bytes, input.path("ConsistentRead").asBoolean(false)));
            return out;
        }

        private Map<String, Value> shape(Map<String, Value> item) {
            Map<String, Value> visible = source.index() == null ? item : indexProjection(item);
            return projection.map(paths -> Evaluator.project(visible, paths)).orElse(visible);
        }

        private Map<String, Value> indexProjection(Map<String, Value> item) {
            TableDef.IndexDef index = java.util.Objects.requireNonNull(source.index(), "an index source");
            if (index.projectionType().equals("ALL") || !index.global() && select.equals("ALL_ATTRIBUTES")) {
                return item;
            }
            List<String> keep = new ArrayList<>(source.startKeyNames());
            if (index.projectionType().equals("INCLUDE")) {
                keep.addAll(index.nonKeyAttributes());
            }
            if (!index.global() && projection.isPresent()) {
                return item;
            }
            Map<String, Value> out = new LinkedHashMap<>();
            for (Map.Entry<String, Value> e : item.entrySet()) {
                if (keep.contains(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
    }
}
