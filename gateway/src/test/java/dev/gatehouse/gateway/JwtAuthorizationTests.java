package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.store.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JWT routes: Cognito id and access tokens verified against the issuer's JWKS (aws-wire.md E.1.2, E.4). */
class JwtAuthorizationTests {

    private static final Instant NOW = Instant.parse("2026-03-12T19:03:58Z");
    private static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool";
    private static final String OTHER_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other";
    private static final String CLIENT = "5kek0i61pgkokoob4fsm9fo9it";
    private static final RSAKey KEY = generate("key-1");
    private static final RSAKey OTHER_POOL_KEY = generate("other-1");

    private final MutableClock clock = MutableClock.at(NOW.toString());
    private final AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(KEY.toPublicJWK()));
    private final AtomicInteger fetches = new AtomicInteger();
    private final JwtAuthorizer authorizer = JwtAuthorizer.of("pool", ISSUER, List.of(CLIENT), () -> {
        fetches.incrementAndGet();
        return published.get();
    });
    private final Gateway gateway = Gateway.builder(Api.builder("api", "a1b2c3d4e5")
                    .defaultAuthorization(Authorization.jwt(authorizer))
                    .route("GET /api/helloWorldSecured", Requests.recording(seen))
                    .route("GET /scoped", Requests.recording(seen), Authorization.jwt(authorizer, "notes/read"))
                    .build())
            .clock(clock)
            .build();

    @AfterEach
    void close() {
        gateway.close();
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idToken(RSAKey key, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject("6418b458-d091-705e-122e-04bf2945fcdf")
                .issuer(ISSUER)
                .audience(CLIENT)
                .claim("token_use", "id")
                .claim("email", "alice@example.com")
                .claim("email_verified", true)
                .claim("cognito:groups", List.of("admin", "poweruser"))
                .claim("auth_time", NOW.getEpochSecond())
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
        change.accept(claims);
        return sign(key, claims.build());
    }

    private static String accessToken(String scope) {
        return sign(
                KEY,
                new JWTClaimsSet.Builder()
                        .subject("6418b458-d091-705e-122e-04bf2945fcdf")
                        .issuer(ISSUER)
                        .claim("client_id", CLIENT)
                        .claim("token_use", "access")
                        .claim("scope", scope)
                        .issueTime(Date.from(NOW))
                        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                        .build());
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private GatewayResponse callWith(String path, String authorization) {
        return call(gateway, get(path, "Authorization", authorization));
    }

    @Test
    void handleWhenIdTokenThenClaimsAsStringsAndScopesNull() {
        GatewayResponse response = callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> {}));

        assertThat(response.status()).isEqualTo(200);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt =
                seen.get().getRequestContext().getAuthorizer().getJwt();
        assertThat(jwt.getClaims())
                .containsEntry("email", "alice@example.com")
                .containsEntry("email_verified", "true")
                .containsEntry("cognito:groups", "[admin poweruser]")
                .containsEntry("auth_time", Long.toString(NOW.getEpochSecond()))
                .containsEntry(
                        "exp", Long.toString(NOW.plus(Duration.ofHours(1)).getEpochSecond()))
                .containsEntry("aud", CLIENT);
        assertThat(jwt.getScopes()).isNull();
        assertThat(seen.get().getRequestContext().getAuthorizer().getIam()).isNull();
    }

    @Test
    void handleWhenRawTokenWithoutBearerThenAllowed() {
        assertThat(callWith("/api/helloWorldSecured", idToken(KEY, c -> {})).status())
                .isEqualTo(200);
    }

    @Test
    void handleWhenAccessTokenThenClientIdIsAudience() {
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + accessToken("openid"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void handleWhenAccessTokenHasRouteScopeThenScopesListed() {
        GatewayResponse response = callWith("/scoped", "Bearer " + accessToken("openid notes/read"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(seen.get().getRequestContext().getAuthorizer().getJwt().getScopes())
                .containsExactly("openid", "notes/read");
    }

    @Test
    void handleWhenIdTokenOnRouteWithScopesThenForbidden() {
        GatewayResponse response = callWith("/scoped", "Bearer " + idToken(KEY, c -> {}));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenMissingTokenThenUnauthorized() {
        GatewayResponse response = call(gateway, get("/api/helloWorldSecured"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(response.header("www-authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void handleWhenTokenFromAnotherPoolThenUnauthorized() {
        String foreign = idToken(OTHER_POOL_KEY, c -> c.issuer(OTHER_ISSUER));

        GatewayResponse response = callWith("/api/helloWorldSecured", "Bearer " + foreign);

        assertThat(response.status()).isEqualTo(401);
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenRightKeyButOtherIssuerThenUnauthorized() {
        GatewayResponse response =
                callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> c.issuer(OTHER_ISSUER)));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("issuer"));
    }

    @Test
    void handleWhenWrongAudienceThenUnauthorized() {
        GatewayResponse response =
                callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> c.audience("other")));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate"))
                .contains(
                        "Bearer scope=\"\" error=\"invalid_token\" error_description=\"the token does not have a valid audience\"");
    }

    @Test
    void handleWhenExpiredThenUnauthorized() {
        String token = idToken(KEY, c -> {});
        clock.advance(Duration.ofHours(1));

        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(401);
    }

    @Test
    void handleWhenNotYetValidThenUnauthorized() {
        String token = idToken(KEY, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(60))));

        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(401);
    }

    @Test
    void handleWhenSignatureTamperedThenUnauthorized() {
        String token = idToken(KEY, c -> {});
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + idToken(KEY, c -> c.subject("mallory")).split("\\.")[1] + "." + parts[2];

        assertThat(callWith("/api/helloWorldSecured", "Bearer " + forged).status())
                .isEqualTo(401);
    }

    @Test
    void handleWhenKeysRotateThenUnknownKidRefreshesCache() {
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> {}))
                        .status())
                .isEqualTo(200);
        RSAKey rotated = generate("key-2");
        published.set(new JWKSet(List.of(KEY.toPublicJWK(), rotated.toPublicJWK())));
        clock.advance(Duration.ofMinutes(1));

        GatewayResponse response = callWith(
                "/api/helloWorldSecured",
                "Bearer "
                        + idToken(rotated, c -> c.issueTime(Date.from(clock.instant()))
                                .expirationTime(Date.from(clock.instant().plusSeconds(600)))));
        callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> {}));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void handleWhenSourceKnowsNothingNewerYetThenNextUnknownKidAsksAgainWithoutWaiting() {
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + idToken(KEY, c -> {}))
                        .status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        RSAKey rotated = generate("key-3");
        String token = "Bearer "
                + idToken(rotated, c -> c.issueTime(Date.from(clock.instant()))
                        .expirationTime(Date.from(clock.instant().plusSeconds(600))));

        int before = fetches.get();
        GatewayResponse stale = callWith("/api/helloWorldSecured", token);
        published.set(new JWKSet(List.of(KEY.toPublicJWK(), rotated.toPublicJWK())));
        GatewayResponse fresh = callWith("/api/helloWorldSecured", token);

        assertThat(stale.status()).isEqualTo(401);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fetches.get() - before).isEqualTo(2);
    }

    @Test
    void authorizeWhenInMemorySourceLearnsKeyRightAfterFirstReadThenNextRequestAcceptedWithoutWaiting() {
        JwtAuthorizer inMemory = JwtAuthorizer.of("pool", ISSUER, List.of(CLIENT), new JwksSource() {
            @Override
            public JWKSet fetch() {
                return published.get();
            }

            @Override
            public boolean answersFromMemory() {
                return true;
            }
        });
        assertThat(inMemory.authorize(Optional.of("Bearer " + idToken(KEY, c -> {})), List.of(), NOW))
                .isInstanceOf(JwtAuthorizer.Allowed.class);
        RSAKey rotated = generate("key-4");
        Optional<String> token = Optional.of("Bearer " + idToken(rotated, c -> {}));

        JwtAuthorizer.Outcome stale = inMemory.authorize(token, List.of(), NOW);
        published.set(new JWKSet(List.of(KEY.toPublicJWK(), rotated.toPublicJWK())));
        JwtAuthorizer.Outcome fresh = inMemory.authorize(token, List.of(), NOW);

        assertThat(stale).isInstanceOf(JwtAuthorizer.Unauthorized.class);
        assertThat(fresh).isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void handleWhenVerifiedTokenUsedAgainAfterExpiryThenUnauthorized() {
        String token = idToken(KEY, c -> {});
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(59).plusSeconds(59));
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));

        GatewayResponse response = callWith("/api/helloWorldSecured", "Bearer " + token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate").orElseThrow()).contains("the token has expired");
    }

    @Test
    void handleWhenTamperedCopyOfVerifiedTokenThenUnauthorized() {
        String token = idToken(KEY, c -> {});
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + idToken(KEY, c -> c.subject("mallory")).split("\\.")[1] + "." + parts[2];
        char last = parts[2].charAt(parts[2].length() - 2);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);

        assertThat(callWith("/api/helloWorldSecured", "Bearer " + forged).status())
                .isEqualTo(401);
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + flipped).status())
                .isEqualTo(401);
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
    }

    @Test
    void handleWhenVerifiedTokenUsedAgainThenSameClaimsAndIndependentMaps() {
        String token = idToken(KEY, c -> {});
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
        APIGatewayV2HTTPEvent first = seen.get();
        first.getRequestContext().getAuthorizer().getJwt().getClaims().put("email", "mallory@example.com");

        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);

        assertThat(seen.get()).isNotSameAs(first);
        assertThat(seen.get().getRequestContext().getAuthorizer().getJwt().getClaims())
                .containsEntry("email", "alice@example.com")
                .containsEntry("cognito:groups", "[admin poweruser]");
    }

    @Test
    void handleWhenVerifiedTokenOnScopedRouteThenStillForbidden() {
        String token = idToken(KEY, c -> {});
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);

        assertThat(callWith("/scoped", "Bearer " + token).status()).isEqualTo(403);
    }

    @Test
    void handleWhenKeyWithdrawnFromJwksThenVerifiedTokenRefused() {
        String token = idToken(KEY, c -> {});
        assertThat(callWith("/api/helloWorldSecured", "Bearer " + token).status())
                .isEqualTo(200);
        RSAKey rotated = generate("key-2");
        published.set(new JWKSet(rotated.toPublicJWK()));
        clock.advance(Duration.ofMinutes(1));
        // A token naming the new kid makes the authorizer re-read the JWKS, which no longer holds key-1.
        assertThat(callWith(
                                "/api/helloWorldSecured",
                                "Bearer "
                                        + idToken(rotated, c -> c.issueTime(Date.from(clock.instant()))
                                                .expirationTime(Date.from(
                                                        clock.instant().plusSeconds(600)))))
                        .status())
                .isEqualTo(200);

        GatewayResponse response = callWith("/api/helloWorldSecured", "Bearer " + token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate").orElseThrow())
                .contains("the signing key of the token was not found");
    }
}
