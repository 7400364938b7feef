package dev.gatehouse.tables;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a checked update expression to an item. Every right-hand side is computed against the item as it was
 * before the update; actions then apply in order, REMOVEs of list elements by their original indexes.
 */
final class Updater {

    private final Evaluator evaluator;

    Updater(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** The updated item; {@code old} is unchanged. */
    Map<String, Value> apply(Expr.Update update, Map<String, Value> old) {
        List<Value> computed = new ArrayList<>();
        for (Expr.Action action : update.actions()) {
            computed.add(action.clause().equals("SET") ? evaluator.updateValue(action.value(), old) : new Value.Null());
        }
        Map<String, Value> item = new LinkedHashMap<>(old);
        List<Expr.Action> removes = new ArrayList<>();
        for (int i = 0; i < update.actions().size(); i++) {
            Expr.Action action = update.actions().get(i);
            switch (action.clause()) {
                case "SET" -> set(item, action.path(), computed.get(i));
                case "REMOVE" -> removes.add(action);
                case "ADD" -> add(item, action, true);
                default -> add(item, action, false);
            }
        }
        // Later list indexes first, so earlier ones still point at the original elements.
        removes.sort(
                Comparator.comparing((Expr.Action a) -> lastIndex(a.path())).reversed());
        for (Expr.Action remove : removes) {
            remove(item, remove.path(), !old.isEmpty());
        }
        return item;
    }

    private static int lastIndex(Expr.Path path) {
        Object last = path.elements().get(path.elements().size() - 1);
        return last instanceof Integer index ? index : -1;
    }

    private void add(Map<String, Value> item, Expr.Action action, boolean add) {
        Value operand = evaluator.updateValue(action.value(), Map.of());
        Optional<Value> current = Evaluator.resolve(item, action.path());
        if (current.isEmpty()) {
            if (add) {
                set(item, action.path(), operand);
            }
            return;
        }
        Value result;
        if (add && operand instanceof Value.N n) {
            if (!(current.get() instanceof Value.N c)) {
                throw Evaluator.wrongType();
            }
            result = new Value.N(Numbers.checkRange(c.value().add(n.value())));
        } else {
            Value combined = Evaluator.setOperation(current.get(), operand, add);
            if (combined == null) {
                throw Evaluator.wrongType();
            }
            result = combined;
        }
        if (Attributes.isEmptySet(result)) {
            remove(item, action.path(), true);
        } else {
            set(item, action.path(), result);
        }
    }

    static void set(Map<String, Value> item, Expr.Path path, Value value) {
        if (path.isTop()) {
            item.put(path.top(), value);
            return;
        }
        Value root = item.get(path.top());
        if (root == null) {
            throw Evaluator.invalidPath();
        }
        item.put(path.top(), setIn(root, path.elements(), 1, value));
    }

    private static Value setIn(Value container, List<Object> elements, int at, Value value) {
        Object element = elements.get(at);
        boolean last = at == elements.size() - 1;
        if (element instanceof Integer index) {
            List<Value> list = new ArrayList<>(list(container));
            if (index >= list.size()) {
                if (!last) {
                    throw Evaluator.invalidPath();
                }
                list.add(value);
            } else {
                list.set(index, last ? value : setIn(list.get(index), elements, at + 1, value));
            }
            return new Value.L(list);
        }
        Map<String, Value> map = new LinkedHashMap<>(map(container));
        String name = (String) element;
        if (last) {
            map.put(name, value);
        } else {
            Value child = map.get(name);
            if (child == null) {
                throw Evaluator.invalidPath();
            }
            map.put(name, setIn(child, elements, at + 1, value));
        }
        return new Value.M(map);
    }

    static void remove(Map<String, Value> item, Expr.Path path, boolean itemExists) {
        if (path.isTop()) {
            item.remove(path.top());
            return;
        }
        Value root = item.get(path.top());
        if (root == null) {
            if (itemExists) {
                throw Evaluator.invalidPath();
            }
            return;
        }
        item.put(path.top(), removeIn(root, path.elements(), 1));
    }

    private static Value removeIn(Value container, List<Object> elements, int at) {
        Object element = elements.get(at);
        boolean last = at == elements.size() - 1;
        if (element instanceof Integer index) {
            List<Value> list = new ArrayList<>(list(container));
            if (index >= list.size()) {
                return container;
            }
            if (last) {
                list.remove((int) index);
            } else {
                list.set(index, removeIn(list.get(index), elements, at + 1));
            }
            return new Value.L(list);
        }
        Map<String, Value> map = new LinkedHashMap<>(map(container));
        String name = (String) element;
        if (last) {
            map.remove(name);
        } else if (map.containsKey(name)) {
            map.put(name, removeIn(map.get(name), elements, at + 1));
        }
        return new Value.M(map);
    }

    /** The elements of a list a path steps into by index; anything else is an invalid path for an update. */
    private static List<Value> list(Value container) {
        if (container instanceof Value.L l) {
            return l.value();
        }
        throw Evaluator.invalidPath();
    }

    /** The entries of a map a path steps into by name; anything else is an invalid path for an update. */
    private static Map<String, Value> map(Value container) {
        if (container instanceof Value.M m) {
            return m.value();
        }
        throw Evaluator.invalidPath();
    }

    /** A number from {@code BigDecimal}, normalised. */
    static Value number(BigDecimal value) {
        return new Value.N(Numbers.checkRange(value));
    }
}
