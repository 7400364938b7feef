package dev.gatehouse.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Cognito, IAM, S3 and table resources: properties checked and kept in the names Gatehouse's APIs take. */
final class CognitoReader {

    /** UserPool properties passed to CreateUserPool ({@code UserPoolName} becomes {@code PoolName}). */
    private static final List<String> POOL_PROPERTIES = List.of(
            "UsernameAttributes",
            "AliasAttributes",
            "AutoVerifiedAttributes",
            "Policies",
            "Schema",
            "AccountRecoverySetting",
            "UsernameConfiguration",
            "AdminCreateUserConfig",
            "VerificationMessageTemplate",
            "DeletionProtection",
            "UserPoolTags");

    private static final List<String> CLIENT_PROPERTIES = List.of(
            "ClientName",
            "ExplicitAuthFlows",
            "GenerateSecret",
            "PreventUserExistenceErrors",
            "RefreshTokenValidity",
            "AccessTokenValidity",
            "IdTokenValidity",
            "TokenValidityUnits",
            "ReadAttributes",
            "WriteAttributes",
            "EnableTokenRevocation",
            "AuthSessionValidity");
    /** The only managed policy accepted: it grants CloudWatch Logs, which Gatehouse does not serve. */
    static final String BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    private CognitoReader() {}

    static Resource.UserPool userPool(String id, Props props, String stackName) {
        LinkedHashMap<String, Value> request = new LinkedHashMap<>();
        request.put(
                "PoolName",
                props.scalar("UserPoolName").map(Value.class::cast).orElse(Value.Text.of(stackName + "-" + id)));
        for (String key : POOL_PROPERTIES) {
            props.value(key).ifPresent(value -> request.put(key, value));
        }
        props.map("LambdaConfig").ifPresent(config -> request.put("LambdaConfig", TriggerReader.lambdaConfig(config)));
        props.done();
        return new Resource.UserPool(id, new Value.MapValue(request));
    }

    static Resource.UserPoolClient client(String id, Props props) {
        Value.Text pool = props.requiredScalar("UserPoolId");
        LinkedHashMap<String, Value> request = new LinkedHashMap<>();
        request.put(
                "ClientName", props.scalar("ClientName").map(Value.class::cast).orElse(Value.Text.of(id)));
        for (String key : CLIENT_PROPERTIES) {
            if (!key.equals("ClientName")) {
                props.value(key).ifPresent(value -> request.put(key, value));
            }
        }
        props.done();
        return new Resource.UserPoolClient(id, pool, new Value.MapValue(request));
    }

    static Resource.IdentityPool identityPool(String id, Props props) {
        Optional<String> name = props.text("IdentityPoolName");
        boolean unauthenticated = props.bool("AllowUnauthenticatedIdentities", false);
        boolean classic = props.bool("AllowClassicFlow", false);
        List<Resource.CognitoProvider> providers = new ArrayList<>();
        props.node("CognitoIdentityProviders").ifPresent(node -> {
            if (!(node instanceof Node.Seq seq)) {
                throw props.error("CognitoIdentityProviders", "must be a list");
            }
            for (Node item : seq.items()) {
                Props provider = Props.of(
                        Optional.of(item), item, props.resolver(), props.where().property("CognitoIdentityProviders"));
                providers.add(new Resource.CognitoProvider(
                        provider.requiredScalar("ProviderName"),
                        provider.requiredScalar("ClientId"),
                        provider.bool("ServerSideTokenCheck", false)));
                provider.done();
            }
        });
        props.done();
        return new Resource.IdentityPool(id, name, unauthenticated, classic, providers);
    }

    static Resource.IdentityPoolRoleAttachment roleAttachment(String id, Props props) {
        Value.Text pool = props.requiredScalar("IdentityPoolId");
        Map<String, Value.Text> roles = new LinkedHashMap<>();
        Props rolesProps = props.map("Roles").orElseThrow(() -> props.error(null, "property Roles is required"));
        for (String kind : List.of("authenticated", "unauthenticated")) {
            rolesProps.scalar(kind).ifPresent(arn -> roles.put(kind, arn));
        }
        rolesProps.done();
        props.done();
        return new Resource.IdentityPoolRoleAttachment(id, pool, roles);
    }

    static Resource.Role role(String id, Props props) {
        Optional<Value.Text> name = props.scalar("RoleName");
        Value trust = props.value("AssumeRolePolicyDocument")
                .orElseThrow(() -> props.error(null, "property AssumeRolePolicyDocument is required"));
        List<Resource.InlinePolicy> policies = new ArrayList<>();
        props.node("Policies").ifPresent(node -> {
            if (!(node instanceof Node.Seq seq)) {
                throw props.error("Policies", "must be a list");
            }
            for (Node item : seq.items()) {
                Props policy = Props.of(
                        Optional.of(item), item, props.resolver(), props.where().property("Policies"));
                policies.add(new Resource.InlinePolicy(
                        policy.requiredText("PolicyName"),
                        policy.value("PolicyDocument")
                                .orElseThrow(() -> policy.error(null, "PolicyDocument is required"))));
                policy.done();
            }
        });
        for (String arn : props.texts("ManagedPolicyArns")) {
            if (!BASIC_EXECUTION.equals(arn)) {
                throw props.error(
                        "ManagedPolicyArns",
                        "managed policy " + arn + " is not supported: write its statements"
                                + " as an inline policy (only AWSLambdaBasicExecutionRole, which grants logs only, is accepted)");
            }
        }
        props.accept("Description", "Path", "Tags", "MaxSessionDuration");
        props.done();
        return new Resource.Role(id, name, trust, policies);
    }

    static Resource.Bucket bucket(String id, Props props) {
        Optional<Value.Text> name = props.scalar("BucketName");
        props.accept("Tags");
        props.done();
        return new Resource.Bucket(id, name);
    }

    static Resource.Table table(String id, String type, Node.MapNode properties, Resolver resolver) {
        Value value = resolver.resolve(properties, Where.resource(id).property("Properties"))
                .orElseThrow();
        return new Resource.Table(id, type, (Value.MapValue) value);
    }

    static Resource.GatewayResponseResource gatewayResponse(String id, Props props) {
        Value.Text api = props.requiredScalar("RestApiId");
        String apiId =
                api.parts().size() == 1 && api.parts().get(0) instanceof Value.Part.Ref ref ? ref.logicalId() : "";
        if (apiId.isEmpty()) {
            throw props.error("RestApiId", "must be a Ref of a REST API of this template");
        }
        String type = props.requiredText("ResponseType");
        Optional<Integer> status = props.integer("StatusCode");
        Map<String, String> headers = new LinkedHashMap<>();
        props.map("ResponseParameters").ifPresent(parameters -> {
            for (String key : parameters.keys()) {
                String header = key.startsWith("gatewayresponse.header.")
                        ? key.substring("gatewayresponse.header.".length())
                        : "";
                if (header.isEmpty()) {
                    throw parameters.error(key, "only gatewayresponse.header.* parameters are supported");
                }
                headers.put(header, SamReader.quoted(parameters.requiredText(key), parameters, key));
            }
            parameters.done();
        });
        Map<String, String> templates = templates(props);
        props.done();
        return new Resource.GatewayResponseResource(
                id, apiId, new Resource.GatewayResponse(type, status, headers, templates));
    }

    static Map<String, String> templates(Props props) {
        Map<String, String> templates = new LinkedHashMap<>();
        props.map("ResponseTemplates").ifPresent(t -> {
            for (String type : t.keys()) {
                templates.put(type, t.requiredText(type));
            }
            t.done();
        });
        return templates;
    }
}
