package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cognito's rules for schema attributes, shared by CreateUserPool's {@code Schema} and AddCustomAttributes, with
 * Cognito's messages (cognito-more.md 3.2): a name of a standard attribute changes that attribute (only
 * {@code Required}, {@code Mutable} and string bounds); any other name is a custom attribute, stored as
 * {@code custom:<name>}, or {@code dev:custom:<name>} when developer-only, holding only the constraints of its type.
 */
final class SchemaRules {

    static final List<String> TYPES = List.of("Boolean", "Number", "String", "DateTime");
    /** Cognito's quota of custom attributes per pool. */
    static final int MAX_CUSTOM = 50;

    private static final int MAX_STRING = 2048;

    private SchemaRules() {}

    /** Applies {@code given} to the standard attribute {@code standard} (a copy of it is changed in place). */
    static void overrideStandard(ObjectNode standard, ObjectNode given) {
        String name = standard.path("Name").asText();
        JsonNode type = given.get("AttributeDataType");
        if (type != null
                        && !type.asText()
                                .equals(standard.path("AttributeDataType").asText())
                || given.path("DeveloperOnlyAttribute").asBoolean(false)) {
            throw UserPoolErrors.invalidParameter(
                    "You can not change AttributeDataType or set developerOnlyAttribute for "
                            + "standard schema attribute " + name);
        }
        if ("sub".equals(name)) {
            return;
        }
        if (given.has("Required")) {
            standard.put("Required", given.path("Required").asBoolean());
        }
        if (given.has("Mutable")) {
            standard.put("Mutable", given.path("Mutable").asBoolean());
        }
        if (given.has("StringAttributeConstraints") && standard.has("StringAttributeConstraints")) {
            ObjectNode bounds = stringBounds(name, given.path("StringAttributeConstraints"));
            ObjectNode target = (ObjectNode) standard.get("StringAttributeConstraints");
            bounds.fields().forEachRemaining(f -> target.set(f.getKey(), f.getValue()));
        }
    }

    /** The stored form of a new custom attribute; refuses what Cognito refuses. */
    static ObjectNode custom(ObjectNode given) {
        String name = given.path("Name").asText("");
        JsonNode type = given.get("AttributeDataType");
        if (type == null || type.isNull()) {
            throw UserPoolErrors.invalidParameter(
                    "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
        }
        if (!TYPES.contains(type.asText())) {
            throw UserPoolErrors.invalidParameter(
                    "Validation error detected: Value '" + type.asText()
                            + "' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]");
        }
        if (given.path("Required").asBoolean(false)) {
            throw UserPoolErrors.invalidParameter("Required custom attributes are not supported currently.");
        }
        boolean developer = given.path("DeveloperOnlyAttribute").asBoolean(false);
        String fullName = (developer ? "dev:custom:" : "custom:") + name;
        ObjectNode out = AwsJson.mapper().createObjectNode();
        out.put("Name", fullName);
        out.put("AttributeDataType", type.asText());
        out.put("DeveloperOnlyAttribute", developer);
        out.put("Mutable", given.path("Mutable").asBoolean(true));
        out.put("Required", false);
        if ("String".equals(type.asText())) {
            out.set("StringAttributeConstraints", stringBounds(fullName, given.path("StringAttributeConstraints")));
        } else if ("Number".equals(type.asText()) && given.has("NumberAttributeConstraints")) {
            out.set("NumberAttributeConstraints", numberBounds(fullName, given.path("NumberAttributeConstraints")));
        }
        return out;
    }

    /** Refuses a custom attribute whose name (with or without {@code dev:}) the schema already has. */
    static void checkNew(Map<String, ObjectNode> schema, ObjectNode custom) {
        String full = custom.path("Name").asText();
        String bare = full.startsWith("dev:") ? full.substring(4) : full;
        for (String existing : List.of(bare, "dev:" + bare)) {
            if (schema.containsKey(existing)) {
                throw UserPoolErrors.invalidParameter(bare + ": Existing attribute already has name " + existing + ".");
            }
        }
    }

    private static ObjectNode stringBounds(String name, JsonNode given) {
        ObjectNode out = AwsJson.mapper().createObjectNode();
        Optional<Long> min = bound(given, "MinLength", "StringAttributeConstraints", name);
        Optional<Long> max = bound(given, "MaxLength", "StringAttributeConstraints", name);
        if (min.orElse(0L) > MAX_STRING || max.orElse(0L) > MAX_STRING) {
            throw UserPoolErrors.invalidParameter(
                    "user." + name + ": String attributes cannot have a length of more than " + MAX_STRING);
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            throw UserPoolErrors.invalidParameter("user." + name + ": Max length cannot be less than min length.");
        }
        min.ifPresent(m -> out.put("MinLength", Long.toString(m)));
        max.ifPresent(m -> out.put("MaxLength", Long.toString(m)));
        return out;
    }

    private static ObjectNode numberBounds(String name, JsonNode given) {
        ObjectNode out = AwsJson.mapper().createObjectNode();
        Optional<Long> min = bound(given, "MinValue", "NumberAttributeConstraints", name);
        Optional<Long> max = bound(given, "MaxValue", "NumberAttributeConstraints", name);
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            throw UserPoolErrors.invalidParameter("user." + name + ": Max value cannot be less than min value.");
        }
        min.ifPresent(m -> out.put("MinValue", Long.toString(m)));
        max.ifPresent(m -> out.put("MaxValue", Long.toString(m)));
        return out;
    }

    /** A bound is a string holding a non-negative integer. */
    private static Optional<Long> bound(JsonNode constraints, String member, String kind, String name) {
        JsonNode value = constraints.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            long number = Long.parseLong(value.asText());
            if (number >= 0) {
                return Optional.of(number);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw UserPoolErrors.invalidParameter("Invalid " + kind + " for schema attribute " + name);
    }
}
