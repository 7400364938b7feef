package dev.gatehouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the fields of a request body and checks them against the service model's constraints.
 *
 * <p>A field of the wrong JSON type fails at once with {@code SerializationException}, as AWS's deserializer does.
 * Constraint failures (missing required member, length, pattern, enum) are collected and reported together by
 * {@link #validate()} as one {@code InvalidParameterException} worded like AWS's:
 * {@code 1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must not be null}.
 * Values are never echoed: many members are sensitive.
 *
 * <pre>{@code
 * Input in = Input.of(body);
 * String clientId = in.requiredString("ClientId", 1, 128);
 * Optional<String> secretHash = in.optionalString("SecretHash", 1, 128);
 * in.validate();
 * }</pre>
 */
public final class Input {

    private final ObjectNode node;
    private final List<String> violations = new ArrayList<>();

    private Input(ObjectNode node) {
        this.node = node;
    }

    public static Input of(ObjectNode node) {
        return new Input(Objects.requireNonNull(node, "node cannot be null"));
    }

    /** A required string whose length is within {@code [min, max]}; returns "" when missing (reported on validate). */
    public String requiredString(String name, int min, int max) {
        return optionalString(name, min, max).orElseGet(() -> {
            violations.add(violation(name, "Member must not be null"));
            return "";
        });
    }

    public Optional<String> optionalString(String name, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string");
        }
        String text = value.asText();
        int length = text.codePointCount(0, text.length());
        if (length < min) {
            violations.add(violation(name, "Member must have length greater than or equal to " + min));
        } else if (length > max) {
            violations.add(violation(name, "Member must have length less than or equal to " + max));
        }
        return Optional.of(text);
    }

    /** Adds a pattern violation when {@code value} is present and does not match. */
    public void checkPattern(String name, Optional<String> value, Pattern pattern) {
        if (value.isPresent()
                && !value.get().isEmpty()
                && !pattern.matcher(value.get()).matches()) {
            violations.add(violation(name, "Member must satisfy regular expression pattern: " + pattern.pattern()));
        }
    }

    /** Adds an enum violation when {@code value} is present and not one of {@code allowed}. */
    public void checkEnum(String name, Optional<String> value, List<String> allowed) {
        if (value.isPresent() && !allowed.contains(value.get())) {
            violations.add(violation(name, "Member must satisfy enum value set: " + allowed));
        }
    }

    public Optional<Boolean> optionalBoolean(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    /** An integer within {@code [min, max]}. */
    public Optional<Long> optionalLong(String name, long min, long max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer");
        }
        long number = value.longValue();
        if (number < min) {
            violations.add(violation(name, "Member must have value greater than or equal to " + min));
        } else if (number > max) {
            violations.add(violation(name, "Member must have value less than or equal to " + max));
        }
        return Optional.of(number);
    }

    /** A JSON object of string values; empty when missing. */
    public Map<String, String> stringMap(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw wrongType(name, "a map");
        }
        Map<String, String> result = new LinkedHashMap<>();
        var fields = value.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode entry = field.getValue();
            if (entry.isNull()) {
                continue;
            }
            if (!entry.isTextual()) {
                throw wrongType(name + "." + field.getKey(), "a string");
            }
            result.put(field.getKey(), entry.asText());
        }
        return Collections.unmodifiableMap(result);
    }

    /** A JSON array of strings; empty when missing. */
    public List<String> stringList(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrongType(name, "a list");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw wrongType(name, "a list of strings");
            }
            result.add(element.asText());
        }
        return List.copyOf(result);
    }

    /** A JSON array of objects; empty when missing. */
    public List<ObjectNode> objectList(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrongType(name, "a list");
        }
        List<ObjectNode> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isObject()) {
                throw wrongType(name, "a list of structures");
            }
            result.add((ObjectNode) element);
        }
        return List.copyOf(result);
    }

    /** A nested JSON object. */
    public Optional<ObjectNode> optionalObject(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(name, "a structure");
        }
        return Optional.of((ObjectNode) value);
    }

    /** Records a violation found by the caller, such as a cross-field rule, in AWS's wording. */
    public void addViolation(String name, String constraint) {
        violations.add(violation(name, constraint));
    }

    /** Throws one {@code InvalidParameterException} listing every violation found so far. */
    public void validate() {
        if (violations.isEmpty()) {
            return;
        }
        String count = violations.size() == 1
                ? "1 validation error detected: "
                : violations.size() + " validation errors detected: ";
        throw new ServiceException(CommonErrors.invalidParameter(count + String.join("; ", violations)));
    }

    private static String violation(String name, String constraint) {
        return "Value at '" + memberName(name) + "' failed to satisfy constraint: " + constraint;
    }

    /** AWS names members in messages with a lower-case first letter: {@code ClientId} is {@code clientId}. */
    static String memberName(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static ServiceException wrongType(String name, String expected) {
        return new ServiceException(CommonErrors.serialization(
                "Unexpected value type for '" + memberName(name) + "': expected " + expected + "."));
    }
}
