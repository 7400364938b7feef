package dev.gatehouse.tables;

import java.util.ArrayList;
import java.util.List;

/** The restricted shape of a KeyConditionExpression, checked with DynamoDB's messages. */
final class KeyConditions {

    private static final String PREFIX = "Invalid KeyConditionExpression: ";

    private KeyConditions() {}

    /** One condition on one key attribute, operands oriented so the attribute is on the left. */
    record Term(String attribute, String operator, List<Value> operands) {}

    static TablesException invalid(String message) {
        return TablesException.validation(PREFIX + message);
    }

    static void flatten(Expr.Condition condition, List<Expr.Condition> out) {
        if (condition instanceof Expr.Parens p) {
            flatten(p.inner(), out);
        } else if (condition instanceof Expr.And a) {
            flatten(a.left(), out);
            flatten(a.right(), out);
        } else if (condition instanceof Expr.Or) {
            throw invalid("Invalid operator used in KeyConditionExpression: OR");
        } else if (condition instanceof Expr.Not) {
            throw invalid("Invalid operator used in KeyConditionExpression: NOT");
        } else if (condition instanceof Expr.In) {
            throw invalid("Invalid operator used in KeyConditionExpression: IN");
        } else {
            out.add(condition);
        }
    }

    static Term term(Expr.Condition condition, Evaluator evaluator) {
        if (condition instanceof Expr.Compare c) {
            if (c.operator().equals("<>")) {
                throw invalid("Invalid operator used in KeyConditionExpression: <>");
            }
            checkOperand(c.left());
            checkOperand(c.right());
            boolean leftPath = c.left() instanceof Expr.PathOperand;
            boolean rightPath = c.right() instanceof Expr.PathOperand;
            if (leftPath && rightPath) {
                throw invalid(
                        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
            }
            if (!leftPath && !rightPath) {
                throw invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
            }
            Expr.Operand path = leftPath ? c.left() : c.right();
            Expr.Operand value = leftPath ? c.right() : c.left();
            String operator = leftPath ? c.operator() : flip(c.operator());
            return new Term(name(path), operator, List.of(literal(value, evaluator)));
        }
        if (condition instanceof Expr.Between b) {
            checkOperand(b.value());
            if (!(b.value() instanceof Expr.PathOperand)) {
                throw invalid(
                        "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as "
                                + "its first operand");
            }
            return new Term(
                    name(b.value()), "BETWEEN", List.of(literal(b.low(), evaluator), literal(b.high(), evaluator)));
        }
        Expr.Call call = ((Expr.Function) condition).call();
        if (!call.name().equals("begins_with")) {
            throw invalid("Invalid operator used in KeyConditionExpression: " + call.name());
        }
        if (!(call.args().get(0) instanceof Expr.PathOperand)) {
            throw invalid(
                    "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute "
                            + "as its first operand");
        }
        checkOperand(call.args().get(0));
        return new Term(
                name(call.args().get(0)),
                "begins_with",
                List.of(literal(call.args().get(1), evaluator)));
    }

    private static void checkOperand(Expr.Operand operand) {
        if (operand instanceof Expr.Call) {
            throw invalid("KeyConditionExpressions cannot contain nested operations");
        }
        if (operand instanceof Expr.PathOperand p && !p.path().isTop()) {
            throw invalid("KeyConditionExpressions cannot have conditions on nested attributes");
        }
    }

    private static String name(Expr.Operand operand) {
        return ((Expr.PathOperand) operand).path().top();
    }

    private static Value literal(Expr.Operand operand, Evaluator evaluator) {
        if (!(operand instanceof Expr.ValueRef)) {
            throw invalid(
                    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
        return evaluator.value(operand, java.util.Map.of()).orElseThrow();
    }

    private static String flip(String operator) {
        return switch (operator) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> operator;
        };
    }

    static void checkType(Value value, TableDef.KeyDef def) {
        if (!value.type().equals(def.type())) {
            throw TablesException.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    static List<Expr.Condition> list() {
        return new ArrayList<>();
    }
}
