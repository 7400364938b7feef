package dev.gatehouse.tables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Parses and checks the expressions of one request against its {@code ExpressionAttributeNames} and
 * {@code ExpressionAttributeValues}, in DynamoDB's order of checks: syntax, redundant parentheses, function names,
 * function use, reserved words, undefined placeholders, operand counts and literal types; then, once every expression
 * of the request is parsed, placeholders no expression used ({@link Context#checkAllUsed}).
 */
final class Expressions {

    static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
    static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> RESERVED = loadReserved();

    private Expressions() {}

    /** The placeholders of one request and which of them its expressions used. */
    static final class Context {
        private final Map<String, String> names;
        private final Map<String, Value> values;
        private final Set<String> usedNames = new HashSet<>();
        private final Set<String> usedValues = new HashSet<>();
        private @Nullable String undefinedKind;
        private @Nullable String undefinedName;

        Context(Map<String, String> names, Map<String, Value> values) {
            this.names = Objects.requireNonNull(names, "names cannot be null");
            this.values = new LinkedHashMap<>(Objects.requireNonNull(values, "values cannot be null"));
        }

        /** Adds a value the request did not name (a legacy parameter's operand); it counts as used. */
        Expr.ValueRef synthetic(Value value) {
            String name = ":\u0000" + values.size();
            values.put(name, value);
            usedValues.add(name);
            return new Expr.ValueRef(name);
        }

        static Context empty() {
            return new Context(Map.of(), Map.of());
        }

        Map<String, String> names() {
            return names;
        }

        Set<String> usedNames() {
            return usedNames;
        }

        Map<String, Value> values() {
            return values;
        }

        /** Marks a value placeholder as used; returns whether the request defines it. */
        boolean useValue(String name) {
            usedValues.add(name);
            return values.containsKey(name);
        }

        void undefinedName(String kind, String name) {
            if (undefinedName == null) {
                undefinedKind = kind;
                undefinedName = name;
            }
        }

        /** The value a placeholder names; the caller has checked it is defined. */
        Value value(String name) {
            return Objects.requireNonNull(values.get(name), name);
        }

        /** Throws DynamoDB's error for names, then values, that no expression of the request used. */
        void checkAllUsed() {
            Set<String> unusedNames = new TreeSet<>(names.keySet());
            unusedNames.removeAll(usedNames);
            if (!unusedNames.isEmpty()) {
                throw TablesException.validation(
                        "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                                + String.join(", ", unusedNames) + "}");
            }
            Set<String> unusedValues = new TreeSet<>(values.keySet());
            unusedValues.removeIf(name -> name.startsWith(":\u0000"));
            unusedValues.removeAll(usedValues);
            if (!unusedValues.isEmpty()) {
                throw TablesException.validation(
                        "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                                + String.join(", ", unusedValues) + "}");
            }
        }

        private void raiseUndefinedName(String kind) {
            if (undefinedName != null && kind.equals(undefinedKind)) {
                throw TablesException.validation("Invalid " + kind
                        + ": An expression attribute name used in the document path is not defined; attribute name: "
                        + undefinedName);
            }
        }
    }

    /** A condition, filter or key-condition expression; {@code kind} is its parameter name. */
    static Expr.Condition condition(String kind, String text, Context context) {
        Expr.Condition condition = ExpressionParser.condition(kind, text, context);
        ExpressionChecker checker = new ExpressionChecker(kind, context);
        checker.functionNames(condition);
        checker.functionUse(condition);
        checker.reservedWords(condition);
        context.raiseUndefinedName(kind);
        checker.operands(condition);
        return condition;
    }

    /** A projection expression. */
    static List<Expr.Path> projection(String text, Context context) {
        List<Expr.Path> paths = ExpressionParser.projection(text, context);
        ExpressionChecker checker = new ExpressionChecker("ProjectionExpression", context);
        paths.forEach(checker::reserved);
        context.raiseUndefinedName("ProjectionExpression");
        checker.overlaps(paths);
        return paths;
    }

    /** An update expression. */
    static Expr.Update update(String text, Context context) {
        Expr.Update update = ExpressionParser.update(text, context);
        ExpressionChecker checker = new ExpressionChecker("UpdateExpression", context);
        for (Expr.Action action : update.actions()) {
            checker.updateFunctionNames(action.value());
        }
        for (Expr.Action action : update.actions()) {
            checker.updateFunctionUse(action.value(), true);
        }
        for (Expr.Action action : update.actions()) {
            checker.reserved(action.path());
            checker.reservedIn(action.value());
        }
        context.raiseUndefinedName("UpdateExpression");
        for (Expr.Action action : update.actions()) {
            checker.updateOperands(action);
        }
        checker.overlaps(update.actions().stream().map(Expr.Action::path).toList());
        return update;
    }

    /** Whether a bare attribute name is one of DynamoDB's reserved words. */
    static boolean isReserved(String name) {
        return RESERVED.contains(name.toUpperCase(Locale.ROOT));
    }

    private static Set<String> loadReserved() {
        Set<String> words = new HashSet<>();
        try (InputStream in = Expressions.class.getResourceAsStream("reserved-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("reserved-words.txt is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    words.add(line.strip().toUpperCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }

    static String longTypeName(Value value) {
        return switch (value.type()) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "NULL" -> "NULL";
            case "M" -> "MAP";
            case "L" -> "LIST";
            case "SS" -> "STRING_SET";
            case "NS" -> "NUMBER_SET";
            default -> "BINARY_SET";
        };
    }

    static void forEachCondition(Expr.Condition condition, java.util.function.Consumer<Expr.Condition> action) {
        action.accept(condition);
        if (condition instanceof Expr.And a) {
            forEachCondition(a.left(), action);
            forEachCondition(a.right(), action);
        } else if (condition instanceof Expr.Or o) {
            forEachCondition(o.left(), action);
            forEachCondition(o.right(), action);
        } else if (condition instanceof Expr.Not n) {
            forEachCondition(n.inner(), action);
        } else if (condition instanceof Expr.Parens p) {
            forEachCondition(p.inner(), action);
        }
    }

    /** Every document path a condition reads, function arguments included. */
    static List<Expr.Path> paths(Expr.Condition condition) {
        List<Expr.Path> paths = new java.util.ArrayList<>();
        java.util.function.Consumer<Expr.Operand> collect = new java.util.function.Consumer<>() {
            @Override
            public void accept(Expr.Operand operand) {
                if (operand instanceof Expr.PathOperand p) {
                    paths.add(p.path());
                } else if (operand instanceof Expr.Call call) {
                    call.args().forEach(this);
                }
            }
        };
        forEachOperand(condition, collect);
        forEachCondition(condition, c -> {
            if (c instanceof Expr.Function f) {
                f.call().args().forEach(collect);
            }
        });
        return paths;
    }

    /** Visits the comparison operands of every condition (function arguments excluded). */
    static void forEachOperand(Expr.Condition condition, java.util.function.Consumer<Expr.Operand> action) {
        forEachCondition(condition, c -> {
            if (c instanceof Expr.Compare cmp) {
                action.accept(cmp.left());
                action.accept(cmp.right());
            } else if (c instanceof Expr.Between b) {
                action.accept(b.value());
                action.accept(b.low());
                action.accept(b.high());
            } else if (c instanceof Expr.In in) {
                action.accept(in.value());
                in.list().forEach(action);
            }
        });
    }

    /** The ExpressionAttributeValues of a request, each checked as an item value. */
    static Map<String, Value> parseValues(com.fasterxml.jackson.databind.JsonNode node) {
        Map<String, Value> values = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getKey().matches(":[A-Za-z0-9_]+")) {
                throw TablesException.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \""
                        + field.getKey() + "\"");
            }
            try {
                values.put(field.getKey(), Attributes.parse(field.getValue()));
            } catch (TablesException e) {
                if (!e.error().code().equals(TablesException.VALIDATION)) {
                    throw e;
                }
                throw TablesException.validation("ExpressionAttributeValues contains invalid value: "
                        + e.error().message() + " for key " + field.getKey());
            }
        }
        return values;
    }

    /** The ExpressionAttributeNames of a request. */
    static Map<String, String> parseNames(com.fasterxml.jackson.databind.JsonNode node) {
        Map<String, String> names = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getKey().matches("#[A-Za-z0-9_]+")) {
                throw TablesException.validation(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + field.getKey() + "\"");
            }
            if (!field.getValue().isTextual()) {
                throw TablesException.serialization("Unexpected value type in payload");
            }
            if (field.getValue().textValue().isEmpty()) {
                throw TablesException.validation(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name " + "for key "
                                + field.getKey());
            }
            names.put(field.getKey(), field.getValue().textValue());
        }
        return names;
    }
}
