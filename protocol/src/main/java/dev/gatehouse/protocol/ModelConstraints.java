package dev.gatehouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a request against the constraints of the model that {@code gen-input-shapes.py} kept: required members,
 * {@code min}/{@code max} (code-point length of strings, size of lists and maps, value of numbers), {@code pattern}
 * (the whole value must match) and {@code enum}. Member paths are named as AWS names them: {@code groupName},
 * {@code userAttributes.1.member.name}; a list of scalars is reported once, as a whole.
 */
final class ModelConstraints {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    /** A pattern Java cannot compile is not checked (none of the Cognito models has one). */
    private static final Pattern ANYTHING = Pattern.compile("(?s).*");

    private ModelConstraints() {}

    /** The type inside a constraint wrapper, or the type itself. */
    static JsonNode bare(JsonNode type) {
        return type.has("type") ? type.get("type") : type;
    }

    static List<String> violations(JsonNode type, JsonNode input) {
        List<String> out = new ArrayList<>();
        members(type, input, "", out);
        return out;
    }

    private static void members(JsonNode type, JsonNode value, String path, List<String> out) {
        JsonNode structure = bare(type).path("structure");
        for (JsonNode required : type.path("required")) {
            JsonNode member = value.get(required.asText());
            if (member == null || member.isNull()) {
                out.add("Value null at '" + join(path, required.asText())
                        + "' failed to satisfy constraint: Member must not be null");
            }
        }
        var fields = structure.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode member = value.get(field.getKey());
            if (member != null && !member.isNull()) {
                member(field.getValue(), member, join(path, field.getKey()), out);
            }
        }
    }

    private static void member(JsonNode type, JsonNode value, String path, List<String> out) {
        JsonNode bare = bare(type);
        own(type, value, path, out);
        if (bare.has("structure") && value.isObject()) {
            members(type, value, path, out);
        } else if (bare.has("list") && value.isArray()) {
            JsonNode element = bare.get("list");
            if (bare(element).isTextual()) {
                List<String> inner = new ArrayList<>();
                value.forEach(v -> own(element, v, path, inner));
                if (!inner.isEmpty()) {
                    out.add(describe(type, value, path) + "Member must satisfy constraint: ["
                            + inner.get(0).substring(inner.get(0).indexOf("constraint: ") + 12) + "]");
                }
            } else {
                for (int i = 0; i < value.size(); i++) {
                    member(element, value.get(i), path + "." + (i + 1) + ".member", out);
                }
            }
        } else if (bare.has("map") && value.isObject()) {
            var entries = value.fields();
            while (entries.hasNext()) {
                var entry = entries.next();
                member(bare.get("map"), entry.getValue(), path + "." + entry.getKey(), out);
            }
        }
    }

    private static void own(JsonNode type, JsonNode value, String path, List<String> out) {
        if (!type.has("type")) {
            return;
        }
        String problem = problem(type, value);
        if (!problem.isEmpty()) {
            out.add(describe(type, value, path) + problem);
        }
    }

    private static String problem(JsonNode type, JsonNode value) {
        long size = value.isTextual()
                ? value.asText().codePointCount(0, value.asText().length())
                : value.isContainerNode() ? value.size() : 0;
        boolean number = value.isNumber();
        if (type.has("min")
                && (number ? value.asDouble() : size) < type.get("min").asDouble()) {
            return "Member must have " + (number ? "value" : "length") + " greater than or equal to "
                    + type.get("min").asLong();
        }
        if (type.has("max")
                && (number ? value.asDouble() : size) > type.get("max").asDouble()) {
            return "Member must have " + (number ? "value" : "length") + " less than or equal to "
                    + type.get("max").asLong();
        }
        if (type.has("pattern")
                && value.isTextual()
                && !value.asText().isEmpty()
                && !pattern(type.get("pattern").asText())
                        .matcher(value.asText())
                        .matches()) {
            return "Member must satisfy regular expression pattern: "
                    + type.get("pattern").asText();
        }
        if (type.has("enum") && value.isTextual() && !contains(type.get("enum"), value.asText())) {
            List<String> allowed = new ArrayList<>();
            type.get("enum").forEach(e -> allowed.add(e.asText()));
            return "Member must satisfy enum value set: " + allowed;
        }
        return "";
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode type, JsonNode value, String path) {
        if (type.path("sensitive").asBoolean(false)) {
            return "Value at '" + path + "' failed to satisfy constraint: ";
        }
        String shown = value.isTextual() ? value.asText() : value.isArray() ? list(value) : value.toString();
        return "Value '" + shown + "' at '" + path + "' failed to satisfy constraint: ";
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(v -> items.add(v.isTextual() ? v.asText() : v.toString()));
        return items.toString();
    }

    private static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                return ANYTHING;
            }
        });
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? Input.memberName(member) : path + "." + Input.memberName(member);
    }
}
