package dev.gatehouse.tables;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates checked expressions against an item. Conditions follow DynamoDB: a missing attribute makes every
 * comparison false except {@code <>}, which it makes true; values of different types are unequal and unordered; only
 * N, S (UTF-8 byte order) and B (unsigned bytes) are ordered.
 */
final class Evaluator {

    private final Expressions.Context context;

    Evaluator(Expressions.Context context) {
        this.context = context;
    }

    /** The value at a path, if the item has one there. */
    static Optional<Value> resolve(Map<String, Value> item, Expr.Path path) {
        @Nullable Value current = item.get(path.top());
        for (int i = 1; i < path.elements().size() && current != null; i++) {
            Object element = path.elements().get(i);
            if (element instanceof Integer index) {
                current = current instanceof Value.L l && index < l.value().size()
                        ? l.value().get(index)
                        : null;
            } else {
                current = current instanceof Value.M m ? m.value().get((String) element) : null;
            }
        }
        return Optional.ofNullable(current);
    }

    boolean test(Expr.Condition condition, Map<String, Value> item) {
        if (condition instanceof Expr.And a) {
            return test(a.left(), item) && test(a.right(), item);
        } else if (condition instanceof Expr.Or o) {
            return test(o.left(), item) || test(o.right(), item);
        } else if (condition instanceof Expr.Not n) {
            return !test(n.inner(), item);
        } else if (condition instanceof Expr.Parens p) {
            return test(p.inner(), item);
        } else if (condition instanceof Expr.Compare c) {
            return compare(c.operator(), value(c.left(), item), value(c.right(), item));
        } else if (condition instanceof Expr.Between b) {
            Optional<Value> v = value(b.value(), item);
            return compare(">=", v, value(b.low(), item)) && compare("<=", v, value(b.high(), item));
        } else if (condition instanceof Expr.In in) {
            Optional<Value> v = value(in.value(), item);
            return in.list().stream().anyMatch(candidate -> compare("=", v, value(candidate, item)));
        }
        return function(((Expr.Function) condition).call(), item);
    }

    private boolean function(Expr.Call call, Map<String, Value> item) {
        List<Expr.Operand> args = call.args();
        Optional<Value> first = value(args.get(0), item);
        switch (call.name()) {
            case "attribute_exists":
                return first.isPresent();
            case "attribute_not_exists":
                return first.isEmpty();
            case "attribute_type":
                return first.isPresent()
                        && value(args.get(1), item)
                                .map(t -> t instanceof Value.S s
                                        && s.value().equals(first.get().type()))
                                .orElse(false);
            case "begins_with":
                return beginsWith(first, value(args.get(1), item));
            default:
                return contains(first, value(args.get(1), item));
        }
    }

    private static boolean beginsWith(Optional<Value> value, Optional<Value> prefix) {
        if (value.isEmpty() || prefix.isEmpty()) {
            return false;
        }
        if (value.get() instanceof Value.S s && prefix.get() instanceof Value.S p) {
            return s.value().startsWith(p.value());
        }
        return value.get() instanceof Value.B b
                && prefix.get() instanceof Value.B p
                && b.value().startsWith(p.value());
    }

    private static boolean contains(Optional<Value> container, Optional<Value> element) {
        if (container.isEmpty() || element.isEmpty()) {
            return false;
        }
        Value c = container.get();
        Value e = element.get();
        if (c instanceof Value.S s) {
            return e instanceof Value.S part && s.value().contains(part.value());
        } else if (c instanceof Value.B b) {
            return e instanceof Value.B part && b.value().contains(part.value());
        } else if (c instanceof Value.SS ss) {
            return e instanceof Value.S part && ss.value().contains(part.value());
        } else if (c instanceof Value.NS ns) {
            return e instanceof Value.N part && ns.value().contains(part.value());
        } else if (c instanceof Value.BS bs) {
            return e instanceof Value.B part && bs.value().contains(part.value());
        } else if (c instanceof Value.L l) {
            return l.value().contains(e);
        }
        return false;
    }

    private static boolean compare(String operator, Optional<Value> left, Optional<Value> right) {
        if (left.isEmpty() || right.isEmpty()) {
            return operator.equals("<>");
        }
        if (operator.equals("=")) {
            return left.get().equals(right.get());
        }
        if (operator.equals("<>")) {
            return !left.get().equals(right.get());
        }
        Integer order = compare(left.get(), right.get());
        if (order == null) {
            return false;
        }
        return switch (operator) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            default -> order >= 0;
        };
    }

    /** The order of two values of one ordered type (N, S, B); null when they are not comparable. */
    static @Nullable Integer compare(Value a, Value b) {
        if (a instanceof Value.N x && b instanceof Value.N y) {
            return x.value().compareTo(y.value());
        } else if (a instanceof Value.S x && b instanceof Value.S y) {
            return compareUtf8(x.value(), y.value());
        } else if (a instanceof Value.B x && b instanceof Value.B y) {
            return x.value().compareTo(y.value());
        }
        return null;
    }

    /** UTF-8 byte order, which is code point order (DynamoDB's order for strings). */
    static int compareUtf8(String a, String b) {
        return dev.gatehouse.store.Utf8Order.compare(a, b);
    }

    /** An operand's value in a condition; empty when it refers to nothing. */
    Optional<Value> value(Expr.Operand operand, Map<String, Value> item) {
        if (operand instanceof Expr.PathOperand p) {
            return resolve(item, p.path());
        } else if (operand instanceof Expr.ValueRef ref) {
            return Optional.of(context.value(ref.name()));
        } else if (operand instanceof Expr.Call call && call.name().equals("size")) {
            return value(call.args().get(0), item).flatMap(Evaluator::size);
        }
        return Optional.empty();
    }

    private static Optional<Value> size(Value value) {
        long size;
        if (value instanceof Value.S s) {
            size = s.value().codePointCount(0, s.value().length());
        } else if (value instanceof Value.B b) {
            size = b.value().length();
        } else if (value instanceof Value.SS ss) {
            size = ss.value().size();
        } else if (value instanceof Value.NS ns) {
            size = ns.value().size();
        } else if (value instanceof Value.BS bs) {
            size = bs.value().size();
        } else if (value instanceof Value.L l) {
            size = l.value().size();
        } else if (value instanceof Value.M m) {
            size = m.value().size();
        } else {
            return Optional.empty();
        }
        return Optional.of(new Value.N(BigDecimal.valueOf(size)));
    }

    /** The value a SET action's right-hand side computes against the item as it was before the update. */
    Value updateValue(Expr.Operand operand, Map<String, Value> item) {
        if (operand instanceof Expr.PathOperand p) {
            return resolve(item, p.path()).orElseThrow(Evaluator::missing);
        } else if (operand instanceof Expr.ValueRef ref) {
            return context.value(ref.name());
        } else if (operand instanceof Expr.Arithmetic a) {
            Value left = updateValue(a.left(), item);
            Value right = updateValue(a.right(), item);
            if (!(left instanceof Value.N x) || !(right instanceof Value.N y)) {
                throw wrongType();
            }
            BigDecimal result =
                    a.operator() == '+' ? x.value().add(y.value()) : x.value().subtract(y.value());
            return new Value.N(Numbers.checkRange(result));
        }
        Expr.Call call = (Expr.Call) operand;
        if (call.name().equals("if_not_exists")) {
            Optional<Value> current =
                    resolve(item, ((Expr.PathOperand) call.args().get(0)).path());
            return current.isPresent() ? current.get() : updateValue(call.args().get(1), item);
        }
        Value first = updateValue(call.args().get(0), item);
        Value second = updateValue(call.args().get(1), item);
        if (!(first instanceof Value.L x) || !(second instanceof Value.L y)) {
            throw wrongType();
        }
        List<Value> joined = new ArrayList<>(x.value());
        joined.addAll(y.value());
        return new Value.L(joined);
    }

    static TablesException missing() {
        return TablesException.validation(
                "The provided expression refers to an attribute that does not exist in the item");
    }

    static TablesException wrongType() {
        return TablesException.validation("An operand in the update expression has an incorrect data type");
    }

    static TablesException invalidPath() {
        return TablesException.validation("The document path provided in the update expression is invalid for update");
    }

    /** The item with only the projected paths, nested values re-packed as DynamoDB does. */
    static Map<String, Value> project(Map<String, Value> item, List<Expr.Path> paths) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Expr.Path path : paths) {
            Optional<Value> value = resolve(item, path);
            if (value.isPresent()) {
                place(out, path, value.get());
            }
        }
        return out;
    }

    private static void place(Map<String, Value> out, Expr.Path path, Value value) {
        String name = path.top();
        if (path.isTop()) {
            out.put(name, value);
            return;
        }
        out.put(name, merge(out.get(name), path.elements(), 1, value));
    }

    private static Value merge(@Nullable Value existing, List<Object> elements, int at, Value leaf) {
        if (at == elements.size()) {
            return leaf;
        }
        Object element = elements.get(at);
        if (element instanceof Integer) {
            // Projected list elements keep their order; their original indexes are dropped.
            List<Value> list = existing instanceof Value.L l ? new ArrayList<>(l.value()) : new ArrayList<>();
            list.add(merge(null, elements, at + 1, leaf));
            return new Value.L(list);
        }
        Map<String, Value> map = existing instanceof Value.M m ? new LinkedHashMap<>(m.value()) : new LinkedHashMap<>();
        map.put((String) element, merge(map.get((String) element), elements, at + 1, leaf));
        return new Value.M(map);
    }

    /** A set value with {@code other}'s elements added (ADD) or removed (DELETE); null when the types differ. */
    static @Nullable Value setOperation(Value set, Value other, boolean add) {
        if (set instanceof Value.SS a && other instanceof Value.SS b) {
            Set<String> result = new LinkedHashSet<>(a.value());
            apply(result, b.value(), add);
            return new Value.SS(result);
        } else if (set instanceof Value.NS a && other instanceof Value.NS b) {
            Set<BigDecimal> result = new LinkedHashSet<>(a.value());
            apply(result, b.value(), add);
            return new Value.NS(result);
        } else if (set instanceof Value.BS a && other instanceof Value.BS b) {
            Set<Value.Bytes> result = new LinkedHashSet<>(a.value());
            apply(result, b.value(), add);
            return new Value.BS(result);
        }
        return null;
    }

    private static <T> void apply(Set<T> target, Set<T> elements, boolean add) {
        if (add) {
            target.addAll(elements);
        } else {
            target.removeAll(elements);
        }
    }
}
