package dev.gatehouse.stack;

import java.util.Optional;

/**
 * Where a resource or one of its properties is written in a template, for messages about a stack that was read
 * fine but cannot be applied (a property that would need the resource replaced): {@code template.yaml:14}.
 * CloudFormation and SAM templates keep resources under {@code Resources}; a {@code serverless.yml} keeps its
 * CloudFormation under {@code resources.Resources}.
 */
public final class TemplateLines {

    private TemplateLines() {}

    /**
     * The 1-based line of {@code property} of resource {@code logicalId} in {@code text}, or of the resource when the
     * property is not written there; 0 when neither is found or the text does not parse.
     */
    public static int line(String fileName, String text, String logicalId, Optional<String> property) {
        Node root;
        try {
            root = TemplateParser.parse(fileName, text);
        } catch (TemplateException e) {
            return 0;
        }
        Optional<Node> resource = child(Optional.of(root), "Resources")
                .or(() -> child(child(Optional.of(root), "resources"), "Resources"))
                .flatMap(resources -> child(Optional.of(resources), logicalId));
        if (resource.isEmpty()) {
            return 0;
        }
        Optional<Node> written = property.flatMap(name -> child(child(resource, "Properties"), name));
        return written.orElse(resource.get()).pos().line();
    }

    private static Optional<Node> child(Optional<Node> node, String key) {
        return node.filter(Node.MapNode.class::isInstance)
                .map(Node.MapNode.class::cast)
                .flatMap(map -> map.get(key));
    }
}
