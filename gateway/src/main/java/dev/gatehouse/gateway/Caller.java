package dev.gatehouse.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who an authorizer let through, independent of the payload format: each format renders it where API Gateway puts it
 * (2.0: {@code requestContext.authorizer.iam|jwt}; 1.0: {@code requestContext.identity}, {@code authorizer.claims}).
 */
sealed interface Caller permits Caller.Anonymous, Caller.Iam, Caller.Jwt, Caller.CognitoUserPool {

    /** A route with no authorization. */
    record Anonymous() implements Caller {}

    /** A SigV4-signed request whose caller's policies allowed the route. */
    record Iam(String accessKey, IamPrincipal principal) implements Caller {}

    /** An HTTP API JWT authorizer's token: claims as strings; scopes null when the route has none. */
    record Jwt(Map<String, String> claims, Optional<List<String>> scopes) implements Caller {}

    /** A REST API Cognito user-pool authorizer's token: every claim a string, {@code exp}/{@code iat} as dates. */
    record CognitoUserPool(Map<String, String> claims) implements Caller {}
}
