package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place intrinsic functions are resolved (DESIGN.md §5). Parameters, pseudo parameters and conditions are
 * known here and become literals; references to resources stay symbolic ({@link Value.Part}) until the stack is
 * applied. Every intrinsic not listed is refused with its position.
 *
 * <ul>
 *   <li>{@code Ref} of a parameter, a pseudo parameter or a resource; {@code AWS::NoValue} removes the key.</li>
 *   <li>{@code Fn::GetAtt}, {@code Fn::Sub} (both forms), {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}
 *       (of literal text), {@code Fn::If} with conditions of {@code Fn::Equals}, {@code Fn::And}, {@code Fn::Or},
 *       {@code Fn::Not}, {@code Condition}.</li>
 * </ul>
 */
final class Resolver {

    private final Map<String, Value> parameters;
    private final Map<String, String> pseudo;
    private final Map<String, Node> conditionNodes;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> evaluating = new java.util.HashSet<>();
    private final Map<String, String> resources;

    /** @param resources every logical id with its type, implicit ones included */
    Resolver(
            Map<String, Value> parameters,
            Map<String, String> pseudo,
            Map<String, Node> conditionNodes,
            Map<String, String> resources) {
        this.parameters = parameters;
        this.pseudo = pseudo;
        this.conditionNodes = conditionNodes;
        this.resources = resources;
    }

    /** The value, or empty where {@code AWS::NoValue} (or an {@code Fn::If} branch of it) removes it. */
    Optional<Value> resolve(Node node, Where where) {
        if (node instanceof Node.Scalar s) {
            return Optional.of(new Value.Text(List.of(new Value.Part.Lit(s.text())), !s.quoted()));
        }
        if (node instanceof Node.Seq seq) {
            List<Value> items = new ArrayList<>();
            seq.items().forEach(item -> resolve(item, where).ifPresent(items::add));
            return Optional.of(new Value.ListValue(items));
        }
        Node.MapNode map = (Node.MapNode) node;
        Optional<Map.Entry<String, Node>> single = map.single();
        if (single.isPresent() && isIntrinsic(single.get().getKey())) {
            return intrinsic(single.get().getKey(), single.get().getValue(), map, where);
        }
        LinkedHashMap<String, Value> entries = new LinkedHashMap<>();
        map.entries().forEach((key, item) -> resolve(item, where.property(key)).ifPresent(v -> entries.put(key, v)));
        return Optional.of(new Value.MapValue(entries));
    }

    /** A value that must be present and literal text: a name, a runtime, a path. */
    String text(Node node, Where where) {
        Value value = resolve(node, where).orElseThrow(() -> where.error(node, "must have a value"));
        if (value instanceof Value.Text t && t.literal().isPresent()) {
            return t.literal().get();
        }
        throw where.error(node, "must be text known from the template alone, not " + describe(value));
    }

    /** A value that must be present and a scalar (it may refer to resources). */
    Value.Text scalar(Node node, Where where) {
        Value value = resolve(node, where).orElseThrow(() -> where.error(node, "must have a value"));
        if (value instanceof Value.Text t) {
            return t;
        }
        throw where.error(node, "must be a single value, not " + describe(value));
    }

    boolean condition(String name, Node at, Where where) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Node definition = conditionNodes.get(name);
        if (definition == null) {
            throw where.error(at, "unknown condition " + name);
        }
        if (!evaluating.add(name)) {
            throw where.error(at, "condition " + name + " depends on itself");
        }
        boolean value = bool(definition, new Where(null, "Conditions." + name));
        evaluating.remove(name);
        conditions.put(name, value);
        return value;
    }

    private static boolean isIntrinsic(String key) {
        return "Ref".equals(key) || "Condition".equals(key) || key.startsWith("Fn::");
    }

    private Optional<Value> intrinsic(String name, Node arg, Node at, Where where) {
        return switch (name) {
            case "Ref" -> ref(arg, where);
            case "Fn::GetAtt" -> Optional.of(getAtt(arg, where));
            case "Fn::Sub" -> Optional.of(Sub.resolve(this, arg, where));
            case "Fn::Join" -> Optional.of(join(arg, where));
            case "Fn::Select" -> select(arg, where);
            case "Fn::Split" -> Optional.of(split(arg, where));
            case "Fn::If" -> ifThen(arg, where);
            case "Condition" -> throw where.error(at, "Condition is a key of a resource or output, not a value");
            default -> throw where.error(
                    at,
                    "intrinsic function " + name + " is not supported (supported: Ref,"
                            + " Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If)");
        };
    }

    private Optional<Value> ref(Node arg, Where where) {
        if (!(arg instanceof Node.Scalar s)) {
            throw where.error(arg, "Ref takes a name, not " + Node.describe(arg));
        }
        if ("AWS::NoValue".equals(s.text())) {
            return Optional.empty();
        }
        return Optional.of(refName(s.text(), arg, where));
    }

    /** What {@code Ref name} (or {@code ${name}} in Fn::Sub) is. */
    Value refName(String name, Node at, Where where) {
        Value parameter = parameters.get(name);
        if (parameter != null) {
            return parameter;
        }
        String pseudoValue = pseudo.get(name);
        if (pseudoValue != null) {
            return Value.Text.of(pseudoValue);
        }
        if (Attributes.GATEHOUSE_PSEUDO.contains(name)) {
            return new Value.Text(List.of(new Value.Part.Ref(name)), false);
        }
        if (name.startsWith("AWS::")) {
            throw where.error(
                    at,
                    "pseudo parameter " + name + " is not supported (supported: AWS::Region,"
                            + " AWS::AccountId, AWS::StackName, AWS::Partition, AWS::URLSuffix, AWS::NoValue)");
        }
        if (!resources.containsKey(name)) {
            throw where.error(at, "Ref names " + name + ", which is neither a parameter nor a resource");
        }
        return new Value.Text(List.of(new Value.Part.Ref(name)), false);
    }

    /** {@code Fn::GetAtt} (or {@code ${A.B}} in Fn::Sub). */
    Value att(String logicalId, String attribute, Node at, Where where) {
        String type = resources.get(logicalId);
        if (type == null) {
            throw where.error(at, "Fn::GetAtt names " + logicalId + ", which is not a resource");
        }
        if (!Attributes.supported(type, attribute)) {
            throw where.error(
                    at,
                    "Fn::GetAtt " + logicalId + "." + attribute + ": " + type + " has no attribute "
                            + attribute + " that Gatehouse knows "
                            + new java.util.TreeSet<>(Attributes.BY_TYPE.getOrDefault(type, Set.of())));
        }
        return new Value.Text(List.of(new Value.Part.Att(logicalId, attribute)), false);
    }

    private Value getAtt(Node arg, Where where) {
        List<Node> args = list(arg, 2, "Fn::GetAtt", where);
        return att(text(args.get(0), where), text(args.get(1), where), arg, where);
    }

    private Value join(Node arg, Where where) {
        List<Node> args = list(arg, 2, "Fn::Join", where);
        String delimiter = text(args.get(0), where);
        List<Value> items = listValue(args.get(1), where);
        List<Value.Part> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0 && !delimiter.isEmpty()) {
                parts.add(new Value.Part.Lit(delimiter));
            }
            if (!(items.get(i) instanceof Value.Text t)) {
                throw where.error(arg, "Fn::Join joins text, not " + describe(items.get(i)));
            }
            parts.addAll(t.parts());
        }
        return new Value.Text(parts, false);
    }

    private Optional<Value> select(Node arg, Where where) {
        List<Node> args = list(arg, 2, "Fn::Select", where);
        String indexText = text(args.get(0), where);
        List<Value> items = listValue(args.get(1), where);
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            throw where.error(arg, "Fn::Select index must be a number, not \"" + indexText + "\"");
        }
        if (index < 0 || index >= items.size()) {
            throw where.error(arg, "Fn::Select index " + index + " is outside the list of " + items.size());
        }
        return Optional.of(items.get(index));
    }

    private Value split(Node arg, Where where) {
        List<Node> args = list(arg, 2, "Fn::Split", where);
        String delimiter = text(args.get(0), where);
        if (delimiter.isEmpty()) {
            throw where.error(arg, "Fn::Split needs a delimiter");
        }
        Value.Text source = scalar(args.get(1), where);
        String text = source.literal()
                .orElseThrow(
                        () -> where.error(
                                arg,
                                "Fn::Split of a value only known once the stack runs (a resource's id or attribute) is not supported"));
        List<Value> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = text.indexOf(delimiter, from);
            if (at < 0) {
                parts.add(Value.Text.of(text.substring(from)));
                return new Value.ListValue(parts);
            }
            parts.add(Value.Text.of(text.substring(from, at)));
            from = at + delimiter.length();
        }
    }

    private Optional<Value> ifThen(Node arg, Where where) {
        List<Node> args = list(arg, 3, "Fn::If", where);
        String name = text(args.get(0), where);
        return resolve(condition(name, args.get(0), where) ? args.get(1) : args.get(2), where);
    }

    private List<Value> listValue(Node node, Where where) {
        Value value = resolve(node, where).orElseThrow(() -> where.error(node, "must have a value"));
        if (value instanceof Value.ListValue list) {
            return list.items();
        }
        throw where.error(node, "must be a list, not " + describe(value));
    }

    /** A condition expression: Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition, or literal true/false. */
    boolean bool(Node node, Where where) {
        if (node instanceof Node.Scalar s && ("true".equals(s.text()) || "false".equals(s.text()))) {
            return Boolean.parseBoolean(s.text());
        }
        if (!(node instanceof Node.MapNode map) || map.single().isEmpty()) {
            throw where.error(
                    node,
                    "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, not " + Node.describe(node));
        }
        Map.Entry<String, Node> entry = map.single().get();
        Node arg = entry.getValue();
        return switch (entry.getKey()) {
            case "Fn::Equals" -> {
                List<Node> args = list(arg, 2, "Fn::Equals", where);
                yield comparable(args.get(0), where).equals(comparable(args.get(1), where));
            }
            case "Fn::Not" -> !bool(list(arg, 1, "Fn::Not", where).get(0), where);
            case "Fn::And" -> bools(arg, "Fn::And", where).stream().allMatch(b -> b);
            case "Fn::Or" -> bools(arg, "Fn::Or", where).stream().anyMatch(b -> b);
            case "Condition" -> condition(text(arg, where), arg, where);
            default -> throw where.error(
                    node,
                    entry.getKey() + " is not a condition function (Fn::Equals, Fn::And,"
                            + " Fn::Or, Fn::Not, Condition)");
        };
    }

    private List<Boolean> bools(Node arg, String function, Where where) {
        if (!(arg instanceof Node.Seq seq)
                || seq.items().size() < 2
                || seq.items().size() > 10) {
            throw where.error(arg, function + " takes a list of 2 to 10 conditions");
        }
        List<Boolean> values = new ArrayList<>();
        seq.items().forEach(item -> values.add(bool(item, where)));
        return values;
    }

    private String comparable(Node node, Where where) {
        Value.Text text = scalar(node, where);
        return text.literal()
                .orElseThrow(
                        () -> where.error(
                                node,
                                "Fn::Equals compares values known from the template (parameters, pseudo parameters), not resource ids"));
    }

    static List<Node> list(Node arg, int size, String function, Where where) {
        if (arg instanceof Node.Seq seq && seq.items().size() == size) {
            return seq.items();
        }
        throw where.error(arg, function + " takes a list of " + size + ", not " + Node.describe(arg));
    }

    static String describe(Value value) {
        if (value instanceof Value.Text) {
            return "a reference to a resource";
        }
        return value instanceof Value.ListValue ? "a list" : "a map";
    }
}
