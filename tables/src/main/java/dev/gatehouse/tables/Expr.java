package dev.gatehouse.tables;

import java.util.List;

/** The syntax trees of DynamoDB's expressions, as {@link ExpressionParser} builds them. */
final class Expr {

    private Expr() {}

    /** A document path: names (already resolved from {@code #placeholders}) and list indexes. */
    record Path(List<Object> elements, List<String> bareNames) {
        /** DynamoDB's rendering in overlap messages: {@code [a, b, [1]]}. */
        String render() {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                Object element = elements.get(i);
                out.append(element instanceof Integer index ? "[" + index + "]" : element);
            }
            return out.append(']').toString();
        }

        String top() {
            return (String) elements.get(0);
        }

        boolean isTop() {
            return elements.size() == 1;
        }
    }

    /** Something that yields a value. */
    sealed interface Operand permits PathOperand, ValueRef, Call, Arithmetic {}

    record PathOperand(Path path) implements Operand {}

    record ValueRef(String name) implements Operand {}

    /** A function call, whatever its name; checks decide where it may appear. */
    record Call(String name, List<Operand> args) implements Operand {}

    /** {@code a + b} or {@code a - b} in a SET action. */
    record Arithmetic(Operand left, char operator, Operand right) implements Operand {}

    /** A condition. */
    sealed interface Condition permits Compare, Between, In, Function, And, Or, Not, Parens {}

    record Compare(String operator, Operand left, Operand right) implements Condition {}

    record Between(Operand value, Operand low, Operand high) implements Condition {}

    record In(Operand value, List<Operand> list) implements Condition {}

    record Function(Call call) implements Condition {}

    record And(Condition left, Condition right) implements Condition {}

    record Or(Condition left, Condition right) implements Condition {}

    record Not(Condition inner) implements Condition {}

    record Parens(Condition inner) implements Condition {}

    /** One action of an update expression. */
    record Action(String clause, Path path, Operand value) {}

    /** A parsed update expression: its actions in order, grouped by clause name (SET, REMOVE, ADD, DELETE). */
    record Update(List<Action> actions) {}
}
