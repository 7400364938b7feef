package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code RoleMappings} of an {@code AWS::Cognito::IdentityPoolRoleAttachment}: a map from a name to a mapping
 * whose {@code IdentityProvider} (or, without one, the name itself) is the provider SetIdentityPoolRoles keys it by.
 * What the template alone can tell is checked here, with the line; what needs the applied stack (the provider is one
 * the identity pool trusts, role ARNs, Cognito's limits) is checked by the identity pool when the stack is applied.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-identitypoolroleattachment-rolemapping.html">RoleMapping</a>
 */
final class RoleMappingsReader {

    private static final List<String> TYPES = List.of("Token", "Rules");
    private static final List<String> AMBIGUOUS = List.of("AuthenticatedRole", "Deny");
    private static final List<String> MATCH_TYPES = List.of("Equals", "Contains", "StartsWith", "NotEqual");

    private RoleMappingsReader() {}

    static List<Resource.RoleMapping> read(Props mappings) {
        List<Resource.RoleMapping> out = new ArrayList<>();
        for (String key : List.copyOf(mappings.keys())) {
            out.add(mapping(key, mappings.map(key).orElseThrow()));
        }
        mappings.done();
        return out;
    }

    private static Resource.RoleMapping mapping(String key, Props mapping) {
        Value.Text provider = mapping.scalar("IdentityProvider").orElse(Value.Text.of(key));
        String type = oneOf(mapping, "Type", TYPES).orElseThrow(() -> mapping.error(null, "property Type is required"));
        String ambiguous = oneOf(mapping, "AmbiguousRoleResolution", AMBIGUOUS)
                .orElseThrow(() -> mapping.error(
                        null, "property AmbiguousRoleResolution is required (Cognito requires it for every mapping)"));
        Optional<Props> configuration = mapping.map("RulesConfiguration");
        List<Resource.MappingRule> rules = List.of();
        if ("Rules".equals(type)) {
            rules = rules(configuration.orElseThrow(
                    () -> mapping.error(null, "property RulesConfiguration is required for a mapping of type Rules")));
        } else if (configuration.isPresent()) {
            // Cognito keeps no rules for a Token mapping; they are checked, then dropped as Cognito drops them.
            rules(configuration.get());
        }
        mapping.done();
        return new Resource.RoleMapping(key, provider, type, Optional.of(ambiguous), rules);
    }

    private static List<Resource.MappingRule> rules(Props configuration) {
        Node node =
                configuration.node("Rules").orElseThrow(() -> configuration.error(null, "property Rules is required"));
        if (!(node instanceof Node.Seq seq) || seq.items().isEmpty()) {
            throw configuration.error("Rules", "must be a list of at least one rule");
        }
        configuration.done();
        List<Resource.MappingRule> rules = new ArrayList<>();
        for (Node item : seq.items()) {
            Props rule = Props.of(
                    Optional.of(item),
                    item,
                    configuration.resolver(),
                    configuration.where().property("Rules"));
            rules.add(new Resource.MappingRule(
                    rule.requiredScalar("Claim"),
                    oneOf(rule, "MatchType", MATCH_TYPES)
                            .orElseThrow(() -> rule.error(null, "property MatchType is required")),
                    rule.requiredScalar("Value"),
                    rule.requiredScalar("RoleARN")));
            rule.done();
        }
        return rules;
    }

    /** A literal text that must be one of {@code allowed}, as the service's enumeration. */
    private static Optional<String> oneOf(Props props, String key, List<String> allowed) {
        Optional<String> text = props.text(key);
        if (text.isPresent() && !allowed.contains(text.get())) {
            throw props.error(key, "must be one of " + String.join(", ", allowed) + ", not \"" + text.get() + "\"");
        }
        return text;
    }
}
