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
    private static final Set<String> TYPES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");
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
        Checker checker = new Checker(kind, context);
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
        Checker checker = new Checker("ProjectionExpression", context);
        paths.forEach(checker::reserved);
        context.raiseUndefinedName("ProjectionExpression");
        checker.overlaps(paths);
        return paths;
    }

    /** An update expression. */
    static Expr.Update update(String text, Context context) {
        Expr.Update update = ExpressionParser.update(text, context);
        Checker checker = new Checker("UpdateExpression", context);
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

    /** The checks after parsing, for one expression. */
    private static final class Checker {
        private final String kind;
        private final Context context;

        Checker(String kind, Context context) {
            this.kind = kind;
            this.context = context;
        }

        private TablesException invalid(String message) {
            return TablesException.validation("Invalid " + kind + ": " + message);
        }

        void functionNames(Expr.Condition condition) {
            forEachOperand(condition, this::operandFunctionNames);
            forEachCondition(condition, c -> {
                if (c instanceof Expr.Function f) {
                    checkKnown(f.call().name());
                }
            });
        }

        private void operandFunctionNames(Expr.Operand operand) {
            if (operand instanceof Expr.Call call) {
                checkKnown(call.name());
                call.args().forEach(this::operandFunctionNames);
            }
        }

        private void checkKnown(String name) {
            if (!CONDITION_FUNCTIONS.contains(name) && !UPDATE_FUNCTIONS.contains(name) && !name.equals("size")) {
                throw invalid("Invalid function name; function: " + name);
            }
        }

        void functionUse(Expr.Condition condition) {
            forEachCondition(condition, c -> {
                if (c instanceof Expr.Function f) {
                    if (!CONDITION_FUNCTIONS.contains(f.call().name())) {
                        throw notAllowed(f.call().name());
                    }
                    f.call().args().forEach(this::operandFunctionUse);
                }
            });
            forEachOperand(condition, this::operandFunctionUse);
        }

        private void operandFunctionUse(Expr.Operand operand) {
            if (operand instanceof Expr.Call call) {
                if (!call.name().equals("size")) {
                    throw notAllowed(call.name());
                }
                call.args().forEach(this::operandFunctionUse);
            }
        }

        private TablesException notAllowed(String name) {
            return invalid("The function is not allowed to be used this way in an expression; function: " + name);
        }

        void updateFunctionNames(Expr.Operand operand) {
            if (operand instanceof Expr.Arithmetic a) {
                updateFunctionNames(a.left());
                updateFunctionNames(a.right());
            } else {
                operandFunctionNames(operand);
            }
        }

        void updateFunctionUse(Expr.Operand operand, boolean top) {
            if (operand instanceof Expr.Arithmetic a) {
                updateFunctionUse(a.left(), false);
                updateFunctionUse(a.right(), false);
            } else if (operand instanceof Expr.Call call) {
                if (!UPDATE_FUNCTIONS.contains(call.name())) {
                    throw notAllowed(call.name());
                }
                call.args().forEach(arg -> updateFunctionUse(arg, false));
            }
        }

        void reservedWords(Expr.Condition condition) {
            forEachOperand(condition, this::reservedIn);
            forEachCondition(condition, c -> {
                if (c instanceof Expr.Function f) {
                    f.call().args().forEach(this::reservedIn);
                }
            });
        }

        void reservedIn(Expr.Operand operand) {
            if (operand instanceof Expr.PathOperand p) {
                reserved(p.path());
            } else if (operand instanceof Expr.Call call) {
                call.args().forEach(this::reservedIn);
            } else if (operand instanceof Expr.Arithmetic a) {
                reservedIn(a.left());
                reservedIn(a.right());
            }
        }

        void reserved(Expr.Path path) {
            for (String name : path.bareNames()) {
                if (isReserved(name)) {
                    throw invalid("Attribute name is a reserved keyword; reserved keyword: " + name);
                }
            }
        }

        void operands(Expr.Condition condition) {
            if (condition instanceof Expr.And a) {
                operands(a.left());
                operands(a.right());
            } else if (condition instanceof Expr.Or o) {
                operands(o.left());
                operands(o.right());
            } else if (condition instanceof Expr.Not n) {
                operands(n.inner());
            } else if (condition instanceof Expr.Parens p) {
                operands(p.inner());
            } else if (condition instanceof Expr.Compare c) {
                literal(c.left());
                literal(c.right());
                distinct(c.operator(), c.left(), List.of(c.right()));
            } else if (condition instanceof Expr.Between b) {
                between(b);
            } else if (condition instanceof Expr.In in) {
                in(in);
            } else if (condition instanceof Expr.Function f) {
                function(f.call());
            }
        }

        private void between(Expr.Between b) {
            literal(b.value());
            literal(b.low());
            literal(b.high());
            distinct("BETWEEN", b.value(), List.of(b.low(), b.high()));
            if (b.low() instanceof Expr.ValueRef lo && b.high() instanceof Expr.ValueRef hi) {
                Value low = context.value(lo.name());
                Value high = context.value(hi.name());
                if (!low.type().equals(high.type())) {
                    throw invalid(
                            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "
                                    + "AttributeValue: {" + render(low) + "}, upper bound operand: AttributeValue: {"
                                    + render(high) + "}");
                }
                Integer order = Evaluator.compare(low, high);
                if (order != null && order > 0) {
                    throw invalid(
                            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                                    + "lower bound operand: AttributeValue: {" + render(low)
                                    + "}, upper bound operand: AttributeValue: {"
                                    + render(high) + "}");
                }
            }
        }

        private void in(Expr.In in) {
            literal(in.value());
            in.list().forEach(this::literal);
            if (in.list().size() > 100) {
                throw invalid("The IN operator is provided with too many operands; number of operands: "
                        + in.list().size());
            }
            distinct("IN", in.value(), in.list());
        }

        private void function(Expr.Call call) {
            arity(call);
            call.args().forEach(this::literal);
            String name = call.name();
            if ((name.equals("attribute_exists") || name.equals("attribute_not_exists"))
                    && !(call.args().get(0) instanceof Expr.PathOperand)) {
                throw invalid("Operator or function requires a document path; operator or function: " + name);
            }
            if (name.equals("attribute_type")) {
                attributeType(call);
            } else if (name.equals("begins_with")) {
                for (Expr.Operand arg : call.args()) {
                    literalType(arg, name, Set.of("S", "B"));
                }
            }
            if (call.args().size() == 2 && !name.equals("attribute_type")) {
                distinct(name, call.args().get(0), List.of(call.args().get(1)));
            }
        }

        private void attributeType(Expr.Call call) {
            if (!(call.args().get(0) instanceof Expr.PathOperand)) {
                throw invalid("Operator or function requires a document path; operator or function: attribute_type");
            }
            if (call.args().get(1) instanceof Expr.ValueRef ref) {
                Value type = context.value(ref.name());
                if (!(type instanceof Value.S s)) {
                    throw invalid(
                            "Incorrect operand type for operator or function; operator or function: attribute_type, "
                                    + "operand type: " + type.type());
                }
                if (!TYPES.contains(s.value())) {
                    throw invalid("Invalid attribute type name found; type: " + s.value()
                            + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                }
            }
        }

        private void arity(Expr.Call call) {
            int expected =
                    switch (call.name()) {
                        case "attribute_exists", "attribute_not_exists", "size" -> 1;
                        default -> 2;
                    };
            if (call.args().size() != expected) {
                throw invalid("Incorrect number of operands for operator or function; operator or function: "
                        + call.name() + ", number of operands: " + call.args().size());
            }
        }

        /** Checks value placeholders are defined, and the operands of functions nested in an operand. */
        private void literal(Expr.Operand operand) {
            if (operand instanceof Expr.ValueRef ref) {
                context.usedValues.add(ref.name());
                if (!context.values.containsKey(ref.name())) {
                    throw invalid("An expression attribute value used in expression is not defined; attribute value: "
                            + ref.name());
                }
            } else if (operand instanceof Expr.Call call) {
                arity(call);
                call.args().forEach(this::literal);
                if (call.name().equals("size")) {
                    literalType(call.args().get(0), "size", Set.of("S", "B", "SS", "NS", "BS", "L", "M"));
                } else if (call.name().equals("if_not_exists") && !(call.args().get(0) instanceof Expr.PathOperand)) {
                    throw invalid("Operator or function requires a document path; operator or function: if_not_exists");
                } else if (call.name().equals("list_append")) {
                    call.args().forEach(arg -> literalType(arg, "list_append", Set.of("L")));
                }
            } else if (operand instanceof Expr.Arithmetic a) {
                literal(a.left());
                literal(a.right());
                literalType(a.left(), String.valueOf(a.operator()), Set.of("N"));
                literalType(a.right(), String.valueOf(a.operator()), Set.of("N"));
            }
        }

        private void literalType(Expr.Operand operand, String function, Set<String> allowed) {
            if (operand instanceof Expr.ValueRef ref) {
                Value value = context.value(ref.name());
                if (!allowed.contains(value.type())) {
                    throw invalid("Incorrect operand type for operator or function; operator or function: " + function
                            + ", operand type: " + value.type());
                }
            }
        }

        private void distinct(String operator, Expr.Operand first, List<Expr.Operand> rest) {
            if (first instanceof Expr.PathOperand p) {
                for (Expr.Operand other : rest) {
                    if (other instanceof Expr.PathOperand q
                            && q.path().elements().equals(p.path().elements())) {
                        throw invalid(
                                "The first operand must be distinct from the remaining operands for this operator or "
                                        + "function; operator: " + operator + ", first operand: "
                                        + p.path().render());
                    }
                }
            }
        }

        void updateOperands(Expr.Action action) {
            switch (action.clause()) {
                case "SET" -> literal(action.value());
                case "ADD", "DELETE" -> {
                    literal(action.value());
                    Value value = context.value(((Expr.ValueRef) action.value()).name());
                    boolean set = value instanceof Value.SS || value instanceof Value.NS || value instanceof Value.BS;
                    boolean ok = set || action.clause().equals("ADD") && value instanceof Value.N;
                    if (!ok) {
                        throw invalid("Incorrect operand type for operator or function; operator: " + action.clause()
                                + ", operand type: " + longTypeName(value) + ", typeSet: ALLOWED_FOR_" + action.clause()
                                + "_OPERAND");
                    }
                }
                default -> {}
            }
        }

        /** Two paths of one expression may not be equal, nor one a prefix of the other. */
        void overlaps(List<Expr.Path> paths) {
            for (int i = 0; i < paths.size(); i++) {
                for (int j = 0; j < i; j++) {
                    List<Object> a = paths.get(j).elements();
                    List<Object> b = paths.get(i).elements();
                    int common = 0;
                    int shorter = Math.min(a.size(), b.size());
                    while (common < shorter && a.get(common).equals(b.get(common))) {
                        common++;
                    }
                    String pair = "path one: " + paths.get(j).render() + ", path two: "
                            + paths.get(i).render();
                    if (common == shorter) {
                        throw invalid(
                                "Two document paths overlap with each other; must remove or rewrite one of these paths; "
                                        + pair);
                    }
                    if (a.get(common) instanceof Integer != b.get(common) instanceof Integer) {
                        throw invalid(
                                "Two document paths conflict with each other; must remove or rewrite one of these paths; "
                                        + pair);
                    }
                }
            }
        }
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

    private static String render(Value value) {
        if (value instanceof Value.S s) {
            return "S:" + s.value();
        } else if (value instanceof Value.N n) {
            return "N:" + n.text();
        }
        return value.type() + ":" + Attributes.write(value).get(value.type());
    }

    private static void forEachCondition(Expr.Condition condition, java.util.function.Consumer<Expr.Condition> action) {
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
    private static void forEachOperand(Expr.Condition condition, java.util.function.Consumer<Expr.Operand> action) {
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
