package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionsTests {

    private static final Map<String, Value> VALUES = Map.of(
            ":one",
            n("1"),
            ":two",
            n("2"),
            ":s",
            new Value.S("ab"),
            ":l",
            new Value.L(List.of(n("9"))),
            ":t",
            new Value.S("SS"),
            ":ss",
            new Value.SS(Set.of("x")),
            ":m",
            new Value.M(Map.of("k", n("1"))));

    private static Value n(String text) {
        return new Value.N(Numbers.parse(text));
    }

    private static Map<String, Value> item() {
        Map<String, Value> item = new LinkedHashMap<>();
        item.put("a", n("1"));
        item.put("b", n("2"));
        item.put("s", new Value.S("abc"));
        item.put("tags", new Value.SS(Set.of("x", "y")));
        item.put("lst", new Value.L(List.of(n("9"), new Value.S("z"), new Value.M(Map.of("deep", n("5"))))));
        item.put("mp", new Value.M(Map.of("nest", new Value.M(Map.of("x", new Value.S("v"))))));
        item.put("same", new Value.M(Map.of("k", n("1.0"))));
        return item;
    }

    private static boolean test(String condition) {
        Expressions.Context context = new Expressions.Context(Map.of("#n", "a"), VALUES);
        Expr.Condition parsed = Expressions.condition("ConditionExpression", condition, context);
        return new Evaluator(context).test(parsed, item());
    }

    private static String error(String kind, String expression) {
        Expressions.Context context = new Expressions.Context(Map.of("#n", "a"), VALUES);
        try {
            switch (kind) {
                case "UpdateExpression" -> Expressions.update(expression, context);
                case "ProjectionExpression" -> Expressions.projection(expression, context);
                default -> Expressions.condition(kind, expression, context);
            }
        } catch (TablesException e) {
            return e.error().message();
        }
        throw new AssertionError("accepted: " + expression);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a = :one | true",
                "a <> :one | false",
                "a < :two | true",
                "#n = :one | true",
                "absent = :one | false",
                "absent <> :one | true",
                "absent <> absent2 | true",
                "s = :one | false",
                "s <> :one | true",
                "s < :one | false",
                "a BETWEEN :one AND :two | true",
                "b BETWEEN :one AND :one | false",
                "a IN (:two, :one) | true",
                "begins_with(s, :s) | true",
                "contains(tags, :s) | false",
                "contains(lst, :l) | false",
                "size(lst) = :one | false",
                "size(s) > :two | true",
                "attribute_type(tags, :t) | true",
                "attribute_exists(mp.nest.x) | true",
                "attribute_not_exists(mp.nest.y) | true",
                "lst[2].deep > :one | true",
                "lst[5] = :one | false",
                "same = :m | true",
                "a = :one OR a = :two AND b = :one | true",
                "(a = :one OR a = :two) AND b = :one | false",
                "NOT a = :two AND b = :two | true",
                "NOT (a = :one OR b = :one) | false",
                "a = :one and b = :two | true"
            })
    void testWhenConditionThenDynamoDbsSemantics(String condition, boolean expected) {
        assertThat(test(condition)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvFileSource(resources = "expression-errors.csv", delimiter = '|', quoteCharacter = '`')
    void parseWhenInvalidThenDynamoDbsMessage(String kind, String expression, String message) {
        assertThat(error(kind, expression)).isEqualTo(message);
    }

    @Test
    void conditionWhenTooLongThenSizeMessage() {
        String long4097 = "a = :one" + " ".repeat(4089);
        assertThat(error("ConditionExpression", long4097))
                .isEqualTo(
                        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097");
    }

    @Test
    void checkAllUsedWhenPlaceholderUnusedThenNamesThenValues() {
        Expressions.Context context = new Expressions.Context(Map.of("#a", "a", "#b", "b"), VALUES);
        Expressions.condition("ConditionExpression", "#a = :one", context);
        try {
            context.checkAllUsed();
            throw new AssertionError("accepted");
        } catch (TablesException e) {
            assertThat(e.error().message())
                    .isEqualTo("Value provided in ExpressionAttributeNames unused in expressions: " + "keys: {#b}");
        }
    }

    private static Map<String, Value> update(String expression, Map<String, Value> item) {
        Expressions.Context context = new Expressions.Context(Map.of(), VALUES);
        Expr.Update update = Expressions.update(expression, context);
        return new Updater(new Evaluator(context)).apply(update, item);
    }

    @Test
    void applyWhenListIndexBeyondEndThenAppended() {
        Map<String, Value> out = update("SET lst[10] = :one", item());
        assertThat(((Value.L) out.get("lst")).value()).hasSize(4).last().isEqualTo(n("1"));
    }

    @Test
    void applyWhenSeveralListRemovalsThenOriginalIndexes() {
        Map<String, Value> out = update("REMOVE lst[0], lst[2]", item());
        assertThat(((Value.L) out.get("lst")).value()).containsExactly(new Value.S("z"));
    }

    @Test
    void applyWhenRightHandSidesThenComputedOnOldItem() {
        Map<String, Value> out = update("SET a = b, b = a", item());
        assertThat(out.get("a")).isEqualTo(n("2"));
        assertThat(out.get("b")).isEqualTo(n("1"));
    }

    @Test
    void applyWhenNestedParentMissingThenInvalidPath() {
        try {
            update("SET nothing.x = :one", item());
            throw new AssertionError("accepted");
        } catch (TablesException e) {
            assertThat(e.error().message())
                    .isEqualTo("The document path provided in the update expression is invalid for update");
        }
    }

    @Test
    void applyWhenArithmeticOnMissingThenRefersToMissingAttribute() {
        try {
            update("SET c = absent + :one", item());
            throw new AssertionError("accepted");
        } catch (TablesException e) {
            assertThat(e.error().message())
                    .isEqualTo("The provided expression refers to an attribute that does not exist in the item");
        }
    }

    @Test
    void applyWhenAddAndDeleteOnSetsThenUnionAndDifferenceAndEmptiedSetRemoved() {
        Map<String, Value> out = update("ADD tags :ss, cnt :one DELETE s2 :ss", item());
        assertThat(((Value.SS) out.get("tags")).value()).containsExactlyInAnyOrder("x", "y");
        assertThat(out.get("cnt")).isEqualTo(new Value.N(BigDecimal.ONE));
        Map<String, Value> emptied =
                update("DELETE tags :ss", update("DELETE tags :ss", Map.of("tags", new Value.SS(Set.of("x")))));
        assertThat(emptied).doesNotContainKey("tags");
    }

    @Test
    void projectWhenNestedPathsThenRepackedAsDynamoDbDoes() {
        Expressions.Context context = new Expressions.Context(Map.of(), Map.of());
        Map<String, Value> out =
                Evaluator.project(item(), Expressions.projection("lst[2].deep, lst[0], mp.nest.x", context));
        assertThat(Attributes.write(out).toString())
                .isEqualTo("{\"lst\":{\"L\":[{\"M\":{\"deep\":{\"N\":\"5\"}}},{\"N\":\"9\"}]},"
                        + "\"mp\":{\"M\":{\"nest\":{\"M\":{\"x\":{\"S\":\"v\"}}}}}}");
    }
}
