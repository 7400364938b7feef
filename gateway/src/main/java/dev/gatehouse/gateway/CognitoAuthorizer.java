package dev.gatehouse.gateway;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A REST API's {@code COGNITO_USER_POOLS} authorizer: the token in the identity source header (bare, or after
 * {@code Bearer}) must be RS256-signed by the pool, unexpired, issued by it for any of its app clients, and an id token
 * when the method sets no OAuth scopes, an access token carrying one of them when it does. Anything else is 401
 * {@code Unauthorized}. The handler gets {@code requestContext.authorizer.claims} with every value a string and
 * {@code exp}/{@code iat} written as dates ({@code Sat Mar 09 13:23:20 UTC 2024}), as API Gateway renders them.
 */
public final class CognitoAuthorizer {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern(
                    "EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final JwtAuthorizer tokens;

    private CognitoAuthorizer(JwtAuthorizer tokens) {
        this.tokens = tokens;
    }

    /**
     * An authorizer for one user pool.
     *
     * @param name the authorizer's name, for logs
     * @param issuer the pool's issuer, {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}
     * @param headerName the identity source header ({@code method.request.header.Authorization} → {@code Authorization})
     * @param keySource the pool's keys
     */
    public static CognitoAuthorizer of(String name, String issuer, String headerName, JwksSource keySource) {
        return new CognitoAuthorizer(JwtAuthorizer.anyClientOf(name, issuer, headerName, keySource));
    }

    public String name() {
        return tokens.name();
    }

    AuthOutcome authorize(GatewayRequest request, List<String> scopes, Instant now) {
        JwtAuthorizer.Outcome outcome = tokens.authorize(request.header(tokens.identitySource()), scopes, now);
        if (outcome instanceof JwtAuthorizer.Unauthorized) {
            String why = ((JwtAuthorizer.Unauthorized) outcome).description();
            return new AuthOutcome.Refused(
                    GatewayErrors.unauthorized(ApiType.REST, why), "COGNITO unauthorized (" + why + ")");
        }
        if (outcome instanceof JwtAuthorizer.Forbidden) {
            return new AuthOutcome.Refused(
                    GatewayErrors.unauthorized(ApiType.REST, "scope"), "COGNITO unauthorized (scope)");
        }
        Map<String, String> claims = ((JwtAuthorizer.Allowed) outcome).claims();
        String wanted = scopes.isEmpty() ? "id" : "access";
        if (!wanted.equals(claims.get("token_use"))) {
            return new AuthOutcome.Refused(
                    GatewayErrors.unauthorized(ApiType.REST, "token_use"),
                    "COGNITO unauthorized (not an " + wanted + " token)");
        }
        return new AuthOutcome.Allowed(
                new Caller.CognitoUserPool(render(claims)), "COGNITO allow sub=" + claims.getOrDefault("sub", "-"));
    }

    /** {@code exp} and {@code iat} (epoch seconds) as API Gateway writes them; every other claim as it is. */
    static Map<String, String> render(Map<String, String> claims) {
        Map<String, String> out = new LinkedHashMap<>(claims);
        for (String name : List.of("exp", "iat")) {
            Optional.ofNullable(out.get(name))
                    .flatMap(CognitoAuthorizer::epochSeconds)
                    .ifPresent(seconds -> out.put(name, DATE.format(Instant.ofEpochSecond(seconds))));
        }
        return out;
    }

    private static Optional<Long> epochSeconds(String value) {
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "CognitoAuthorizer[" + Objects.toString(tokens) + "]";
    }
}
