package dev.gatehouse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Value;
import java.util.function.Function;

/**
 * The SetIdentityPoolRoles request an {@code AWS::Cognito::IdentityPoolRoleAttachment} stands for: its {@code Roles},
 * and its {@code RoleMappings} keyed by identity provider (the template keys them by any name). The identity pool
 * checks it as it checks the API's request.
 */
final class RoleAttachmentRequest {

    private RoleAttachmentRequest() {}

    static ObjectNode of(Resource.IdentityPoolRoleAttachment attachment, Function<Value.Text, String> render) {
        ObjectNode request = AwsJson.mapper().createObjectNode();
        ObjectNode roles = request.putObject("Roles");
        attachment.roles().forEach((kind, arn) -> roles.put(kind, render.apply(arn)));
        if (!attachment.roleMappings().isEmpty()) {
            ObjectNode mappings = request.putObject("RoleMappings");
            for (Resource.RoleMapping mapping : attachment.roleMappings()) {
                String provider = render.apply(mapping.identityProvider());
                if (mappings.has(provider)) {
                    throw new StackException("resource " + attachment.logicalId() + ", property RoleMappings."
                            + mapping.key() + ": a second mapping for identity provider " + provider);
                }
                mappings.set(provider, mapping(mapping, render));
            }
        }
        return request;
    }

    private static ObjectNode mapping(Resource.RoleMapping mapping, Function<Value.Text, String> render) {
        ObjectNode out = AwsJson.mapper().createObjectNode().put("Type", mapping.type());
        mapping.ambiguousRoleResolution().ifPresent(ambiguous -> out.put("AmbiguousRoleResolution", ambiguous));
        if (!mapping.rules().isEmpty()) {
            ArrayNode rules = out.putObject("RulesConfiguration").putArray("Rules");
            mapping.rules().forEach(rule -> rules.addObject()
                    .put("Claim", render.apply(rule.claim()))
                    .put("MatchType", rule.matchType())
                    .put("Value", render.apply(rule.value()))
                    .put("RoleARN", render.apply(rule.roleArn())));
        }
        return out;
    }
}
