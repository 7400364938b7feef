package dev.gatehouse.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An app as a template describes it: resources in creation order (each after what it refers to) and outputs.
 *
 * @param name the stack's name ({@code AWS::StackName}): the template's, with {@code -<stage>} for stages other than
 *     {@code dev}
 * @param stage the stage every id and datum is namespaced by
 * @param baseDir the template's directory, against which code paths resolve
 */
public record Stack(
        String name, String stage, String region, Path baseDir, List<Resource> resources, List<Output> outputs) {

    public Stack {
        resources = List.copyOf(resources);
        outputs = List.copyOf(outputs);
    }

    /**
     * An output, printed once the stack serves.
     *
     * @param exportName {@code Export.Name}, when set
     */
    public record Output(String name, Value.Text value, Optional<String> description, Optional<String> exportName) {}

    /** The resources of one type, in creation order. */
    public <T extends Resource> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource with this logical id. */
    public Optional<Resource> resource(String logicalId) {
        return resources.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
    }
}
