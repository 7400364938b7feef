package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The Parameters section bound to defaults and {@code --parameter-overrides}. */
final class Parameters {

    private static final Set<String> TYPES = Set.of("String", "Number", "CommaDelimitedList", "List<Number>");
    private static final Set<String> KEYS = Set.of(
            "Type",
            "Default",
            "Description",
            "AllowedValues",
            "AllowedPattern",
            "ConstraintDescription",
            "MinLength",
            "MaxLength",
            "MinValue",
            "MaxValue",
            "NoEcho");

    private Parameters() {}

    static Map<String, Value> bind(Optional<Node> section, Map<String, String> overrides, Pos top) {
        Map<String, Value> values = new HashMap<>();
        Set<String> unknown = new TreeSet<>(overrides.keySet());
        section.ifPresent(node -> {
            if (!(node instanceof Node.MapNode map)) {
                throw new TemplateException(node.pos(), "Parameters must be a map");
            }
            map.entries().forEach((name, definition) -> {
                unknown.remove(name);
                values.put(name, bindOne(name, definition, Optional.ofNullable(overrides.get(name))));
            });
        });
        if (!unknown.isEmpty()) {
            throw new TemplateException(
                    new Pos(top.file(), 0),
                    "--parameter-overrides names " + unknown + ", not parameters of this template");
        }
        return values;
    }

    private static Value bindOne(String name, Node definition, Optional<String> override) {
        Where where = new Where(null, "Parameters." + name);
        if (!(definition instanceof Node.MapNode map)) {
            throw where.error(definition, "a parameter is a map with Type");
        }
        map.entries().forEach((key, node) -> {
            if (!KEYS.contains(key)) {
                throw where.property(key).error(node, "is not supported");
            }
        });
        String type =
                literal(map.get("Type").orElseThrow(() -> where.error(definition, "a parameter needs a Type")), where);
        if (!TYPES.contains(type)) {
            throw where.error(
                    map.get("Type").get(),
                    "parameter type " + type + " is not supported (String, Number,"
                            + " CommaDelimitedList, List<Number>)");
        }
        String value = override.or(() -> map.get("Default").map(d -> literal(d, where)))
                .orElseThrow(() -> where.error(definition, "has no Default and no --parameter-overrides value"));
        check(map, value, type, where);
        if (type.equals("CommaDelimitedList") || type.equals("List<Number>")) {
            List<Value> items = new ArrayList<>();
            for (String item : value.split(",", -1)) {
                items.add(Value.Text.of(item.trim()));
            }
            return new Value.ListValue(items);
        }
        return new Value.Text(List.of(new Value.Part.Lit(value)), type.equals("Number"));
    }

    private static void check(Node.MapNode map, String value, String type, Where where) {
        map.get("AllowedValues").ifPresent(allowed -> {
            if (!(allowed instanceof Node.Seq seq)) {
                throw where.error(allowed, "AllowedValues must be a list");
            }
            if (seq.items().stream().noneMatch(item -> literal(item, where).equals(value))) {
                throw where.error(allowed, "value \"" + value + "\" is not one of AllowedValues");
            }
        });
        map.get("AllowedPattern").ifPresent(pattern -> {
            if (!value.matches(literal(pattern, where))) {
                throw where.error(pattern, "value \"" + value + "\" does not match AllowedPattern");
            }
        });
        if (type.equals("Number") && !value.matches("-?\\d+(\\.\\d+)?")) {
            throw where.error(map, "value \"" + value + "\" is not a Number");
        }
    }

    private static String literal(Node node, Where where) {
        if (node instanceof Node.Scalar s) {
            return s.text();
        }
        throw where.error(node, "must be text, not " + Node.describe(node));
    }
}
