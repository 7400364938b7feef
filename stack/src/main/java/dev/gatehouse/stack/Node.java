package dev.gatehouse.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A template as parsed, before any intrinsic is resolved: scalars, lists and maps, each with its position. YAML's
 * short forms are already long forms here ({@code !Ref X} is the map {@code {Ref: X}}).
 */
sealed interface Node {

    Pos pos();

    /** A scalar as written; {@code quoted} when it was a quoted string (so {@code "true"} stays text). */
    record Scalar(String text, boolean quoted, Pos pos) implements Node {}

    record Seq(List<Node> items, Pos pos) implements Node {}

    /** A map in the template's key order. */
    record MapNode(LinkedHashMap<String, Node> entries, Pos pos) implements Node {

        Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        /** The single key of an intrinsic-shaped map ({@code {Fn::Sub: …}}), if this map has exactly one key. */
        Optional<Map.Entry<String, Node>> single() {
            return entries.size() == 1
                    ? Optional.of(entries.entrySet().iterator().next())
                    : Optional.empty();
        }
    }

    /** A short description for messages: "a list", "a map", "the text \"x\"". */
    static String describe(Node node) {
        if (node instanceof Scalar s) {
            return "\"" + s.text() + "\"";
        }
        return node instanceof Seq ? "a list" : "a map";
    }
}
