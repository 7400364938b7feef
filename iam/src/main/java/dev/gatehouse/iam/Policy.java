package dev.gatehouse.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed, immutable identity-based IAM policy (the policy of a role or user, as opposed to a resource or trust policy).
 *
 * <p>{@link #parse} accepts the IAM JSON grammar: {@code Version} ({@code 2012-10-17}, or {@code 2008-10-17} where policy
 * variables are literal text; absent means 2008-10-17, as in IAM), optional {@code Id}, and {@code Statement} as an
 * object or a non-empty array. Each statement has an optional unique {@code Sid}, {@code Effect} {@code Allow} or
 * {@code Deny}, exactly one of {@code Action}/{@code NotAction} and of {@code Resource}/{@code NotResource} (a string or
 * a non-empty array of strings), and an optional {@code Condition}. Unknown elements, duplicate JSON keys,
 * {@code Principal}/{@code NotPrincipal} (which belong to resource and trust policies) and unknown condition operators
 * are rejected: a policy Gatehouse can't evaluate exactly must fail at load time, not be half-applied.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html">IAM JSON policy grammar</a>
 */
public final class Policy {

    /** The version in which policy variables are honoured. */
    public static final String VERSION_2012_10_17 = "2012-10-17";
    /** The legacy version: {@code ${…}} is literal text. */
    public static final String VERSION_2008_10_17 = "2008-10-17";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

    private final String version;
    private final List<Statement> statements;

    private Policy(String version, List<Statement> statements) {
        this.version = version;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a policy document.
     *
     * @throws PolicyException when the document is not valid JSON or not a policy Gatehouse can evaluate exactly
     */
    public static Policy parse(String json) {
        Objects.requireNonNull(json, "json cannot be null");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // The parser's location is enough; its message may quote the document.
            throw new PolicyException(
                    "Policy is not valid JSON (line " + e.getLocation().getLineNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("Policy must be a JSON object");
        }
        rejectUnknown(root, TOP_LEVEL, "Policy");
        String version = VERSION_2008_10_17;
        if (root.has("Version")) {
            version = text(root.get("Version"), "Version");
            if (!version.equals(VERSION_2012_10_17) && !version.equals(VERSION_2008_10_17)) {
                throw new PolicyException("Version must be 2012-10-17 or 2008-10-17, not '" + version + "'");
            }
        }
        if (root.has("Id")) {
            text(root.get("Id"), "Id");
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new PolicyException("Policy has no Statement");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(nodes::add);
        } else {
            nodes.add(statementNode);
        }
        if (nodes.isEmpty()) {
            throw new PolicyException("Statement cannot be empty");
        }
        boolean variables = version.equals(VERSION_2012_10_17);
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Statement statement = statement(nodes.get(i), "Statement[" + i + "]", variables);
            if (statement.sid() != null && !sids.add(statement.sid())) {
                throw new PolicyException("Statement[" + i + "]: duplicate Sid '" + statement.sid() + "'");
            }
            statements.add(statement);
        }
        return new Policy(version, statements);
    }

    /** {@code 2012-10-17} or {@code 2008-10-17}. */
    public String version() {
        return version;
    }

    List<Statement> statements() {
        return statements;
    }

    private static Statement statement(JsonNode node, String where, boolean variables) {
        if (!node.isObject()) {
            throw new PolicyException(where + " must be an object");
        }
        if (node.has("Principal") || node.has("NotPrincipal")) {
            throw new PolicyException(
                    where + ": Principal and NotPrincipal are not allowed in an identity-based policy "
                            + "(they belong to resource and trust policies)");
        }
        rejectUnknown(node, STATEMENT, where);
        String sid = node.has("Sid") ? text(node.get("Sid"), where + ".Sid") : null;
        String effect = node.has("Effect") ? text(node.get("Effect"), where + ".Effect") : "";
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new PolicyException(where + ": Effect must be Allow or Deny");
        }
        boolean notAction = exactlyOne(node, "Action", "NotAction", where);
        List<Glob> actions = new ArrayList<>();
        for (String action :
                strings(node.get(notAction ? "NotAction" : "Action"), where + (notAction ? ".NotAction" : ".Action"))) {
            if (!action.equals("*") && action.indexOf(':') <= 0) {
                throw new PolicyException(where + ": action '" + action + "' must be '*' or service:action");
            }
            actions.add(Glob.of(action));
        }
        boolean notResource = exactlyOne(node, "Resource", "NotResource", where);
        String resourceWhere = where + (notResource ? ".NotResource" : ".Resource");
        List<PolicyString> resources = new ArrayList<>();
        for (String resource : strings(node.get(notResource ? "NotResource" : "Resource"), resourceWhere)) {
            resources.add(PolicyString.parse(resource, variables, true, resourceWhere));
        }
        List<Condition> conditions =
                node.has("Condition") ? conditions(node.get("Condition"), where, variables) : List.of();
        return new Statement(sid, effect.equals("Allow"), actions, notAction, resources, notResource, conditions);
    }

    private static List<Condition> conditions(JsonNode block, String where, boolean variables) {
        if (!block.isObject()) {
            throw new PolicyException(where + ".Condition must be an object");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> ops = block.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw new PolicyException(where + ".Condition." + op.getKey() + " must be a non-empty object of keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                List<String> values =
                        conditionValues(key.getValue(), where + ".Condition." + op.getKey() + "." + key.getKey());
                conditions.add(Condition.parse(op.getKey(), key.getKey(), values, variables));
            }
        }
        return conditions;
    }

    /** Condition values may be JSON strings, numbers or booleans ({@code "Bool": {"aws:SecureTransport": false}}). */
    private static List<String> conditionValues(JsonNode node, String where) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw new PolicyException(where + " cannot be an empty array");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() && !item.isNumber() && !item.isBoolean()) {
                throw new PolicyException(where + " values must be strings, numbers or booleans");
            }
            values.add(item.asText());
        }
        return values;
    }

    /** True when {@code negative} is the one present. */
    private static boolean exactlyOne(JsonNode node, String positive, String negative, String where) {
        boolean hasPositive = node.has(positive);
        boolean hasNegative = node.has(negative);
        if (hasPositive == hasNegative) {
            throw new PolicyException(where + ": exactly one of " + positive + " and " + negative + " is required");
        }
        return hasNegative;
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new PolicyException(where + " cannot be an empty array");
            }
            node.forEach(item -> values.add(text(item, where)));
        } else {
            values.add(text(node, where));
        }
        return values;
    }

    private static String text(JsonNode node, String where) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new PolicyException(where + " must be a non-empty string");
        }
        return node.asText();
    }

    private static void rejectUnknown(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new PolicyException(where + ": unknown element '" + name + "'");
            }
        }
    }
}
