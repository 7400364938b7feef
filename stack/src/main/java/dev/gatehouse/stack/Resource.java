package dev.gatehouse.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One resource of a {@link Stack}, by logical id. Properties that Gatehouse passes on unchanged (a user pool's
 * settings, a policy document) stay {@link Value}s, their references to other resources rendered when applied.
 */
public sealed interface Resource {

    String logicalId();

    /** {@code AWS::Cognito::UserPool}: {@code properties} in CreateUserPool's names (PoolName, not UserPoolName). */
    record UserPool(String logicalId, Value.MapValue properties) implements Resource {}

    /** {@code AWS::Cognito::UserPoolClient}: {@code properties} in CreateUserPoolClient's names. */
    record UserPoolClient(String logicalId, Value.Text userPoolId, Value.MapValue properties) implements Resource {}

    /** A provider of an identity pool: a user pool (its {@code cognito-idp…/<poolId>} name) and an app client. */
    record CognitoProvider(Value.Text providerName, Value.Text clientId, boolean serverSideTokenCheck) {}

    /** {@code AWS::Cognito::IdentityPool}. */
    record IdentityPool(
            String logicalId,
            Optional<String> name,
            boolean allowUnauthenticated,
            boolean allowClassicFlow,
            List<CognitoProvider> providers)
            implements Resource {}

    /** {@code AWS::Cognito::IdentityPoolRoleAttachment}: role ARNs by {@code authenticated}/{@code unauthenticated}. */
    record IdentityPoolRoleAttachment(String logicalId, Value.Text identityPoolId, Map<String, Value.Text> roles)
            implements Resource {}

    /** An inline policy of a role. */
    record InlinePolicy(String name, Value document) {}

    /** {@code AWS::IAM::Role} with inline policies; a generated name when {@code roleName} is empty. */
    record Role(String logicalId, Optional<Value.Text> roleName, Value assumeRolePolicy, List<InlinePolicy> policies)
            implements Resource {}

    /**
     * {@code AWS::Lambda::Permission}: who may invoke a function (such as {@code cognito-idp.amazonaws.com} for a
     * pool's trigger). Checked, not enforced: Gatehouse runs a trigger without it.
     *
     * @param functionName the function's name or ARN, as the template gives it
     */
    record Permission(String logicalId, Value.Text functionName, String principal, Optional<Value.Text> sourceArn)
            implements Resource {}

    /** {@code AWS::S3::Bucket}; a generated name when {@code bucketName} is empty. */
    record Bucket(String logicalId, Optional<Value.Text> bucketName) implements Resource {}

    /** {@code AWS::DynamoDB::Table} or {@code AWS::Serverless::SimpleTable}: read, served by the tables module. */
    record Table(String logicalId, String type, Value.MapValue properties) implements Resource {}

    /**
     * A function ({@code AWS::Serverless::Function} or {@code AWS::Lambda::Function}).
     *
     * @param runtime such as {@code java17}, or {@code builtin} for the in-process handlers shipped with Gatehouse
     * @param codeUri the jar, zip or directory, relative to the template's directory; empty for built-in functions
     * @param role the execution role's ARN (for SAM functions without {@code Role}, the generated
     *     {@code <Function>Role}); empty for built-in functions without one
     * @param timeoutSeconds 3 unless set, as Lambda's
     * @param memoryMb 128 unless set, as Lambda's
     */
    record Function(
            String logicalId,
            Optional<String> functionName,
            String runtime,
            String handler,
            Optional<String> codeUri,
            Map<String, Value.Text> environment,
            int timeoutSeconds,
            int memoryMb,
            Optional<Integer> reservedConcurrency,
            Optional<Value.Text> role)
            implements Resource {}

    /** An HTTP API (payload 2.0 by default) or a REST API (payload 1.0), with its routes. */
    record Api(
            String logicalId,
            ApiKind kind,
            String stageName,
            Optional<Cors> cors,
            Map<String, Authorizer> authorizers,
            RouteAuth defaultAuth,
            List<Route> routes,
            List<GatewayResponse> gatewayResponses)
            implements Resource {}

    /** {@code AWS::ApiGateway::GatewayResponse}, or an entry of a SAM {@code Api}'s {@code GatewayResponses}. */
    record GatewayResponse(
            String responseType,
            Optional<Integer> statusCode,
            Map<String, String> headers,
            Map<String, String> templates) {}

    /** A standalone {@code AWS::ApiGateway::GatewayResponse}: attached to its REST API when the stack is built. */
    record GatewayResponseResource(String logicalId, String restApiId, GatewayResponse response) implements Resource {}

    enum ApiKind {
        HTTP,
        REST
    }

    /** CORS as the API answers preflights and decorates responses. */
    record Cors(
            List<String> allowOrigins,
            List<String> allowMethods,
            List<String> allowHeaders,
            List<String> exposeHeaders,
            Optional<Integer> maxAge,
            boolean allowCredentials) {}

    /** An authorizer an API's routes may name. */
    sealed interface Authorizer {
        String name();

        /** A JWT authorizer (HTTP API): {@code iss} and one of the audiences ({@code aud} or {@code client_id}). */
        record Jwt(String name, Value.Text issuer, List<Value.Text> audience, String identitySource)
                implements Authorizer {}

        /** A Cognito user-pools authorizer (REST API): an id token of one of the pools, by ARN. */
        record CognitoUserPools(String name, List<Value.Text> userPoolArns, String identitySource)
                implements Authorizer {}
    }

    /** How a route is authorized. */
    sealed interface RouteAuth {
        /** Anyone. */
        record None() implements RouteAuth {}

        /** SigV4 and the caller's policy. */
        record AwsIam() implements RouteAuth {}

        /** An authorizer of the API, by name, with the scopes the route requires. */
        record Named(String authorizer, List<String> scopes) implements RouteAuth {}
    }

    /**
     * A route: {@code method} upper case or {@code ANY}, {@code path} with {@code {param}} and {@code {proxy+}}.
     *
     * @param auth the route's own; {@code Optional.empty()} takes the API's default
     */
    record Route(String method, String path, String function, Optional<RouteAuth> auth, String payloadFormat) {}
}
