package dev.gatehouse.userpool;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.userpool.PoolKeys.SigningKey;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The claims of the id and access tokens {@link JwtTokenService} issues, and their RS256 signature. */
final class TokenClaims {

    /** Claims the service sets itself; a user attribute of the same name never overrides them. */
    private static final Set<String> RESERVED_CLAIMS = Set.of(
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "nbf",
            "jti",
            "auth_time",
            "token_use",
            "origin_jti",
            "event_id",
            "cognito:username",
            "cognito:groups",
            "cognito:roles",
            "cognito:preferred_role",
            "client_id",
            "scope",
            "username",
            "version",
            "at_hash",
            "nonce");

    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("email_verified", "phone_number_verified");

    private TokenClaims() {}

    /** An id token's claims: the user's attributes (reserved claims excepted), groups and roles. */
    static JWTClaimsSet id(
            String issuer,
            TokenSubject subject,
            TokenClient client,
            Instant authTime,
            String originJti,
            String eventId,
            Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject.sub());
        if (!subject.groups().isEmpty()) {
            claims.claim("cognito:groups", subject.groups());
        }
        if (!subject.roles().isEmpty()) {
            claims.claim("cognito:roles", subject.roles());
        }
        if (subject.preferredRole() != null) {
            claims.claim("cognito:preferred_role", subject.preferredRole());
        }
        for (Map.Entry<String, String> attribute : subject.attributes().entrySet()) {
            if (!RESERVED_CLAIMS.contains(attribute.getKey())) {
                claims.claim(attribute.getKey(), attributeClaim(attribute.getKey(), attribute.getValue()));
            }
        }
        claims.issuer(issuer)
                .claim("cognito:username", subject.username())
                .claim("origin_jti", originJti)
                .audience(client.clientId())
                .claim("event_id", eventId)
                .claim("token_use", "id")
                .claim("auth_time", authTime.getEpochSecond())
                .expirationTime(Date.from(now.plus(client.idTokenValidity())))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString());
        TokenOverrides.apply(
                claims, subject.overrides().idClaims(), subject.overrides().idSuppressed());
        return claims.build();
    }

    /** An access token's claims, scoped to the user-pool API. */
    static JWTClaimsSet access(
            String issuer,
            TokenSubject subject,
            TokenClient client,
            Instant authTime,
            String originJti,
            String eventId,
            Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject.sub());
        if (!subject.groups().isEmpty()) {
            claims.claim("cognito:groups", subject.groups());
        }
        claims.issuer(issuer)
                .claim("version", 2)
                .claim("client_id", client.clientId())
                .claim("origin_jti", originJti)
                .claim("event_id", eventId)
                .claim("token_use", "access")
                .claim("scope", subject.overrides().scope(JwtTokenService.USER_ADMIN_SCOPE))
                .claim("auth_time", authTime.getEpochSecond())
                .expirationTime(Date.from(now.plus(client.accessTokenValidity())))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("username", subject.username());
        TokenOverrides.apply(
                claims, subject.overrides().accessClaims(), subject.overrides().accessSuppressed());
        return claims.build();
    }

    /** {@code email_verified} and {@code phone_number_verified} are JSON booleans; other attributes stay strings. */
    private static Object attributeClaim(String name, String value) {
        return BOOLEAN_ATTRIBUTES.contains(name) ? Boolean.valueOf(value) : value;
    }

    static String sign(JWTClaimsSet claims, SigningKey key) {
        // Cognito's header: kid and alg, no typ
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.kid()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
        return jwt.serialize();
    }
}
