package dev.gatehouse.tables;

import java.util.List;
import java.util.Set;

/** The checks DynamoDB makes on one parsed expression after its syntax: functions, reserved words, operands, paths. */
final class ExpressionChecker {
    private static final Set<String> TYPES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

    private final String kind;
    private final Expressions.Context context;

    ExpressionChecker(String kind, Expressions.Context context) {
        this.kind = kind;
        this.context = context;
    }

    private TablesException invalid(String message) {
        return TablesException.validation("Invalid " + kind + ": " + message);
    }

    void functionNames(Expr.Condition condition) {
        Expressions.forEachOperand(condition, this::operandFunctionNames);
        Expressions.forEachCondition(condition, c -> {
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
        if (!Expressions.CONDITION_FUNCTIONS.contains(name)
                && !Expressions.UPDATE_FUNCTIONS.contains(name)
                && !name.equals("size")) {
            throw invalid("Invalid function name; function: " + name);
        }
    }

    void functionUse(Expr.Condition condition) {
        Expressions.forEachCondition(condition, c -> {
            if (c instanceof Expr.Function f) {
                if (!Expressions.CONDITION_FUNCTIONS.contains(f.call().name())) {
                    throw notAllowed(f.call().name());
                }
                f.call().args().forEach(this::operandFunctionUse);
            }
        });
        Expressions.forEachOperand(condition, this::operandFunctionUse);
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
            if (!Expressions.UPDATE_FUNCTIONS.contains(call.name())) {
                throw notAllowed(call.name());
            }
            call.args().forEach(arg -> updateFunctionUse(arg, false));
        }
    }

    void reservedWords(Expr.Condition condition) {
        Expressions.forEachOperand(condition, this::reservedIn);
        Expressions.forEachCondition(condition, c -> {
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
            if (Expressions.isReserved(name)) {
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
                throw invalid("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
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
                throw invalid("Incorrect operand type for operator or function; operator or function: attribute_type, "
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
            throw invalid("Incorrect number of operands for operator or function; operator or function: " + call.name()
                    + ", number of operands: " + call.args().size());
        }
    }

    /** Checks value placeholders are defined, and the operands of functions nested in an operand. */
    private void literal(Expr.Operand operand) {
        if (operand instanceof Expr.ValueRef ref) {
            if (!context.useValue(ref.name())) {
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
                    throw invalid("The first operand must be distinct from the remaining operands for this operator or "
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
                            + ", operand type: " + Expressions.longTypeName(value) + ", typeSet: ALLOWED_FOR_"
                            + action.clause()
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

    private static String render(Value value) {
        if (value instanceof Value.S s) {
            return "S:" + s.value();
        } else if (value instanceof Value.N n) {
            return "N:" + n.text();
        }
        return value.type() + ":" + Attributes.write(value).get(value.type());
    }
}
