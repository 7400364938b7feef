package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The service model's member constraints, collected over a request and reported together as DynamoDB does:
 * {@code N validation errors detected: Value '<v>' at '<path>' failed to satisfy constraint: <rule>; ...}.
 */
final class Constraints {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private final List<String> errors = new ArrayList<>();

    /** A table name: required, 3..255 (1..1024 where an ARN is accepted), the name pattern. */
    Constraints tableName(JsonNode input, boolean arnAllowed) {
        JsonNode node = input.get("TableName");
        if (node == null || node.isNull()) {
            add("null", "tableName", "Member must not be null");
            return this;
        }
        String name = node.asText();
        int min = arnAllowed ? 1 : 3;
        int max = arnAllowed && name.startsWith("arn:") ? 1024 : 255;
        if (name.length() < min) {
            add(quote(name), "tableName", "Member must have length greater than or equal to " + min);
        } else if (name.length() > max) {
            add(quote(name), "tableName", "Member must have length less than or equal to " + max);
        } else if (!name.startsWith("arn:") && !NAME.matcher(name).matches()) {
            add(quote(name), "tableName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        return this;
    }

    /** An optional enum member. */
    Constraints oneOf(JsonNode input, String member, String path, List<String> allowed) {
        JsonNode node = input.get(member);
        if (node != null && !node.isNull() && !allowed.contains(node.asText())) {
            add(quote(node.asText()), path, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        }
        return this;
    }

    /** An optional integer member with a lower bound. */
    Constraints atLeast(JsonNode input, String member, String path, long min) {
        JsonNode node = input.get(member);
        if (node != null && !node.isNull() && node.asLong() < min) {
            add(quote(node.asText()), path, "Member must have value greater than or equal to " + min);
        }
        return this;
    }

    /** An optional integer member with an upper bound. */
    Constraints atMost(JsonNode input, String member, String path, long max) {
        JsonNode node = input.get(member);
        if (node != null && !node.isNull() && node.asLong() > max) {
            add(quote(node.asText()), path, "Member must have value less than or equal to " + max);
        }
        return this;
    }

    Constraints add(String renderedValue, String path, String rule) {
        String value = renderedValue.isEmpty() ? "Value" : "Value " + renderedValue;
        errors.add(value + " at '" + path + "' failed to satisfy constraint: " + rule);
        return this;
    }

    static String quote(String value) {
        return "'" + value + "'";
    }

    /** Throws the collected errors, if any. */
    void check() {
        if (errors.isEmpty()) {
            return;
        }
        String count =
                errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
        throw TablesException.validation(count + String.join("; ", errors));
    }
}
