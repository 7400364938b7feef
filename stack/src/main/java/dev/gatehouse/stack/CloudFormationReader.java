package dev.gatehouse.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A SAM/CloudFormation template (as {@link Node}s) to a {@link Stack}: sections checked, parameters bound, Globals
 * merged, conditional resources dropped, the reference graph checked for cycles and ordered, then each resource read
 * by its type's reader and the SAM transform applied (functions' {@code Events} become routes of their APIs, implicit
 * ones included).
 */
final class CloudFormationReader {

    static final String SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
    private static final Set<String> SECTIONS = Set.of(
            "AWSTemplateFormatVersion",
            "Transform",
            "Description",
            "Metadata",
            "Parameters",
            "Conditions",
            "Globals",
            "Resources",
            "Outputs");

    private final Node.MapNode root;
    private final Path baseDir;
    private final TemplateReader.Options options;

    CloudFormationReader(Node.MapNode root, Path baseDir, TemplateReader.Options options) {
        this.root = root;
        this.baseDir = baseDir;
        this.options = options;
    }

    Stack read() {
        root.entries().forEach((key, node) -> {
            if (!SECTIONS.contains(key)) {
                throw new TemplateException(
                        node.pos(),
                        "section " + key + " is not supported (supported: "
                                + "Parameters, Conditions, Globals, Resources, Outputs)");
            }
        });
        boolean sam = transform();
        Map<String, Value> parameters =
                Parameters.bind(root.get("Parameters"), options.parameterOverrides(), root.pos());
        Map<String, Node> conditionNodes = conditions();
        Node.MapNode resourcesNode = section("Resources")
                .orElseThrow(() -> new TemplateException(root.pos(), "a template needs a Resources section"));
        Map<String, String> pseudo = Map.of(
                "AWS::Region",
                options.region(),
                "AWS::AccountId",
                options.accountId(),
                "AWS::StackName",
                options.stageStackName(),
                "AWS::Partition",
                "aws",
                "AWS::URLSuffix",
                "amazonaws.com");
        Map<String, String> ids = new LinkedHashMap<>();
        resourcesNode
                .entries()
                .forEach((id, node) -> ids.put(
                        id,
                        node instanceof Node.MapNode m && m.get("Type").orElse(null) instanceof Node.Scalar type
                                ? type.text()
                                : ""));
        SamReader.implicitIds(resourcesNode).forEach(id -> ids.putIfAbsent(id, SamReader.implicitType(id)));
        Resolver resolver = new Resolver(parameters, pseudo, conditionNodes, ids);
        LinkedHashMap<String, Node.MapNode> resources = kept(resourcesNode, resolver, sam);
        List<String> order = Graph.order(resources);
        List<Resource> read = new SamReader(
                        resolver, baseDir, Globals.of(root.get("Globals"), sam), options.stageStackName())
                .read(resources, order);
        return new Stack(
                options.stageStackName(), options.stage(), options.region(), baseDir, read, outputs(resolver, read));
    }

    private boolean transform() {
        Optional<Node> transform = root.get("Transform");
        if (transform.isEmpty()) {
            return false;
        }
        List<Node> names = transform.get() instanceof Node.Seq seq ? seq.items() : List.of(transform.get());
        for (Node name : names) {
            if (!(name instanceof Node.Scalar s) || !SAM_TRANSFORM.equals(s.text())) {
                throw new TemplateException(
                        name.pos(),
                        "transform " + Node.describe(name) + " is not supported (only " + SAM_TRANSFORM + ")");
            }
        }
        return true;
    }

    private Optional<Node.MapNode> section(String name) {
        return root.get(name).map(node -> {
            if (node instanceof Node.MapNode map) {
                return map;
            }
            throw new TemplateException(node.pos(), name + " must be a map");
        });
    }

    private Map<String, Node> conditions() {
        Map<String, Node> conditions = new HashMap<>();
        section("Conditions").ifPresent(map -> conditions.putAll(map.entries()));
        return conditions;
    }

    /** The resources whose {@code Condition} holds, each checked to be a map with a {@code Type}. */
    private LinkedHashMap<String, Node.MapNode> kept(Node.MapNode resources, Resolver resolver, boolean sam) {
        LinkedHashMap<String, Node.MapNode> kept = new LinkedHashMap<>();
        resources.entries().forEach((id, node) -> {
            Where where = Where.resource(id);
            if (!(node instanceof Node.MapNode map)) {
                throw where.error(node, "a resource is a map with Type and Properties");
            }
            Node type = map.get("Type").orElseThrow(() -> where.error(node, "a resource needs a Type"));
            if (!sam && type instanceof Node.Scalar s && s.text().startsWith("AWS::Serverless::")) {
                throw where.error(
                        type, s.text() + " needs \"Transform: " + SAM_TRANSFORM + "\" at the top of the template");
            }
            for (String key : map.entries().keySet()) {
                if (!Set.of(
                                "Type",
                                "Properties",
                                "DependsOn",
                                "Condition",
                                "Metadata",
                                "DeletionPolicy",
                                "UpdateReplacePolicy")
                        .contains(key)) {
                    throw new TemplateException(
                            map.entries().get(key).pos(), id, null, "attribute " + key + " is not supported");
                }
            }
            Optional<Node> condition = map.get("Condition");
            if (condition.isEmpty()
                    || resolver.condition(resolver.text(condition.get(), where), condition.get(), where)) {
                kept.put(id, map);
            }
        });
        return kept;
    }

    private List<Stack.Output> outputs(Resolver resolver, List<Resource> resources) {
        List<Stack.Output> outputs = new ArrayList<>();
        section("Outputs").ifPresent(map -> map.entries().forEach((name, node) -> {
            Where where = new Where(null, "Outputs." + name);
            if (!(node instanceof Node.MapNode output)) {
                throw where.error(node, "an output is a map with Value");
            }
            Props props = new Props(output, resolver, where);
            Optional<Node> condition = props.node("Condition");
            if (condition.isPresent()
                    && !resolver.condition(resolver.text(condition.get(), where), condition.get(), where)) {
                return;
            }
            Value.Text value = props.requiredScalar("Value");
            Optional<String> description = props.text("Description");
            Optional<String> export = props.map("Export").map(e -> {
                String exportName = e.requiredText("Name");
                e.done();
                return exportName;
            });
            props.done();
            Value.references(value).stream()
                    .filter(id -> !Attributes.GATEHOUSE_PSEUDO.contains(id))
                    .forEach(id -> {
                        if (resources.stream().noneMatch(r -> r.logicalId().equals(id))) {
                            throw where.error(node, "refers to " + id + ", which this stack does not create");
                        }
                    });
            outputs.add(new Stack.Output(name, value, description, export));
        }));
        return outputs;
    }
}
