package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of an identity pool's {@code RoleMappings}: how the role of a user signing in through one provider (for a
 * user pool {@code cognito-idp.<region>.amazonaws.com/<userPoolId>:<clientId>}) is chosen from their id token.
 *
 * <p>{@code Token}: the role comes from the token's {@code cognito:roles} and {@code cognito:preferred_role} claims
 * (a {@code CustomRoleArn} must be one of {@code cognito:roles}; else the preferred role; else the only role).
 * {@code Rules}: the first rule whose claim matches, in order (a {@code CustomRoleArn} must be the role of a matching
 * rule). When neither decides, {@link #ambiguous()} does: the pool's authenticated role, or deny.
 *
 * @see <a href="https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html">Role-based
 *     access control</a>
 */
record RoleMapping(String provider, Type type, Ambiguous ambiguous, List<Rule> rules) {

    /** Cognito's limit of rules per provider; the model allows more, the service does not. */
    static final int MAX_RULES = 25;

    private static final Pattern CLAIM = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");

    /** A constant with the name AWS gives it on the wire. */
    interface WireName {
        String wire();
    }

    enum Type implements WireName {
        TOKEN("Token"),
        RULES("Rules");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    enum Ambiguous implements WireName {
        AUTHENTICATED_ROLE("AuthenticatedRole"),
        DENY("Deny");

        private final String wire;

        Ambiguous(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    enum MatchType implements WireName {
        EQUALS("Equals"),
        CONTAINS("Contains"),
        STARTS_WITH("StartsWith"),
        NOT_EQUAL("NotEqual");

        private final String wire;

        MatchType(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    /** A rule: the role {@code roleArn} when the token's {@code claim} matches {@code value}. */
    record Rule(String claim, MatchType matchType, String value, String roleArn) {

        /** Whether the rule matches; a {@code NotEqual} rule on a missing claim is not evaluated, so never matches. */
        boolean matches(ObjectNode claims) {
            Optional<String> actual = claimText(claims, claim);
            if (actual.isEmpty()) {
                return false;
            }
            String text = actual.get();
            return switch (matchType) {
                case EQUALS -> text.equals(value);
                case CONTAINS -> text.contains(value);
                case STARTS_WITH -> text.startsWith(value);
                case NOT_EQUAL -> !text.equals(value);
            };
        }
    }

    RoleMapping {
        rules = List.copyOf(rules);
    }

    /**
     * Reads and checks the mapping of {@code provider} as SetIdentityPoolRoles receives it (or as it was stored).
     * Whether {@code provider} is configured on the pool is checked by the caller.
     *
     * @throws dev.gatehouse.protocol.ServiceException {@code InvalidParameterException} for any wrong member
     */
    static RoleMapping read(String provider, JsonNode node) {
        if (provider.isEmpty() || provider.length() > 128) {
            throw IdentityErrors.invalidParameter(
                    "1 validation error detected: Value at 'roleMappings' failed to satisfy "
                            + "constraint: Map keys must have length between 1 and 128");
        }
        if (!(node instanceof ObjectNode object)) {
            throw IdentityErrors.invalidParameter(
                    "1 validation error detected: Value at 'roleMappings' failed to satisfy "
                            + "constraint: Map value must be a RoleMapping structure");
        }
        Input in = Input.of(object);
        Optional<String> type = in.optionalString("Type", 0, Integer.MAX_VALUE);
        if (type.isEmpty()) {
            in.addViolation("Type", "Member must not be null");
        }
        in.checkEnum("Type", type, names(Type.values()));
        Optional<String> ambiguous = in.optionalString("AmbiguousRoleResolution", 0, Integer.MAX_VALUE);
        in.checkEnum("AmbiguousRoleResolution", ambiguous, names(Ambiguous.values()));
        Optional<ObjectNode> configuration = in.optionalObject("RulesConfiguration");
        in.validate();
        Type mappingType = fromWire(Type.values(), type.orElseThrow());
        if (ambiguous.isEmpty()) {
            throw IdentityErrors.invalidParameter("AmbiguousRoleResolution must be specified for role mapping of type "
                    + mappingType.wire() + " for provider " + provider + ".");
        }
        List<Rule> rules = List.of();
        if (mappingType == Type.RULES) {
            rules = rules(
                    provider,
                    configuration.orElseThrow(() -> IdentityErrors.invalidParameter(
                            "RulesConfiguration must be specified for role mapping of type Rules for provider "
                                    + provider + ".")));
        }
        // A Token mapping's RulesConfiguration has no use; it is dropped rather than refused (docs/decisions.md).
        return new RoleMapping(provider, mappingType, fromWire(Ambiguous.values(), ambiguous.get()), rules);
    }

    private static List<Rule> rules(String provider, ObjectNode configuration) {
        Input in = Input.of(configuration);
        if (!configuration.hasNonNull("Rules")) {
            in.addViolation("Rules", "Member must not be null");
        }
        List<ObjectNode> nodes = in.objectList("Rules");
        if (configuration.hasNonNull("Rules") && nodes.isEmpty()) {
            in.addViolation("Rules", "Member must have length greater than or equal to 1");
        }
        in.validate();
        if (nodes.size() > MAX_RULES) {
            throw IdentityErrors.invalidParameter("Provider " + provider + " has " + nodes.size()
                    + " role mapping rules; at most " + MAX_RULES + " are allowed.");
        }
        List<Rule> rules = new ArrayList<>();
        for (ObjectNode node : nodes) {
            Input rule = Input.of(node);
            String claim = rule.requiredString("Claim", 1, 64);
            rule.checkPattern("Claim", Optional.of(claim), CLAIM);
            String matchType = rule.requiredString("MatchType", 1, Integer.MAX_VALUE);
            rule.checkEnum("MatchType", Optional.of(matchType).filter(m -> !m.isEmpty()), names(MatchType.values()));
            String value = rule.requiredString("Value", 1, 128);
            String roleArn = rule.requiredString("RoleARN", 20, 2048);
            rule.validate();
            if (!RolePolicies.isRoleArn(roleArn)) {
                throw IdentityErrors.invalidParameter(
                        "RoleARN " + roleArn + " is not a role ARN arn:aws:iam::<account>:role/<name>.");
            }
            rules.add(new Rule(claim, fromWire(MatchType.values(), matchType), value, roleArn));
        }
        return rules;
    }

    /** The mapping as SetIdentityPoolRoles takes it and GetIdentityPoolRoles returns it. */
    ObjectNode toJson() {
        ObjectNode out = AwsJson.mapper()
                .createObjectNode()
                .put("Type", type.wire())
                .put("AmbiguousRoleResolution", ambiguous.wire());
        if (type == Type.RULES) {
            ArrayNode list = out.putObject("RulesConfiguration").putArray("Rules");
            rules.forEach(rule -> list.addObject()
                    .put("Claim", rule.claim())
                    .put("MatchType", rule.matchType().wire())
                    .put("Value", rule.value())
                    .put("RoleARN", rule.roleArn()));
        }
        return out;
    }

    /**
     * The role this mapping gives the holder of {@code claims}; empty when it is ambiguous, and the caller applies
     * {@link #ambiguous()}.
     *
     * @throws dev.gatehouse.protocol.ServiceException {@code NotAuthorizedException} when {@code customRoleArn} is not
     *     a role the mapping offers this user
     */
    Optional<String> choose(ObjectNode claims, @Nullable String customRoleArn) {
        return type == Type.TOKEN ? fromToken(claims, customRoleArn) : fromRules(claims, customRoleArn);
    }

    private Optional<String> fromToken(ObjectNode claims, @Nullable String customRoleArn) {
        List<String> roles = tokenRoles(claims);
        if (customRoleArn != null) {
            if (roles.contains(customRoleArn)) {
                return Optional.of(customRoleArn);
            }
            throw IdentityErrors.customRoleDenied(provider);
        }
        Optional<String> preferred = claimText(claims, "cognito:preferred_role").filter(role -> !role.isEmpty());
        if (preferred.isPresent()) {
            return preferred;
        }
        return roles.size() == 1 ? Optional.of(roles.get(0)) : Optional.empty();
    }

    private Optional<String> fromRules(ObjectNode claims, @Nullable String customRoleArn) {
        List<Rule> matching =
                rules.stream().filter(rule -> rule.matches(claims)).toList();
        if (customRoleArn != null) {
            // A CustomRoleArn overrides the order of the rules, but must still be the role of one that matches.
            if (matching.stream().anyMatch(rule -> rule.roleArn().equals(customRoleArn))) {
                return Optional.of(customRoleArn);
            }
            throw IdentityErrors.customRoleDenied(provider);
        }
        return matching.stream().findFirst().map(Rule::roleArn);
    }

    /** {@code cognito:roles}: a JSON array in Cognito's id tokens, a comma-separated string in its guide; both read. */
    private static List<String> tokenRoles(ObjectNode claims) {
        JsonNode node = claims.path("cognito:roles");
        List<String> roles = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(role -> roles.add(role.asText().trim()));
        } else if (node.isTextual()) {
            for (String role : node.asText().split(",")) {
                roles.add(role.trim());
            }
        }
        roles.removeIf(String::isEmpty);
        return roles;
    }

    /**
     * A claim as the text rules compare: strings as they are, numbers and booleans as JSON writes them, arrays as their
     * elements joined by {@code ,} (so {@code Contains} finds a group in {@code cognito:groups}); empty when absent.
     */
    static Optional<String> claimText(ObjectNode claims, String name) {
        JsonNode node = claims.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            node.forEach(element -> elements.add(element.isValueNode() ? element.asText() : element.toString()));
            return Optional.of(String.join(",", elements));
        }
        return Optional.of(node.isValueNode() ? node.asText() : node.toString());
    }

    private static List<String> names(WireName[] values) {
        List<String> names = new ArrayList<>();
        for (WireName value : values) {
            names.add(value.wire());
        }
        return names;
    }

    /** The constant named {@code wire}, which the caller has checked is one of {@code values}. */
    private static <T extends WireName> T fromWire(T[] values, String wire) {
        for (T value : values) {
            if (value.wire().equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown value " + wire);
    }
}
