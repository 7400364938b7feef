package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression parameters ({@code KeyConditions}, {@code QueryFilter}, {@code ScanFilter}, {@code Expected},
 * {@code AttributeUpdates}), translated into the expression trees the rest of the module evaluates.
 */
final class Legacy {

    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final Set<String> OPERATORS = Set.of(
            "EQ",
            "NE",
            "IN",
            "LE",
            "LT",
            "GE",
            "GT",
            "BETWEEN",
            "NOT_NULL",
            "NULL",
            "CONTAINS",
            "NOT_CONTAINS",
            "BEGINS_WITH");

    private Legacy() {}

    /** A map of attribute → Condition ({@code ComparisonOperator}, {@code AttributeValueList}). */
    static Expr.Condition conditions(JsonNode map, String conditional, Expressions.Context context, boolean key) {
        List<Expr.Condition> terms = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode condition = field.getValue();
            String operator = condition.path("ComparisonOperator").asText("");
            terms.add(term(field.getKey(), operator, values(condition.path("AttributeValueList")), context));
        }
        if (terms.isEmpty()) {
            throw TablesException.validation(INVALID + "Conditions can be of length 1 or 2 only");
        }
        Expr.Condition result = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            result = conditional.equals("OR") ? new Expr.Or(result, terms.get(i)) : new Expr.And(result, terms.get(i));
        }
        return result;
    }

    /** The {@code Expected} map of PutItem, UpdateItem and DeleteItem. */
    static Expr.Condition expected(JsonNode map, String conditional, Expressions.Context context) {
        List<Expr.Condition> terms = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            terms.add(expectation(field.getKey(), field.getValue(), context));
        }
        Expr.Condition result = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            result = conditional.equals("OR") ? new Expr.Or(result, terms.get(i)) : new Expr.And(result, terms.get(i));
        }
        return result;
    }

    private static Expr.Condition expectation(String name, JsonNode spec, Expressions.Context context) {
        boolean hasValue = spec.hasNonNull("Value");
        boolean hasExists = spec.hasNonNull("Exists");
        boolean hasOperator = spec.hasNonNull("ComparisonOperator");
        if (hasExists && hasOperator) {
            throw TablesException.validation(
                    INVALID + "Exists and ComparisonOperator cannot be used together for " + "Attribute: " + name);
        }
        if (hasValue && spec.hasNonNull("AttributeValueList")) {
            throw TablesException.validation(
                    INVALID + "Value and AttributeValueList cannot be used together for " + "Attribute: " + name);
        }
        if (hasOperator) {
            List<Value> list =
                    hasValue ? List.of(Attributes.parse(spec.get("Value"))) : values(spec.path("AttributeValueList"));
            return term(name, spec.get("ComparisonOperator").asText(), list, context);
        }
        if (spec.hasNonNull("AttributeValueList")) {
            throw TablesException.validation(INVALID
                    + "AttributeValueList can only be used with a ComparisonOperator for " + "Attribute: " + name);
        }
        boolean exists = spec.path("Exists").asBoolean(true);
        if (!exists) {
            if (hasValue) {
                throw TablesException.validation(
                        INVALID + "Value cannot be used when Exists is false for Attribute: " + name);
            }
            return call("attribute_not_exists", path(name));
        }
        if (!hasValue) {
            throw TablesException.validation(INVALID + "Value must be provided when Exists is "
                    + (hasExists ? "true" : "null") + " for Attribute: " + name);
        }
        return new Expr.Compare("=", path(name), context.synthetic(Attributes.parse(spec.get("Value"))));
    }

    private static List<Value> values(JsonNode list) {
        List<Value> values = new ArrayList<>();
        list.forEach(node -> values.add(Attributes.parse(node)));
        return values;
    }

    private static Expr.Condition term(String name, String operator, List<Value> values, Expressions.Context context) {
        if (!OPERATORS.contains(operator)) {
            throw TablesException.validation("1 validation error detected: Value '" + operator
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
        }
        int expected =
                switch (operator) {
                    case "NULL", "NOT_NULL" -> 0;
                    case "BETWEEN" -> 2;
                    case "IN" -> -1;
                    default -> 1;
                };
        if (expected >= 0 && values.size() != expected || expected < 0 && values.isEmpty()) {
            throw TablesException.validation(
                    INVALID + "Invalid number of argument(s) for the " + operator + " ComparisonOperator");
        }
        for (Value value : values) {
            checkType(operator, value);
        }
        if (values.size() > 1 && values.stream().map(Value::type).distinct().count() > 1) {
            throw TablesException.validation(
                    INVALID + "AttributeValues inside AttributeValueList must be of same type");
        }
        Expr.Operand attribute = path(name);
        List<Expr.Operand> refs =
                values.stream().map(v -> (Expr.Operand) context.synthetic(v)).toList();
        return switch (operator) {
            case "EQ" -> new Expr.Compare("=", attribute, refs.get(0));
            case "NE" -> new Expr.Compare("<>", attribute, refs.get(0));
            case "LE" -> new Expr.Compare("<=", attribute, refs.get(0));
            case "LT" -> new Expr.Compare("<", attribute, refs.get(0));
            case "GE" -> new Expr.Compare(">=", attribute, refs.get(0));
            case "GT" -> new Expr.Compare(">", attribute, refs.get(0));
            case "IN" -> new Expr.In(attribute, refs);
            case "BETWEEN" -> between(attribute, values, refs);
            case "NULL" -> call("attribute_not_exists", attribute);
            case "NOT_NULL" -> call("attribute_exists", attribute);
            case "CONTAINS" -> call("contains", attribute, refs.get(0));
            case "NOT_CONTAINS" -> new Expr.Not(call("contains", attribute, refs.get(0)));
            default -> call("begins_with", attribute, refs.get(0));
        };
    }

    private static Expr.Condition between(Expr.Operand attribute, List<Value> values, List<Expr.Operand> refs) {
        Integer order = Evaluator.compare(values.get(0), values.get(1));
        if (order != null && order > 0) {
            throw TablesException.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
        return new Expr.Between(attribute, refs.get(0), refs.get(1));
    }

    private static void checkType(String operator, Value value) {
        boolean scalar = value instanceof Value.S || value instanceof Value.N || value instanceof Value.B;
        boolean ok =
                switch (operator) {
                    case "EQ", "NE" -> !(value instanceof Value.M || value instanceof Value.L);
                    case "BEGINS_WITH" -> value instanceof Value.S || value instanceof Value.B;
                    default -> scalar;
                };
        if (!ok) {
            throw TablesException.validation(INVALID + "ComparisonOperator " + operator + " is not valid for "
                    + value.type() + " AttributeValue type");
        }
    }

    private static Expr.PathOperand path(String name) {
        return new Expr.PathOperand(new Expr.Path(List.of(name), List.of()));
    }

    private static Expr.Condition call(String name, Expr.Operand... args) {
        return new Expr.Function(new Expr.Call(name, List.of(args)));
    }

    /** {@code AttributeUpdates}: PUT, ADD and DELETE actions as an update expression. */
    static Expr.Update attributeUpdates(JsonNode map, Expressions.Context context) {
        List<Expr.Action> actions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String action = field.getValue().path("Action").asText("PUT");
            JsonNode valueNode = field.getValue().get("Value");
            Expr.Path path = new Expr.Path(List.of(field.getKey()), List.of());
            if (valueNode == null || valueNode.isNull()) {
                if (!action.equals("DELETE")) {
                    throw TablesException.validation(
                            INVALID + "Only DELETE action is allowed when no attribute value is " + "specified");
                }
                actions.add(new Expr.Action("REMOVE", path, new Expr.ValueRef("")));
                continue;
            }
            Value value = Attributes.parse(valueNode);
            Expr.ValueRef ref = context.synthetic(value);
            switch (action) {
                case "PUT" -> actions.add(new Expr.Action("SET", path, ref));
                case "ADD" -> {
                    if (value instanceof Value.L) {
                        Expr.Operand current = new Expr.Call(
                                "if_not_exists",
                                List.of(new Expr.PathOperand(path), context.synthetic(new Value.L(List.of()))));
                        actions.add(new Expr.Action("SET", path, new Expr.Call("list_append", List.of(current, ref))));
                    } else {
                        actions.add(new Expr.Action("ADD", path, ref));
                    }
                }
                default -> actions.add(new Expr.Action("DELETE", path, ref));
            }
        }
        return new Expr.Update(actions);
    }
}
