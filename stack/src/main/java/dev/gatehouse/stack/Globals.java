package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SAM's {@code Globals}: properties of {@code Function}, {@code HttpApi}, {@code Api} and {@code SimpleTable} merged
 * into every resource of that type; the resource's own value wins, maps merge key by key, lists are added to.
 */
final class Globals {

    private static final Map<String, String> SECTIONS = Map.of(
            "Function",
            "AWS::Serverless::Function",
            "HttpApi",
            "AWS::Serverless::HttpApi",
            "Api",
            "AWS::Serverless::Api",
            "SimpleTable",
            "AWS::Serverless::SimpleTable");

    private final Map<String, Node.MapNode> byType;

    private Globals(Map<String, Node.MapNode> byType) {
        this.byType = byType;
    }

    static Globals of(Optional<Node> node, boolean sam) {
        Map<String, Node.MapNode> byType = new LinkedHashMap<>();
        node.ifPresent(globals -> {
            if (!sam) {
                throw new TemplateException(
                        globals.pos(), "Globals needs the " + CloudFormationReader.SAM_TRANSFORM + " transform");
            }
            if (!(globals instanceof Node.MapNode map)) {
                throw new TemplateException(globals.pos(), "Globals must be a map");
            }
            map.entries().forEach((section, value) -> {
                String type = SECTIONS.get(section);
                if (type == null) {
                    throw new TemplateException(
                            value.pos(),
                            "Globals section " + section + " is not supported ("
                                    + new java.util.TreeSet<>(SECTIONS.keySet()) + ")");
                }
                if (!(value instanceof Node.MapNode properties)) {
                    throw new TemplateException(value.pos(), "Globals." + section + " must be a map");
                }
                byType.put(type, properties);
            });
        });
        return new Globals(byType);
    }

    /** The resource's properties with the globals of its type merged in. */
    Optional<Node> apply(String type, Optional<Node> properties, Pos at) {
        Node.MapNode global = byType.get(type);
        if (global == null) {
            return properties;
        }
        if (properties.isEmpty()) {
            return Optional.of(global);
        }
        return Optional.of(merge(global, properties.get()));
    }

    private static Node merge(Node global, Node own) {
        if (global instanceof Node.MapNode g && own instanceof Node.MapNode o && !isIntrinsic(o) && !isIntrinsic(g)) {
            LinkedHashMap<String, Node> merged = new LinkedHashMap<>(g.entries());
            o.entries().forEach((key, value) -> merged.merge(key, value, Globals::merge));
            return new Node.MapNode(merged, o.pos());
        }
        if (global instanceof Node.Seq g && own instanceof Node.Seq o) {
            List<Node> items = new ArrayList<>(g.items());
            items.addAll(o.items());
            return new Node.Seq(items, o.pos());
        }
        return own;
    }

    private static boolean isIntrinsic(Node.MapNode map) {
        return map.single()
                .map(e -> e.getKey().equals("Ref") || e.getKey().startsWith("Fn::"))
                .orElse(false);
    }
}
