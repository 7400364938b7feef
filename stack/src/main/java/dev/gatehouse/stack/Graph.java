package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The references between resources ({@code Ref}, {@code Fn::GetAtt}, {@code ${…}} in {@code Fn::Sub},
 * {@code DependsOn}) as a graph: a cycle is refused as CloudFormation words it, otherwise the creation order is each
 * resource after what it refers to, in template order where free.
 */
final class Graph {

    private Graph() {}

    static List<String> order(LinkedHashMap<String, Node.MapNode> resources) {
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        resources.forEach((id, node) -> {
            Set<String> targets = new LinkedHashSet<>();
            collect(node, resources.keySet(), targets);
            targets.remove(id);
            edges.put(id, targets);
        });
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String id : resources.keySet()) {
            visit(id, edges, done, new ArrayList<>(), order, resources);
        }
        return order;
    }

    private static void visit(
            String id,
            Map<String, Set<String>> edges,
            Set<String> done,
            List<String> path,
            List<String> order,
            Map<String, Node.MapNode> resources) {
        if (done.contains(id)) {
            return;
        }
        int at = path.indexOf(id);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            throw new TemplateException(
                    java.util.Objects.requireNonNull(resources.get(id)).pos(),
                    id,
                    null,
                    "Circular dependency between resources: " + cycle);
        }
        path.add(id);
        for (String target : edges.getOrDefault(id, Set.of())) {
            visit(target, edges, done, path, order, resources);
        }
        path.remove(path.size() - 1);
        done.add(id);
        order.add(id);
    }

    private static void collect(Node node, Set<String> ids, Set<String> out) {
        if (node instanceof Node.Seq seq) {
            seq.items().forEach(item -> collect(item, ids, out));
            return;
        }
        if (!(node instanceof Node.MapNode map)) {
            return;
        }
        map.entries().forEach((key, value) -> {
            switch (key) {
                case "Ref", "DependsOn" -> names(value).stream()
                        .filter(ids::contains)
                        .forEach(out::add);
                case "Fn::GetAtt" -> names(value).stream()
                        .limit(1)
                        .filter(ids::contains)
                        .forEach(out::add);
                case "Fn::Sub" -> sub(value, ids, out);
                default -> collect(value, ids, out);
            }
        });
    }

    private static void sub(Node value, Set<String> ids, Set<String> out) {
        Node template = value instanceof Node.Seq seq && !seq.items().isEmpty()
                ? seq.items().get(0)
                : value;
        if (value instanceof Node.Seq seq && seq.items().size() > 1) {
            collect(seq.items().get(1), ids, out);
        }
        if (template instanceof Node.Scalar s) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\\$\\{([^!}][^}.]*)").matcher(s.text());
            while (m.find()) {
                if (ids.contains(m.group(1).trim())) {
                    out.add(m.group(1).trim());
                }
            }
        }
    }

    private static List<String> names(Node node) {
        List<String> names = new ArrayList<>();
        if (node instanceof Node.Scalar s) {
            names.add(s.text());
        } else if (node instanceof Node.Seq seq) {
            seq.items().stream()
                    .filter(Node.Scalar.class::isInstance)
                    .map(n -> ((Node.Scalar) n).text())
                    .forEach(names::add);
        }
        return names;
    }
}
