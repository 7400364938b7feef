package dev.gatehouse.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.iam.VerifiedCache;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP API's {@code JWT} authorizer: the issuer, the audiences (app client ids) and where the token is read from.
 * A token passes when it is RS256-signed by a key of the issuer's JWKS (matched by {@code kid}; the cached set is
 * refreshed when a {@code kid} is unknown), {@code iss} equals the issuer, {@code aud} (id tokens) or
 * {@code client_id} (access tokens) is one of the audiences, and {@code exp}/{@code nbf} hold at the gateway's clock.
 * Thread-safe.
 */
public final class JwtAuthorizer {

    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);
    /** Tokens whose signature was verified, kept until they expire; one per signed-in user is plenty. */
    private static final int MAX_VERIFIED = 4096;

    private final String name;
    private final String issuer;
    private final List<String> audiences;
    private final String identitySource;
    private final JwksSource keySource;
    /** A REST API's Cognito authorizer accepts a token of any app client of its pool. */
    private final boolean anyAudience;

    private volatile @Nullable KeySet keySet;
    private volatile Instant lastFetch = Instant.MIN;
    private final VerifiedCache<VerifiedCache.Key, Verified> verified = new VerifiedCache<>(MAX_VERIFIED);

    private JwtAuthorizer(
            String name,
            String issuer,
            List<String> audiences,
            String identitySource,
            JwksSource keySource,
            boolean anyAudience) {
        this.name = name;
        this.issuer = issuer;
        this.audiences = audiences;
        this.identitySource = identitySource;
        this.keySource = keySource;
        this.anyAudience = anyAudience;
    }

    /** A user pool's tokens for any of its app clients (a REST API's {@code COGNITO_USER_POOLS} authorizer). */
    static JwtAuthorizer anyClientOf(String name, String issuer, String headerName, JwksSource keySource) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(issuer, "issuer cannot be null");
        Objects.requireNonNull(headerName, "headerName cannot be null");
        Objects.requireNonNull(keySource, "keySource cannot be null");
        return new JwtAuthorizer(name, issuer, List.of(), headerName.toLowerCase(Locale.ROOT), keySource, true);
    }

    /**
     * An authorizer reading {@code Authorization: Bearer <token>} (or the bare token).
     *
     * @param name the authorizer's name, for logs
     * @param issuer such as {@code https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc}
     * @param audiences the accepted app client ids
     * @param keySource the issuer's keys
     */
    public static JwtAuthorizer of(String name, String issuer, List<String> audiences, JwksSource keySource) {
        return withIdentitySource(name, issuer, audiences, "authorization", keySource);
    }

    /** Like {@link #of}, reading the token from header {@code headerName} ({@code $request.header.<name>}). */
    public static JwtAuthorizer withIdentitySource(
            String name, String issuer, List<String> audiences, String headerName, JwksSource keySource) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(issuer, "issuer cannot be null");
        Objects.requireNonNull(headerName, "headerName cannot be null");
        Objects.requireNonNull(keySource, "keySource cannot be null");
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("audiences cannot be empty");
        }
        return new JwtAuthorizer(
                name, issuer, List.copyOf(audiences), headerName.toLowerCase(Locale.ROOT), keySource, false);
    }

    public String name() {
        return name;
    }

    String identitySource() {
        return identitySource;
    }

    /** The outcome of {@link #authorize}. */
    sealed interface Outcome permits Allowed, Unauthorized, Forbidden {}

    /** The token passed; {@code scopes} is null when the route has no scopes (as API Gateway sends it). */
    record Allowed(Map<String, String> claims, @Nullable List<String> scopes) implements Outcome {}

    /** 401 with {@code description} in {@code www-authenticate}. */
    record Unauthorized(String description) implements Outcome {}

    /** 403: a valid token without any of the route's scopes. */
    record Forbidden() implements Outcome {}

    /**
     * A token whose signature, issuer and audience passed, as used on later requests with the same token: only its time
     * window is checked again, and only while {@code keys} is still the current key set (a re-read JWKS re-verifies).
     */
    private record Verified(
            KeySet keys,
            Instant expiresAt,
            @Nullable Instant notBefore,
            @Nullable Instant issuedAt,
            Map<String, String> claims,
            List<String> scopes) {}

    /** Either a verified token or why it is refused. */
    private record Verification(@Nullable Verified token, @Nullable Unauthorized refused) {
        static Verification refused(String description) {
            return new Verification(null, new Unauthorized(description));
        }
    }

    /** One fetched JWKS and a verifier per RSA key in it, built once. */
    private static final class KeySet {
        private final Map<String, RSASSAVerifier> verifiers = new HashMap<>();
        private final JWKSet source;

        KeySet(JWKSet keys) {
            this.source = keys;
            for (JWK key : keys.getKeys()) {
                if (key instanceof RSAKey && key.getKeyID() != null && !verifiers.containsKey(key.getKeyID())) {
                    try {
                        verifiers.put(key.getKeyID(), new RSASSAVerifier((RSAKey) key));
                    } catch (JOSEException e) {
                        // A key that is not a usable RSA public key verifies nothing; tokens naming it are refused.
                    }
                }
            }
        }

        boolean has(String kid) {
            return verifiers.containsKey(kid);
        }

        RSASSAVerifier verifier(String kid) {
            return Objects.requireNonNull(verifiers.get(kid), kid);
        }
    }

    Outcome authorize(Optional<String> headerValue, List<String> routeScopes, Instant now) {
        if (headerValue.isEmpty() || headerValue.get().isBlank()) {
            return new Unauthorized("the token is missing");
        }
        String token = headerValue.get().trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        VerifiedCache.Key cacheKey = VerifiedCache.keyOf(token);
        Optional<Verified> memo = verified.get(cacheKey, now);
        Verified checkedToken;
        if (memo.isPresent() && memo.get().keys() == keySet) {
            checkedToken = memo.get();
            Optional<Unauthorized> expired = timeError(checkedToken, now);
            if (expired.isPresent()) {
                return expired.get();
            }
        } else {
            Verification verification = verify(token, now);
            Unauthorized refused = verification.refused();
            if (refused != null) {
                return refused;
            }
            checkedToken = Objects.requireNonNull(verification.token(), "token");
            verified.put(cacheKey, checkedToken, checkedToken.expiresAt(), now);
        }
        Map<String, String> claims = new LinkedHashMap<>(checkedToken.claims());
        if (routeScopes.isEmpty()) {
            return new Allowed(claims, null);
        }
        if (checkedToken.scopes().stream().noneMatch(routeScopes::contains)) {
            return new Forbidden();
        }
        return new Allowed(claims, checkedToken.scopes());
    }

    /** Every check but the route's scopes, on a token not verified before. */
    private Verification verify(String token, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Verification.refused("the token is malformed");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return Verification.refused("the token's signing algorithm is not supported");
        }
        String kid = jwt.getHeader().getKeyID();
        Optional<KeySet> keys = kid == null ? Optional.empty() : keys(kid, now);
        if (keys.isEmpty()) {
            return Verification.refused("the signing key of the token was not found");
        }
        try {
            if (!jwt.verify(keys.get().verifier(kid))) {
                return Verification.refused("the token signature is invalid");
            }
        } catch (JOSEException e) {
            return Verification.refused("the token signature is invalid");
        }
        if (!issuer.equals(claims.getIssuer())) {
            return Verification.refused("the token does not have a valid issuer");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return Verification.refused("the token has expired");
        }
        Verified checkedToken = new Verified(
                keys.get(),
                exp.toInstant(),
                instant(claims.getNotBeforeTime()),
                instant(claims.getIssueTime()),
                Collections.unmodifiableMap(render(claims)),
                List.copyOf(scopes(claims)));
        Optional<Unauthorized> timeError = timeError(checkedToken, now);
        if (timeError.isPresent()) {
            return new Verification(null, timeError.get());
        }
        if (!audienceMatches(claims)) {
            return Verification.refused("the token does not have a valid audience");
        }
        return new Verification(checkedToken, null);
    }

    /** {@code exp}, {@code nbf} and {@code iat} at {@code now}: checked at every use, cached or not. */
    private static Optional<Unauthorized> timeError(Verified token, Instant now) {
        if (!now.isBefore(token.expiresAt())) {
            return Optional.of(new Unauthorized("the token has expired"));
        }
        Instant nbf = token.notBefore();
        Instant iat = token.issuedAt();
        if ((nbf != null && now.isBefore(nbf)) || (iat != null && now.isBefore(iat))) {
            return Optional.of(new Unauthorized("the token is not valid yet"));
        }
        return Optional.empty();
    }

    private static @Nullable Instant instant(@Nullable Date date) {
        return date == null ? null : date.toInstant();
    }

    private boolean audienceMatches(JWTClaimsSet claims) {
        if (anyAudience) {
            return true;
        }
        List<String> aud = claims.getAudience();
        if (aud != null && aud.stream().anyMatch(audiences::contains)) {
            return true;
        }
        Object clientId = claims.getClaim("client_id");
        return clientId instanceof String && audiences.contains(clientId);
    }

    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        if (scope instanceof String) {
            return Arrays.stream(((String) scope).split(" "))
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toList());
        }
        if (scope instanceof Collection) {
            return ((Collection<?>) scope).stream().map(String::valueOf).collect(Collectors.toList());
        }
        return List.of();
    }

    /** Claims as API Gateway passes them: every value a string, arrays as {@code [a b]}. */
    private static Map<String, String> render(JWTClaimsSet claims) {
        Map<String, String> out = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (value instanceof Collection) {
                List<String> items = new ArrayList<>();
                ((Collection<?>) value).forEach(item -> items.add(String.valueOf(item)));
                out.put(name, "[" + String.join(" ", items) + "]");
            } else {
                out.put(name, String.valueOf(value));
            }
        });
        return out;
    }

    /**
     * The current key set, if it holds {@code kid}; an unknown {@code kid} re-reads the JWKS (at most every 10 s, but
     * at every unknown {@code kid} from a source that answers from memory).
     */
    private Optional<KeySet> keys(String kid, Instant now) {
        KeySet keys = keySet;
        if (keys != null && keys.has(kid)) {
            return Optional.of(keys);
        }
        synchronized (this) {
            keys = keySet;
            if (keys != null && keys.has(kid)) {
                return Optional.of(keys);
            }
            if (keys != null && !keySource.answersFromMemory() && now.isBefore(lastFetch.plus(MIN_REFRESH_INTERVAL))) {
                return Optional.empty();
            }
            try {
                JWKSet fetched = keySource.fetch();
                if (keys != null && fetched == keys.source) {
                    // Nothing newer known yet (an in-memory source re-reads in the background).
                    return Optional.empty();
                }
                KeySet fresh = new KeySet(fetched);
                keySet = fresh;
                lastFetch = now;
                return fresh.has(kid) ? Optional.of(fresh) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                lastFetch = now;
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "JwtAuthorizer[" + name + ", issuer=" + issuer + "]";
    }
}
