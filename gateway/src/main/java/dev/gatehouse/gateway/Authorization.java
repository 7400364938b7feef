package dev.gatehouse.gateway;

import java.util.List;
import java.util.Objects;

/**
 * How a route authorizes callers: {@link #none()}, {@link #awsIam()}, {@link #jwt(JwtAuthorizer, String...)} (HTTP APIs)
 * or {@link #cognitoUserPools(CognitoAuthorizer, String...)} (REST APIs).
 */
public sealed interface Authorization extends RouteOption
        permits Authorization.None, Authorization.Iam, Authorization.Jwt, Authorization.CognitoUserPools {

    /** Public route. */
    static Authorization none() {
        return None.INSTANCE;
    }

    /** SigV4-signed requests whose caller's policies allow {@code execute-api:Invoke} on the route. */
    static Authorization awsIam() {
        return Iam.INSTANCE;
    }

    /** A JWT from {@code authorizer}'s issuer; when scopes are given the token must carry at least one of them. */
    static Authorization jwt(JwtAuthorizer authorizer, String... scopes) {
        return new Jwt(authorizer, List.of(scopes));
    }

    /**
     * A REST API's {@code COGNITO_USER_POOLS} authorizer; with scopes ({@code AuthorizationScopes}) the token must be an
     * access token carrying one of them, without them an id token.
     */
    static Authorization cognitoUserPools(CognitoAuthorizer authorizer, String... scopes) {
        return new CognitoUserPools(authorizer, List.of(scopes));
    }

    /** The name used in access logs ({@code NONE}, {@code AWS_IAM}, {@code JWT}). */
    String type();

    /** No authorization. */
    final class None implements Authorization {
        static final None INSTANCE = new None();

        private None() {}

        @Override
        public String type() {
            return "NONE";
        }
    }

    /** {@code AWS_IAM}. */
    final class Iam implements Authorization {
        static final Iam INSTANCE = new Iam();

        private Iam() {}

        @Override
        public String type() {
            return "AWS_IAM";
        }
    }

    /**
     * {@code JWT} with a route's {@code AuthorizationScopes}.
     *
     * @param authorizer the issuer, audiences and keys
     * @param scopes the route's scopes; empty when the route requires none
     */
    record Jwt(JwtAuthorizer authorizer, List<String> scopes) implements Authorization {
        public Jwt {
            Objects.requireNonNull(authorizer, "authorizer cannot be null");
            scopes = List.copyOf(scopes);
        }

        @Override
        public String type() {
            return "JWT";
        }
    }

    /** {@code COGNITO_USER_POOLS} with a method's {@code AuthorizationScopes}. */
    record CognitoUserPools(CognitoAuthorizer authorizer, List<String> scopes) implements Authorization {
        public CognitoUserPools {
            Objects.requireNonNull(authorizer, "authorizer cannot be null");
            scopes = List.copyOf(scopes);
        }

        @Override
        public String type() {
            return "COGNITO_USER_POOLS";
        }
    }
}
