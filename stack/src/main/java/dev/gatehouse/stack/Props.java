package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A resource's properties as a reader takes them: each read marks its key used, and {@link #done()} refuses every
 * key no reader took, naming it, so nothing in a template is silently ignored.
 */
final class Props {

    private final Node.MapNode map;
    private final Resolver resolver;
    private final Where where;
    private final Set<String> used = new HashSet<>();

    Props(Node.MapNode map, Resolver resolver, Where where) {
        this.map = map;
        this.resolver = resolver;
        this.where = where;
    }

    static Props of(Optional<Node> node, Node owner, Resolver resolver, Where where) {
        if (node.isEmpty()) {
            return new Props(new Node.MapNode(new LinkedHashMap<>(), owner.pos()), resolver, where);
        }
        if (!(node.get() instanceof Node.MapNode map)) {
            throw where.error(node.get(), "must be a map, not " + Node.describe(node.get()));
        }
        return new Props(map, resolver, where);
    }

    Where where() {
        return where;
    }

    Resolver resolver() {
        return resolver;
    }

    Node owner() {
        return map;
    }

    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    Optional<Node> node(String key) {
        used.add(key);
        return map.get(key);
    }

    Optional<Value> value(String key) {
        return node(key).flatMap(n -> resolver.resolve(n, where.property(key)));
    }

    Optional<Value.Text> scalar(String key) {
        return value(key).map(v -> {
            if (v instanceof Value.Text t) {
                return t;
            }
            throw error(key, "must be a single value, not " + Resolver.describe(v));
        });
    }

    Value.Text requiredScalar(String key) {
        return scalar(key).orElseThrow(() -> error(null, "property " + key + " is required"));
    }

    Optional<String> text(String key) {
        return node(key)
                .filter(n -> resolver.resolve(n, where.property(key)).isPresent())
                .map(n -> resolver.text(n, where.property(key)));
    }

    String requiredText(String key) {
        return text(key).orElseThrow(() -> error(null, "property " + key + " is required"));
    }

    Optional<Integer> integer(String key) {
        return text(key).map(text -> {
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                throw error(key, "must be a whole number, not \"" + text + "\"");
            }
        });
    }

    boolean bool(String key, boolean otherwise) {
        return text(key)
                .map(text -> switch (TemplateParser.lower(text)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw error(key, "must be true or false, not \"" + text + "\"");
                })
                .orElse(otherwise);
    }

    /** A list of literal texts; a single text is a list of one. */
    List<String> texts(String key) {
        Optional<Value> value = value(key);
        List<String> out = new ArrayList<>();
        value.ifPresent(v -> {
            List<Value> items = v instanceof Value.ListValue list ? list.items() : List.of(v);
            for (Value item : items) {
                if (!(item instanceof Value.Text t) || t.literal().isEmpty()) {
                    throw error(key, "must be a list of text known from the template");
                }
                out.add(t.literal().get());
            }
        });
        return out;
    }

    /** A list of scalars that may refer to resources; a single one is a list of one. */
    List<Value.Text> scalars(String key) {
        List<Value.Text> out = new ArrayList<>();
        value(key).ifPresent(v -> {
            for (Value item : v instanceof Value.ListValue list ? list.items() : List.of(v)) {
                if (!(item instanceof Value.Text t)) {
                    throw error(key, "must be a list of single values");
                }
                out.add(t);
            }
        });
        return out;
    }

    /** A nested map, checked like these properties. */
    Optional<Props> map(String key) {
        return node(key).map(n -> {
            if (!(n instanceof Node.MapNode nested)) {
                throw error(key, "must be a map, not " + Node.describe(n));
            }
            return new Props(nested, resolver, where.property(key));
        });
    }

    /** The keys, in order, for maps whose keys are names (authorizers, variables). */
    Set<String> keys() {
        return map.entries().keySet();
    }

    /** Keys that are accepted and have no effect locally (descriptions, tags). */
    void accept(String... keys) {
        used.addAll(List.of(keys));
    }

    /** Refuses the first key no reader took. */
    void done() {
        for (Map.Entry<String, Node> entry : map.entries().entrySet()) {
            if (!used.contains(entry.getKey())) {
                throw new TemplateException(
                        entry.getValue().pos(),
                        where.resource(),
                        where.property(entry.getKey()).property(),
                        "is not supported by Gatehouse");
            }
        }
    }

    TemplateException error(@Nullable String key, String reason) {
        Node at = key == null ? map : map.get(key).orElse(map);
        return (key == null ? where : where.property(key)).error(at, reason);
    }
}
