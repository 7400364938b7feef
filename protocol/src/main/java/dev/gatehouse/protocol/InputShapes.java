package dev.gatehouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON types of each operation's input members, derived from the service model by
 * {@code scripts/gen-input-shapes.py}. AWS's deserializer rejects a member of the wrong type with
 * {@code SerializationException} whether or not the operation uses it; checking every present member against this
 * table does the same before an operation runs. Unknown members are ignored, as AWS ignores them.
 *
 * <p>A type is a string ({@code string}, {@code boolean}, {@code integer}, {@code number}, {@code timestamp},
 * {@code blob}, {@code any}) or an object with one key: {@code structure} (members), {@code list} or {@code map}
 * (element type). A type with constraints is wrapped as {@code {"type": <type>, "min": …, "pattern": …}}; see
 * {@link #violations}.
 */
public final class InputShapes {

    /** Deeper input than this is refused outright; no model shape nests this far. */
    private static final int MAX_DEPTH = 32;

    private final JsonNode table;

    private InputShapes(JsonNode table) {
        this.table = table;
    }

    /** Reads a table written by {@code gen-input-shapes.py}; fails fast on a missing or broken resource. */
    public static InputShapes load(URL resource) {
        Objects.requireNonNull(resource, "resource cannot be null");
        try (InputStream in = resource.openStream()) {
            JsonNode table = AwsJson.mapper().readTree(in);
            if (table == null || !table.isObject()) {
                throw new IllegalArgumentException("input shapes must be a JSON object: " + resource);
            }
            return new InputShapes(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input shapes " + resource, e);
        }
    }

    /** Throws {@code SerializationException} naming the first member whose JSON type does not match the model. */
    public void check(String operation, JsonNode input) {
        JsonNode type = table.get(operation);
        if (type != null) {
            check(type, input, "", 0);
        }
    }

    private static void check(JsonNode wrapped, JsonNode value, String path, int depth) {
        JsonNode type = ModelConstraints.bare(wrapped);
        if (value.isNull()) {
            return; // null members are treated as absent
        }
        if (depth > MAX_DEPTH) {
            throw mismatch(path, "a shallower value");
        }
        if (type.isTextual()) {
            checkScalar(type.asText(), value, path);
            return;
        }
        Map.Entry<String, JsonNode> kind = type.fields().next();
        switch (kind.getKey()) {
            case "structure" -> {
                if (!value.isObject()) {
                    throw mismatch(path, "a structure");
                }
                var fields = value.fields();
                while (fields.hasNext()) {
                    var field = fields.next();
                    JsonNode memberType = kind.getValue().get(field.getKey());
                    if (memberType != null) {
                        check(memberType, field.getValue(), join(path, field.getKey()), depth + 1);
                    }
                }
            }
            case "list" -> {
                if (!value.isArray()) {
                    throw mismatch(path, "a list");
                }
                for (JsonNode element : value) {
                    check(kind.getValue(), element, path + ".member", depth + 1);
                }
            }
            case "map" -> {
                if (!value.isObject()) {
                    throw mismatch(path, "a map");
                }
                var entries = value.fields();
                while (entries.hasNext()) {
                    var entry = entries.next();
                    check(kind.getValue(), entry.getValue(), join(path, entry.getKey()), depth + 1);
                }
            }
            default -> throw new IllegalStateException("unknown shape kind " + kind.getKey());
        }
    }

    /**
     * The model's constraints the input breaks (missing required members, lengths, value ranges, patterns, enums), in
     * AWS's words: {@code Value 'a b' at 'groupName' failed to satisfy constraint: Member must satisfy regular
     * expression pattern: …}. Values of sensitive members are not echoed. Call {@link #check} first.
     */
    public java.util.List<String> violations(String operation, JsonNode input) {
        JsonNode type = table.get(operation);
        return type == null ? java.util.List.of() : ModelConstraints.violations(type, input);
    }

    /**
     * Throws {@code error} of the joined message when the input breaks a constraint of the model, worded as AWS words
     * it: {@code 1 validation error detected: …} or {@code 2 validation errors detected: …; …}.
     */
    public void validate(String operation, JsonNode input, java.util.function.Function<String, AwsError> error) {
        check(operation, input);
        java.util.List<String> found = violations(operation, input);
        if (!found.isEmpty()) {
            String count = found.size() == 1
                    ? "1 validation error detected: "
                    : found.size() + " validation errors detected: ";
            throw new ServiceException(error.apply(count + String.join("; ", found)));
        }
    }

    private static void checkScalar(String type, JsonNode value, String path) {
        boolean ok =
                switch (type) {
                    case "string", "blob" -> value.isTextual();
                    case "boolean" -> value.isBoolean();
                    case "integer" -> value.isIntegralNumber();
                    case "number", "timestamp" -> value.isNumber();
                    case "any" -> true;
                    default -> throw new IllegalStateException("unknown scalar type " + type);
                };
        if (!ok) {
            throw mismatch(path, "a value of type " + type);
        }
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? Input.memberName(member) : path + "." + member;
    }

    private static ServiceException mismatch(String path, String expected) {
        String where = path.isEmpty() ? "the request body" : "'" + path + "'";
        return new ServiceException(
                CommonErrors.serialization("Unexpected value type for " + where + ": expected " + expected + "."));
    }
}
