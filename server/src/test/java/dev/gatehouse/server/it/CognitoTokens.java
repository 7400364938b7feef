package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies a pool's tokens the way an OIDC relying party does: discovery document → {@code jwks_uri} → Nimbus
 * {@link DefaultJWTProcessor} (RS256 only, issuer, audience / {@code client_id}, {@code token_use}, expiry).
 */
final class CognitoTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final URI jwksUri;
    private final JWKSource<SecurityContext> keys;

    private CognitoTokens(String issuer, URI jwksUri) {
        this.issuer = issuer;
        this.jwksUri = jwksUri;
        try {
            this.keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL())
                    .retrying(false)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code <issuer>/.well-known/openid-configuration} and asserts it names {@code issuer} and the JWKS under it.
     */
    static CognitoTokens discover(String issuer) {
        JsonNode discovery = getJson(URI.create(issuer + "/.well-known/openid-configuration"));
        assertThat(discovery.path("issuer").asText()).as("discovery issuer").isEqualTo(issuer);
        String jwksUri = discovery.path("jwks_uri").asText();
        assertThat(jwksUri).as("discovery jwks_uri").isEqualTo(issuer + "/.well-known/jwks.json");
        assertThat(discovery.path("id_token_signing_alg_values_supported").toString())
                .contains("RS256");
        return new CognitoTokens(issuer, URI.create(jwksUri));
    }

    String issuer() {
        return issuer;
    }

    /** The served key set, checked to hold only RSA signing keys for RS256, each with a {@code kid}. */
    JWKSet jwks() {
        JWKSet set;
        try {
            set = JWKSet.load(jwksUri.toURL());
        } catch (IOException | ParseException e) {
            throw new AssertionError("JWKS at " + jwksUri + " unreadable", e);
        }
        assertThat(set.getKeys()).as("JWKS keys").isNotEmpty();
        for (JWK key : set.getKeys()) {
            assertThat(key.getKeyType()).isEqualTo(KeyType.RSA);
            assertThat(key.getKeyID()).isNotBlank();
            assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(key.isPrivate()).as("JWKS must not publish private keys").isFalse();
        }
        return set;
    }

    /** Verifies an ID token for {@code clientId} and returns its claims. */
    JWTClaimsSet verifyIdToken(String token, String clientId) {
        JWTClaimsSet exact = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .claim("token_use", "id")
                .build();
        return verify(
                token,
                new DefaultJWTClaimsVerifier<>(
                        set(clientId),
                        exact,
                        set("sub", "iat", "exp", "auth_time", "jti", "origin_jti", "event_id", "cognito:username"),
                        set("client_id", "scope")));
    }

    /** Verifies an access token for {@code clientId} and returns its claims. */
    JWTClaimsSet verifyAccessToken(String token, String clientId) {
        JWTClaimsSet exact = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .claim("token_use", "access")
                .claim("client_id", clientId)
                .build();
        return verify(
                token,
                new DefaultJWTClaimsVerifier<>(
                        null,
                        exact,
                        set("sub", "iat", "exp", "auth_time", "jti", "origin_jti", "event_id", "username", "scope"),
                        set("aud")));
    }

    /** A mutable set: Nimbus asks its sets whether they contain null, which {@link Set#of} refuses. */
    private static Set<String> set(String... values) {
        return new HashSet<>(Arrays.asList(values));
    }

    private JWTClaimsSet verify(String token, DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).as("alg").isEqualTo(JWSAlgorithm.RS256);
            String kid = jwt.getHeader().getKeyID();
            assertThat(kid).as("kid").isNotBlank();
            assertThat(jwks().getKeyByKeyId(kid)).as("JWKS key for kid %s", kid).isNotNull();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
            processor.setJWTClaimsSetVerifier(claimsVerifier);
            return processor.process(jwt, null);
        } catch (Exception e) {
            throw new AssertionError("token rejected by Nimbus: " + e, e);
        }
    }

    /** The claims of a token without verifying it (for tokens a test has already verified or means to tamper with). */
    static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT", e);
        }
    }

    static JsonNode getJson(URI uri) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
