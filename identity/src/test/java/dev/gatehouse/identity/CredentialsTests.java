package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.forIdentity;
import static dev.gatehouse.identity.IdentityFixture.getId;
import static dev.gatehouse.identity.IdentityFixture.localKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.iam.SessionPrincipal;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.VerifiedCaller;
import dev.gatehouse.identity.IdentityFixture.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class CredentialsTests {

    private final IdentityFixture f = new IdentityFixture();
    private final String poolId = f.createPool(false);

    @Test
    void getCredentialsWhenOwnIdentityThenAuthRoleCredentialsForOneHour() {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, localKey(), token));

        JsonNode credentials = response.path("Credentials");
        assertThat(response.path("IdentityId").asText()).isEqualTo(identityId);
        assertThat(credentials.path("AccessKeyId").asText()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.path("SecretKey").asText()).hasSize(40);
        assertThat(credentials.path("SessionToken").asText()).isNotEmpty();
        assertThat(credentials.path("Expiration").isNumber()).isTrue();
        assertThat(credentials.path("Expiration").asLong())
                .isEqualTo(f.clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
        SessionPrincipal principal = f.api.credentialResolver()
                .resolve(
                        credentials.path("AccessKeyId").asText(),
                        credentials.path("SessionToken").asText())
                .orElseThrow()
                .principal();
        assertThat(principal.identityId()).isEqualTo(identityId);
        assertThat(principal.identityPoolId()).isEqualTo(poolId);
        assertThat(principal.roleArn()).isEqualTo(IdentityFixture.authRole());
        assertThat(principal.accountId()).isEqualTo(IdentityFixture.ACCOUNT);
        assertThat(principal.amr()).containsExactly("authenticated", awsKey(), awsKey() + ":CognitoSignIn:user-a");
    }

    @Test
    void getCredentialsWhenAnotherUsersIdentityThenNotAuthorized() {
        String victim = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();
        String attackerToken = f.idToken("user-b");
        f.ok("GetId", getId(poolId, awsKey(), attackerToken));

        Response response = f.call("GetCredentialsForIdentity", forIdentity(victim, awsKey(), attackerToken));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.body().has("Credentials")).isFalse();
    }

    @Test
    void getCredentialsWhenAuthenticatedIdentityWithoutLoginsThenNotAuthorized() {
        String identityId = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, "", ""));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void getCredentialsWhenTokenExpiredOrRevokedThenNotAuthorized() {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();
        f.tokens.revokeAll(IdentityFixture.USER_POOL, "user-a");
        String fresh = f.idToken("user-a");

        Response revoked = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));
        f.clock.advance(Duration.ofHours(2));
        Response expired = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), fresh));

        assertThat(revoked.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(expired.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(expired.message()).startsWith("Invalid login token. Token expired:");
    }

    @Test
    void getCredentialsWhenForeignPoolTokenThenNotAuthorized() {
        String identityId = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();
        String foreign = f.idToken(IdentityFixture.OTHER_USER_POOL, IdentityFixture.CLIENT, "user-a");

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), foreign));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void getCredentialsWhenIdentityUnknownThenResourceNotFound() {
        Response response = f.call(
                "GetCredentialsForIdentity",
                forIdentity("us-east-1:00000000-0000-0000-0000-000000000000", awsKey(), f.idToken("user-a")));

        assertThat(response.errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void getCredentialsWhenPoolHasNoRolesThenInvalidConfiguration() {
        String bare = f.ok(
                        "CreateIdentityPool", "{\"IdentityPoolName\":\"bare\",\"AllowUnauthenticatedIdentities\":true}")
                .path("IdentityPoolId")
                .asText();
        String identityId = f.ok("GetId", "{\"IdentityPoolId\":\"" + bare + "\"}")
                .path("IdentityId")
                .asText();

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, "", ""));

        assertThat(response.errorType()).isEqualTo("InvalidIdentityPoolConfigurationException");
    }

    @Test
    void getCredentialsWhenGuestIdentityThenUnauthRole() {
        String guests = f.createPool(true);
        String identityId = f.ok("GetId", "{\"IdentityPoolId\":\"" + guests + "\"}")
                .path("IdentityId")
                .asText();

        JsonNode credentials = f.ok("GetCredentialsForIdentity", forIdentity(identityId, "", ""))
                .path("Credentials");

        SessionPrincipal principal = f.api.credentialResolver()
                .resolve(
                        credentials.path("AccessKeyId").asText(),
                        credentials.path("SessionToken").asText())
                .orElseThrow()
                .principal();
        assertThat(principal.roleArn()).isEqualTo(IdentityFixture.unauthRole());
        assertThat(principal.amr()).containsExactly("unauthenticated");
    }

    @Test
    void getCredentialsWhenGuestIdentityPresentsAnotherUsersTokenThenNotAuthorized() {
        String guests = f.createPool(true);
        String identityId = f.ok("GetId", "{\"IdentityPoolId\":\"" + guests + "\"}")
                .path("IdentityId")
                .asText();

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), f.idToken("user-a")));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void credentialsWhenSdkSignsRequestThenVerifierYieldsIdentity() throws SignatureException {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();
        JsonNode credentials = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token))
                .path("Credentials");
        Instant now = f.clock.instant();

        SignedRequest request =
                signedGet(credentials, credentials.path("SessionToken").asText(), now);
        VerifiedCaller<SessionPrincipal> caller = verifier(now.plusSeconds(10)).verify(request);

        assertThat(caller.principal().identityId()).isEqualTo(identityId);
        assertThat(caller.principal().roleArn()).isEqualTo(IdentityFixture.authRole());
    }

    @Test
    void credentialsWhenAnotherIdentitysSessionTokenThenRefused() {
        String tokenA = f.idToken("user-a");
        String idA = f.ok("GetId", getId(poolId, awsKey(), tokenA))
                .path("IdentityId")
                .asText();
        JsonNode mine = f.ok("GetCredentialsForIdentity", forIdentity(idA, awsKey(), tokenA))
                .path("Credentials");
        String tokenB = f.idToken("user-b");
        String idB = f.ok("GetId", getId(poolId, awsKey(), tokenB))
                .path("IdentityId")
                .asText();
        JsonNode theirs = f.ok("GetCredentialsForIdentity", forIdentity(idB, awsKey(), tokenB))
                .path("Credentials");
        Instant now = f.clock.instant();

        SignedRequest request = signedGet(mine, theirs.path("SessionToken").asText(), now);

        assertThatThrownBy(() -> verifier(now).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.UNKNOWN_ACCESS_KEY));
    }

    @Test
    void credentialsWhenExpiredThenVerifierRefuses() {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();
        JsonNode credentials = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token))
                .path("Credentials");
        Instant later = f.clock.instant().plus(Duration.ofHours(1));

        SignedRequest request =
                signedGet(credentials, credentials.path("SessionToken").asText(), later);

        assertThatThrownBy(() -> verifier(later).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.EXPIRED_TOKEN));
    }

    @Test
    void credentialsWhenSessionKeysRotatedThenOldAndNewCredentialsVerify() throws SignatureException {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();
        JsonNode before = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token))
                .path("Credentials");

        f.api.rotateSessionKeys();
        JsonNode after = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token))
                .path("Credentials");
        Instant now = f.clock.instant();

        assertThat(verifier(now)
                        .verify(signedGet(before, before.path("SessionToken").asText(), now))
                        .principal()
                        .identityId())
                .isEqualTo(identityId);
        assertThat(verifier(now)
                        .verify(signedGet(after, after.path("SessionToken").asText(), now))
                        .principal()
                        .identityId())
                .isEqualTo(identityId);
    }

    @Test
    void getOpenIdTokenWhenOwnIdentityThenSignedTokenForIdentityAndPool() throws Exception {
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetOpenIdToken", forIdentity(identityId, awsKey(), token));

        SignedJWT jwt = SignedJWT.parse(response.path("Token").asText());
        RSAKey key = (RSAKey)
                JWKSet.parse(f.api.openIdJwks()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://cognito-identity.amazonaws.com");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(identityId);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(poolId);
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("amr")).contains("authenticated", awsKey());
        assertThat(response.path("IdentityId").asText()).isEqualTo(identityId);
    }

    @Test
    void getOpenIdTokenWhenAnotherUsersIdentityThenNotAuthorized() {
        String victim = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();

        Response response = f.call("GetOpenIdToken", forIdentity(victim, awsKey(), f.idToken("user-b")));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
    }

    private SigV4Verifier<SessionPrincipal> verifier(Instant now) {
        return SigV4Verifier.builder(f.api.credentialResolver())
                .service("execute-api")
                .region("us-east-1")
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    private static SignedRequest signedGet(JsonNode credentials, String sessionToken, Instant at) {
        URI uri = URI.create("http://127.0.0.1:9231/private");
        SdkHttpRequest get =
                SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
        AwsSessionCredentialsIdentity identity = AwsSessionCredentialsIdentity.create(
                credentials.path("AccessKeyId").asText(),
                credentials.path("SecretKey").asText(),
                sessionToken);
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(get)
                        .payload(ContentStreamProvider.fromByteArray(new byte[0]))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(uri.getHost() + ":" + uri.getPort()));
        return new SignedRequest("GET", uri.getRawPath(), "", headers, new byte[0]);
    }
}
