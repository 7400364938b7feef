package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtTokenServiceTests {

    private static final String ENDPOINT = "http://127.0.0.1:9229";
    private static final String POOL = "us-east-1_TestPool1";
    private static final String OTHER_POOL = "us-east-1_OtherPool";
    private static final String SUB = "6418b458-d091-705e-122e-0123456789ab";
    private static final TokenClient CLIENT = TokenClient.withDefaults("3nkoep4151b7umeggnottc30u9");
    private static final TokenClient OTHER_CLIENT = TokenClient.withDefaults("5kek0i61pgkokoob4fsm9fo9it");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Instant signInTime = Instant.parse("2025-12-31T23:59:59Z");
    private final Function<String, String> issuer = JwtTokenService.issuerUnder(ENDPOINT + "/");
    private TokensTestItemStore store;
    private JwtTokenService service;

    @BeforeEach
    void setUp() {
        store = new TokensTestItemStore(clock);
        service = TestRsaKeys.tokenService(store, clock, issuer);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static TokenSubject alice() {
        return new TokenSubject(
                POOL,
                SUB,
                SUB,
                Map.of(
                        "email",
                        "alice@example.com",
                        "email_verified",
                        "true",
                        "sub",
                        "not-this-one",
                        "custom:tier",
                        "7"),
                List.of());
    }

    private static TokenSubject subject(String pool, String username) {
        return new TokenSubject(
                pool, username + "-sub", username, Map.of("email", username + "@example.com"), List.of());
    }

    @Test
    void issueWhenSignedInThenIdTokenHasCognitoClaimsAndVerifiesAgainstJwks() throws Exception {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        SignedJWT id = SignedJWT.parse(tokens.idToken());
        assertThat(verifiesWithJwks(id)).isTrue();
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(id.getHeader().getType()).isNull();
        JsonNode claims = payload(tokens.idToken());
        assertThat(claims.path("sub").asText()).isEqualTo(SUB);
        assertThat(claims.path("aud").isTextual()).isTrue();
        assertThat(claims.path("aud").asText()).isEqualTo(CLIENT.clientId());
        assertThat(claims.path("token_use").asText()).isEqualTo("id");
        assertThat(claims.path("iss").asText()).isEqualTo(ENDPOINT + "/" + POOL);
        assertThat(claims.path("cognito:username").asText()).isEqualTo(SUB);
        assertThat(claims.path("email").asText()).isEqualTo("alice@example.com");
        assertThat(claims.path("email_verified").isBoolean()).isTrue();
        assertThat(claims.path("email_verified").asBoolean()).isTrue();
        assertThat(claims.path("custom:tier").isTextual()).isTrue();
        assertThat(claims.path("auth_time").asLong()).isEqualTo(signInTime.getEpochSecond());
        assertThat(claims.path("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(claims.path("jti").asText()).hasSize(36);
        assertThat(claims.path("origin_jti").asText()).hasSize(36);
        assertThat(claims.path("event_id").asText()).hasSize(36);
        assertThat(claims.has("client_id")).isFalse();
        assertThat(claims.has("scope")).isFalse();
        assertThat(claims.has("cognito:groups")).isFalse();
    }

    @Test
    void issueWhenSignedInThenAccessTokenHasCognitoClaimsAndItsOwnKey() throws Exception {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        SignedJWT access = SignedJWT.parse(tokens.accessToken());
        assertThat(verifiesWithJwks(access)).isTrue();
        assertThat(access.getHeader().getKeyID())
                .isNotEqualTo(SignedJWT.parse(tokens.idToken()).getHeader().getKeyID());
        JsonNode claims = payload(tokens.accessToken());
        JsonNode id = payload(tokens.idToken());
        assertThat(claims.path("sub").asText()).isEqualTo(SUB);
        assertThat(claims.path("client_id").asText()).isEqualTo(CLIENT.clientId());
        assertThat(claims.has("aud")).isFalse();
        assertThat(claims.path("token_use").asText()).isEqualTo("access");
        assertThat(claims.path("scope").asText()).isEqualTo("aws.cognito.signin.user.admin");
        assertThat(claims.path("version").asInt()).isEqualTo(2);
        assertThat(claims.path("username").asText()).isEqualTo(SUB);
        assertThat(claims.has("cognito:username")).isFalse();
        assertThat(claims.has("email")).isFalse();
        assertThat(claims.path("iss").asText()).isEqualTo(ENDPOINT + "/" + POOL);
        assertThat(claims.path("auth_time").asLong()).isEqualTo(signInTime.getEpochSecond());
        assertThat(claims.path("origin_jti").asText())
                .isEqualTo(id.path("origin_jti").asText());
        assertThat(claims.path("event_id").asText())
                .isEqualTo(id.path("event_id").asText());
        assertThat(claims.path("jti").asText()).isNotEqualTo(id.path("jti").asText());
        assertThat(tokens.expiresIn()).isEqualTo(3600);
    }

    @Test
    void issueWhenUserInGroupsThenBothTokensListThem() throws Exception {
        TokenSubject admin = new TokenSubject(POOL, SUB, "admin", Map.of(), List.of("admins", "staff"));
        IssuedTokens tokens = service.issue(admin, CLIENT, signInTime);

        assertThat(payload(tokens.idToken()).path("cognito:groups").toString()).isEqualTo("[\"admins\",\"staff\"]");
        assertThat(payload(tokens.accessToken()).path("cognito:groups").toString())
                .isEqualTo("[\"admins\",\"staff\"]");
    }

    @Test
    void issueWhenClientHasOwnValiditiesThenTokensFollowThem() throws Exception {
        TokenClient client =
                new TokenClient("shortlived", Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofHours(1));
        IssuedTokens tokens = service.issue(alice(), client, signInTime);

        JsonNode id = payload(tokens.idToken());
        JsonNode access = payload(tokens.accessToken());
        assertThat(id.path("exp").asLong() - id.path("iat").asLong()).isEqualTo(300);
        assertThat(access.path("exp").asLong() - access.path("iat").asLong()).isEqualTo(600);
        assertThat(tokens.expiresIn()).isEqualTo(600);
        clock.advance(Duration.ofHours(1));
        assertNotAuthorized(
                () -> service.openRefreshToken(tokens.refresh().orElseThrow(), POOL, "shortlived"),
                "Refresh Token has expired");
    }

    @Test
    void issueWhenSignedInThenRefreshTokenIsAFivePartJwe() throws Exception {
        String refresh = service.issue(alice(), CLIENT, signInTime).refresh().orElseThrow();

        assertThat(refresh.split("\\.", -1)).hasSize(5).allSatisfy(part -> assertThat(part)
                .isNotEmpty());
        JsonNode header = JSON.readTree(
                Base64URL.from(refresh.substring(0, refresh.indexOf('.'))).decodeToString());
        assertThat(header.path("alg").asText()).isEqualTo("A256KW");
        assertThat(header.path("enc").asText()).isEqualTo("A256GCM");
        assertThat(refresh).doesNotContain(SUB).matches("[A-Za-z0-9-_=.]+");
    }

    @Test
    void jwksWhenPublishedThenHasTwoPublicRs256KeysOnly() throws Exception {
        JsonNode jwks = JSON.readTree(service.jwks(POOL));

        assertThat(jwks.path("keys")).hasSize(2);
        for (JsonNode key : jwks.path("keys")) {
            List<String> names = new ArrayList<>();
            key.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("alg", "e", "kid", "kty", "n", "use");
            assertThat(key.path("alg").asText()).isEqualTo("RS256");
            assertThat(key.path("kty").asText()).isEqualTo("RSA");
            assertThat(key.path("use").asText()).isEqualTo("sig");
            assertThat(key.path("e").asText()).isEqualTo("AQAB");
            assertThat(key.path("kid").asText()).hasSize(44);
        }
        assertThat(service.jwks(POOL)).isEqualTo(jwks.toString());
    }

    @Test
    void jwksWhenTwoPoolsThenTheyShareNoKey() throws Exception {
        JsonNode first = JSON.readTree(service.jwks(POOL));
        JsonNode second = JSON.readTree(service.jwks(OTHER_POOL));

        assertThat(first.findValuesAsText("kid")).doesNotContainAnyElementsOf(second.findValuesAsText("kid"));
    }

    @Test
    void openIdConfigurationWhenReadThenNamesIssuerAndJwksUri() throws Exception {
        JsonNode config = JSON.readTree(service.openIdConfiguration(POOL));

        assertThat(config.path("issuer").asText()).isEqualTo(ENDPOINT + "/" + POOL);
        assertThat(config.path("jwks_uri").asText()).isEqualTo(ENDPOINT + "/" + POOL + "/.well-known/jwks.json");
        assertThat(config.path("id_token_signing_alg_values_supported").toString())
                .isEqualTo("[\"RS256\"]");
        assertThat(config.path("subject_types_supported").toString()).isEqualTo("[\"public\"]");
        assertThat(config.has("authorization_endpoint"))
                .as("no hosted UI is served")
                .isFalse();
        assertThat(config.has("token_endpoint"))
                .as("no OAuth token endpoint is served")
                .isFalse();
        assertThat(service.issuer(POOL)).isEqualTo(ENDPOINT + "/" + POOL);
    }

    @Test
    void issuerWhenAwsFormThenCognitoUrl() {
        JwtTokenService aws = new JwtTokenService(store, clock, JwtTokenService.awsIssuer("eu-west-1"));

        assertThat(aws.issuer("eu-west-1_y0bLG4i27"))
                .isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27");
    }

    @Test
    void verifyAccessTokenWhenValidThenReturnsItsClaims() {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        VerifiedAccessToken verified = service.verifyAccessToken(tokens.accessToken());

        assertThat(verified.userPoolId()).isEqualTo(POOL);
        assertThat(verified.clientId()).isEqualTo(CLIENT.clientId());
        assertThat(verified.sub()).isEqualTo(SUB);
        assertThat(verified.username()).isEqualTo(SUB);
        assertThat(verified.scopes()).containsExactly("aws.cognito.signin.user.admin");
        assertThat(verified.authTime()).isEqualTo(signInTime);
        assertThat(verified.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    }

    @Test
    void verifyAccessTokenWhenExpiryReachedThenExpired() {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        clock.advance(Duration.ofSeconds(3599));
        assertThatCode(() -> service.verifyAccessToken(tokens.accessToken())).doesNotThrowAnyException();
        clock.advance(Duration.ofSeconds(1));
        assertNotAuthorized(() -> service.verifyAccessToken(tokens.accessToken()), "Access Token has expired");
    }

    @Test
    void verifyAccessTokenWhenPayloadAlteredThenInvalid() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        String[] parts = access.split("\\.");
        JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(access).getJWTClaimsSet())
                .claim("username", "someone-else")
                .build();
        String forged = parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];

        assertNotAuthorized(() -> service.verifyAccessToken(forged), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenAlgNoneThenInvalid() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        String unsigned = new PlainJWT(SignedJWT.parse(access).getJWTClaimsSet()).serialize();

        assertNotAuthorized(() -> service.verifyAccessToken(unsigned), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenHs256KeyedWithThePublicKeyThenInvalid() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        SignedJWT original = SignedJWT.parse(access);
        RSAKey publicKey = JWKSet.parse(service.jwks(POOL))
                .getKeyByKeyId(original.getHeader().getKeyID())
                .toRSAKey();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(original.getHeader().getKeyID())
                        .build(),
                original.getJWTClaimsSet());
        forged.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));

        assertNotAuthorized(() -> service.verifyAccessToken(forged.serialize()), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenSignedByUnknownKeyThenInvalid() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        SignedJWT original = SignedJWT.parse(access);
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();

        SignedJWT unknownKid = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").build(), original.getJWTClaimsSet());
        unknownKid.sign(new RSASSASigner(attacker));
        SignedJWT knownKid = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(original.getHeader().getKeyID())
                        .build(),
                original.getJWTClaimsSet());
        knownKid.sign(new RSASSASigner(attacker));

        assertNotAuthorized(() -> service.verifyAccessToken(unknownKid.serialize()), "Invalid Access Token");
        assertNotAuthorized(() -> service.verifyAccessToken(knownKid.serialize()), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenIdTokenPresentedThenInvalid() {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        assertNotAuthorized(() -> service.verifyAccessToken(tokens.idToken()), "Invalid Access Token");
        assertNotAuthorized(() -> service.verifyAccessToken(tokens.refresh().orElseThrow()), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenSignedWithTheIdKeyOrMarkedAsIdThenInvalid() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        JWTClaimsSet claims = SignedJWT.parse(access).getJWTClaimsSet();
        PoolKeys keys = new SigningKeyStore(store, clock, new java.security.SecureRandom(), Duration.ofMinutes(1), null)
                .existing(POOL)
                .orElseThrow();
        PoolKeys.SigningKey idKey = keys.activeSigningKey(PoolKeys.Purpose.ID);
        PoolKeys.SigningKey accessKey = keys.activeSigningKey(PoolKeys.Purpose.ACCESS);

        SignedJWT byIdKey = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idKey.kid()).build(), claims);
        byIdKey.sign(new RSASSASigner(idKey.privateKey()));
        SignedJWT markedId = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(accessKey.kid()).build(),
                new JWTClaimsSet.Builder(claims).claim("token_use", "id").build());
        markedId.sign(new RSASSASigner(accessKey.privateKey()));
        SignedJWT control = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(accessKey.kid()).build(), claims);
        control.sign(new RSASSASigner(accessKey.privateKey()));

        assertNotAuthorized(() -> service.verifyAccessToken(byIdKey.serialize()), "Invalid Access Token");
        assertNotAuthorized(() -> service.verifyAccessToken(markedId.serialize()), "Invalid Access Token");
        assertThatCode(() -> service.verifyAccessToken(control.serialize())).doesNotThrowAnyException();
    }

    @Test
    void verifyAccessTokenWhenTokenClaimsAnotherPoolThenInvalid() throws Exception {
        service.jwks(POOL);
        String access = service.issue(subject(OTHER_POOL, "mallory"), CLIENT, signInTime)
                .accessToken();
        SignedJWT original = SignedJWT.parse(access);
        // re-sign nothing: claim POOL's issuer on a token signed by OTHER_POOL's access key
        JWTClaimsSet claims = new JWTClaimsSet.Builder(original.getJWTClaimsSet())
                .issuer(ENDPOINT + "/" + POOL)
                .build();
        String[] parts = access.split("\\.");
        String moved = parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];

        assertNotAuthorized(() -> service.verifyAccessToken(moved), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenIssuerIsNotExactlyOursThenInvalid() {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        JwtTokenService awsForm = new JwtTokenService(store, clock, JwtTokenService.awsIssuer("us-east-1"));

        assertNotAuthorized(() -> awsForm.verifyAccessToken(access), "Invalid Access Token");
    }

    @Test
    void verifyAccessTokenWhenPoolHasNoKeysThenInvalidAndNoKeysCreated() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        SignedJWT token = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("attacker")
                        .type(JOSEObjectType.JWT)
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(ENDPOINT + "/us-east-1_NoSuchPool")
                        .claim("token_use", "access")
                        .build());
        token.sign(new RSASSASigner(attacker));

        assertNotAuthorized(() -> service.verifyAccessToken(token.serialize()), "Invalid Access Token");
        assertThat(store.get(SigningKeyStore.TABLE, Key.of("us-east-1_NoSuchPool", "keys")))
                .isEmpty();
        assertNotAuthorized(() -> service.verifyAccessToken("garbage"), "Invalid Access Token");
        assertNotAuthorized(() -> service.verifyAccessToken(""), "Invalid Access Token");
    }

    @Test
    void reissueWhenRefreshedThenNewTokensKeepAuthTimeAndOriginJti() throws Exception {
        IssuedTokens first = service.issue(alice(), CLIENT, signInTime);
        clock.advance(Duration.ofMinutes(50));

        RefreshGrant grant = service.openRefreshToken(first.refresh().orElseThrow(), POOL, CLIENT.clientId());
        IssuedTokens second = service.reissue(alice(), CLIENT, grant);

        assertThat(grant.username()).isEqualTo(SUB);
        assertThat(grant.authTime()).isEqualTo(signInTime);
        assertThat(second.refresh()).isEmpty();
        JsonNode before = payload(first.accessToken());
        JsonNode after = payload(second.accessToken());
        assertThat(after.path("auth_time").asLong())
                .isEqualTo(before.path("auth_time").asLong());
        assertThat(after.path("origin_jti").asText())
                .isEqualTo(before.path("origin_jti").asText());
        assertThat(payload(second.idToken()).path("origin_jti").asText())
                .isEqualTo(before.path("origin_jti").asText());
        assertThat(after.path("jti").asText()).isNotEqualTo(before.path("jti").asText());
        assertThat(after.path("iat").asLong()).isEqualTo(before.path("iat").asLong() + 3000);
        assertThat(after.path("exp").asLong()).isEqualTo(before.path("exp").asLong() + 3000);
        clock.advance(Duration.ofMinutes(30));
        assertThat(service.verifyAccessToken(second.accessToken()).originJti()).isEqualTo(grant.originJti());
    }

    @Test
    void revokeWhenRefreshTokenRevokedThenRefreshAndAccessTokensRejected() {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);
        String refresh = tokens.refresh().orElseThrow();
        IssuedTokens reissued =
                service.reissue(alice(), CLIENT, service.openRefreshToken(refresh, POOL, CLIENT.clientId()));
        IssuedTokens otherSession = service.issue(alice(), CLIENT, signInTime);

        service.revoke(refresh, POOL, CLIENT.clientId());

        assertNotAuthorized(
                () -> service.openRefreshToken(refresh, POOL, CLIENT.clientId()), "Refresh Token has been revoked");
        assertNotAuthorized(() -> service.verifyAccessToken(tokens.accessToken()), "Access Token has been revoked");
        assertNotAuthorized(() -> service.verifyAccessToken(reissued.accessToken()), "Access Token has been revoked");
        assertThatCode(() -> service.verifyAccessToken(otherSession.accessToken()))
                .doesNotThrowAnyException();
    }

    @Test
    void revokeWhenTokenOfAnotherClientOrGarbageThenIgnored() {
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);
        String refresh = tokens.refresh().orElseThrow();

        service.revoke(refresh, POOL, OTHER_CLIENT.clientId());
        service.revoke(refresh, OTHER_POOL, CLIENT.clientId());
        service.revoke("garbage", POOL, CLIENT.clientId());
        service.revoke(tokens.accessToken(), POOL, CLIENT.clientId());
        service.revoke(refresh, "not a pool id", CLIENT.clientId());

        assertThatCode(() -> service.openRefreshToken(refresh, POOL, CLIENT.clientId()))
                .doesNotThrowAnyException();
        assertThatCode(() -> service.verifyAccessToken(tokens.accessToken())).doesNotThrowAnyException();
    }

    @Test
    void revokeAllWhenGlobalSignOutThenEverySessionOfThatUserOnlyEnds() {
        IssuedTokens laptop = service.issue(subject(POOL, "alice"), CLIENT, signInTime);
        IssuedTokens phone = service.issue(subject(POOL, "alice"), OTHER_CLIENT, signInTime);
        IssuedTokens bob = service.issue(subject(POOL, "bob"), CLIENT, signInTime);
        IssuedTokens alice2 = service.issue(subject(POOL, "alice2"), CLIENT, signInTime);
        IssuedTokens aliceElsewhere = service.issue(subject(OTHER_POOL, "alice"), CLIENT, signInTime);

        service.revokeAll(POOL, "alice");

        assertNotAuthorized(() -> service.verifyAccessToken(laptop.accessToken()), "Access Token has been revoked");
        assertNotAuthorized(() -> service.verifyAccessToken(phone.accessToken()), "Access Token has been revoked");
        assertNotAuthorized(
                () -> service.openRefreshToken(laptop.refresh().orElseThrow(), POOL, CLIENT.clientId()),
                "Refresh Token has been revoked");
        assertNotAuthorized(
                () -> service.openRefreshToken(phone.refresh().orElseThrow(), POOL, OTHER_CLIENT.clientId()),
                "Refresh Token has been revoked");
        for (IssuedTokens untouched : List.of(bob, alice2, aliceElsewhere)) {
            assertThatCode(() -> service.verifyAccessToken(untouched.accessToken()))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void revokeAllWhenManySessionsThenEndsThemAcrossPages() {
        List<IssuedTokens> sessions = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            sessions.add(service.issue(subject(POOL, "busy"), CLIENT, signInTime));
        }

        service.revokeAll(POOL, "busy");

        assertNotAuthorized(
                () -> service.verifyAccessToken(sessions.get(0).accessToken()), "Access Token has been revoked");
        assertNotAuthorized(
                () -> service.verifyAccessToken(sessions.get(229).accessToken()), "Access Token has been revoked");
    }

    @Test
    void openRefreshTokenWhenTamperedThenInvalid() {
        String refresh = service.issue(alice(), CLIENT, signInTime).refresh().orElseThrow();
        String[] parts = refresh.split("\\.");
        char[] ciphertext = parts[3].toCharArray();
        ciphertext[5] = ciphertext[5] == 'A' ? 'B' : 'A';
        String tampered = String.join(".", parts[0], parts[1], parts[2], new String(ciphertext), parts[4]);

        assertNotAuthorized(() -> service.openRefreshToken(tampered, POOL, CLIENT.clientId()), "Invalid Refresh Token");
        assertNotAuthorized(
                () -> service.openRefreshToken("a.b.c.d.e", POOL, CLIENT.clientId()), "Invalid Refresh Token");
        assertNotAuthorized(
                () -> service.openRefreshToken("garbage", POOL, CLIENT.clientId()), "Invalid Refresh Token");
    }

    @Test
    void openRefreshTokenWhenForAnotherPoolOrClientThenRejected() {
        service.jwks(OTHER_POOL);
        String refresh = service.issue(alice(), CLIENT, signInTime).refresh().orElseThrow();

        assertNotAuthorized(
                () -> service.openRefreshToken(refresh, OTHER_POOL, CLIENT.clientId()), "Invalid Refresh Token");
        assertNotAuthorized(
                () -> service.openRefreshToken(refresh, OTHER_POOL.replace("Other", "Absent"), CLIENT.clientId()),
                "Invalid Refresh Token");
        assertNotAuthorized(
                () -> service.openRefreshToken(refresh, POOL, OTHER_CLIENT.clientId()),
                "Refresh Token has different Client");
    }

    @Test
    void openRefreshTokenWhenThirtyDaysPassedThenExpired() {
        String refresh = service.issue(alice(), CLIENT, signInTime).refresh().orElseThrow();

        clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertThatCode(() -> service.openRefreshToken(refresh, POOL, CLIENT.clientId()))
                .doesNotThrowAnyException();
        clock.advance(Duration.ofSeconds(1));
        assertNotAuthorized(
                () -> service.openRefreshToken(refresh, POOL, CLIENT.clientId()), "Refresh Token has expired");
    }

    @Test
    void verifyWhenSecondInstanceOverSameStoreThenItAcceptsAndRevokesTheFirstsTokens() {
        JwtTokenService other = TestRsaKeys.tokenService(store, clock, issuer);
        IssuedTokens tokens = service.issue(alice(), CLIENT, signInTime);

        assertThat(other.verifyAccessToken(tokens.accessToken()).username()).isEqualTo(SUB);
        RefreshGrant grant = other.openRefreshToken(tokens.refresh().orElseThrow(), POOL, CLIENT.clientId());
        assertThat(other.jwks(POOL)).isEqualTo(service.jwks(POOL));
        IssuedTokens reissued = other.reissue(alice(), CLIENT, grant);
        assertThat(service.verifyAccessToken(reissued.accessToken()).originJti())
                .isEqualTo(grant.originJti());

        other.revokeAll(POOL, SUB);
        assertNotAuthorized(() -> other.verifyAccessToken(tokens.accessToken()), "Access Token has been revoked");
        // the first instance read the session for the reissued token: it sees the revocation within its 500 ms cache
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L && accepts(service, tokens.accessToken())) {
            Thread.onSpinWait();
        }
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        assertNotAuthorized(() -> service.verifyAccessToken(tokens.accessToken()), "Access Token has been revoked");
    }

    private static boolean accepts(TokenService tokens, String accessToken) {
        try {
            tokens.verifyAccessToken(accessToken);
            return true;
        } catch (ServiceException e) {
            return false;
        }
    }

    @Test
    void jwksWhenTwoNodesCreateKeysAtOnceThenBothPublishOneKeySet() throws Exception {
        JwtTokenService other = TestRsaKeys.tokenService(store, clock, issuer);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> first = () -> {
                start.await();
                return service.jwks(POOL);
            };
            Callable<String> second = () -> {
                start.await();
                return other.jwks(POOL);
            };
            Future<String> a = pool.submit(first);
            Future<String> b = pool.submit(second);
            start.countDown();
            assertThat(a.get()).isEqualTo(b.get());
        } finally {
            pool.shutdownNow();
        }
        String access = other.issue(alice(), CLIENT, signInTime).accessToken();
        assertThatCode(() -> service.verifyAccessToken(access)).doesNotThrowAnyException();
    }

    @Test
    void rotateKeysWhenRotatedThenNewKidSignsAndOldTokensStillVerify() throws Exception {
        JwtTokenService other = TestRsaKeys.tokenService(store, clock, issuer);
        IssuedTokens before = service.issue(alice(), CLIENT, signInTime);
        other.verifyAccessToken(before.accessToken());

        service.rotateKeys(POOL);
        IssuedTokens after = service.issue(alice(), CLIENT, signInTime);

        String oldKid = SignedJWT.parse(before.accessToken()).getHeader().getKeyID();
        String newKid = SignedJWT.parse(after.accessToken()).getHeader().getKeyID();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(JSON.readTree(service.jwks(POOL)).findValuesAsText("kid"))
                .hasSize(4)
                .contains(oldKid, newKid);
        assertThat(verifiesWithJwks(SignedJWT.parse(after.idToken()))).isTrue();
        assertThatCode(() -> service.verifyAccessToken(before.accessToken())).doesNotThrowAnyException();
        assertThatCode(() -> service.openRefreshToken(before.refresh().orElseThrow(), POOL, CLIENT.clientId()))
                .doesNotThrowAnyException();
        // the other node learns the new kid when it meets it, once its cached copy is old enough to re-read
        clock.advance(SigningKeyStore.MIN_RELOAD_INTERVAL);
        assertThatCode(() -> other.verifyAccessToken(after.accessToken())).doesNotThrowAnyException();
        assertThatCode(() -> other.openRefreshToken(after.refresh().orElseThrow(), POOL, CLIENT.clientId()))
                .doesNotThrowAnyException();
    }

    @Test
    void rotateKeysWhenOtherNodeRefreshedJustBeforeThenItVerifiesNewTokensAtOnceAndPublishesWithinTheCacheTtl()
            throws Exception {
        JwtTokenService other = TestRsaKeys.tokenService(store, clock, issuer);
        other.verifyAccessToken(service.issue(alice(), CLIENT, signInTime).accessToken());
        clock.advance(JwtTokenService.DEFAULT_KEY_CACHE_TTL);
        // the other node's cached copy is old: this refreshes it, a moment before the rotation
        other.verifyAccessToken(service.issue(alice(), CLIENT, signInTime).accessToken());

        service.rotateKeys(POOL);
        IssuedTokens after = service.issue(alice(), CLIENT, signInTime);
        String newKid = SignedJWT.parse(after.accessToken()).getHeader().getKeyID();

        assertThatCode(() -> other.verifyAccessToken(after.accessToken())).doesNotThrowAnyException();
        clock.advance(JwtTokenService.DEFAULT_KEY_CACHE_TTL);
        assertThat(JSON.readTree(other.jwks(POOL)).findValuesAsText("kid")).contains(newKid);
    }

    @Test
    void rotateKeysWhenRotatedOftenThenKeepsTwoPreviousSigningKeysPerPurpose() throws Exception {
        service.jwks(POOL);
        for (int i = 0; i < 4; i++) {
            service.rotateKeys(POOL);
        }

        assertThat(JSON.readTree(service.jwks(POOL)).path("keys")).hasSize(6);
    }

    @Test
    void verifyAccessTokenWhenForgedKidsRepeatThenStoreIsReadAtMostOncePerInterval() throws Exception {
        String access = service.issue(alice(), CLIENT, signInTime).accessToken();
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        int readsBefore = store.reads();
        for (int i = 0; i < 20; i++) {
            SignedJWT forged = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + i).build(),
                    SignedJWT.parse(access).getJWTClaimsSet());
            forged.sign(new RSASSASigner(attacker));
            assertNotAuthorized(() -> service.verifyAccessToken(forged.serialize()), "Invalid Access Token");
        }

        assertThat(store.reads() - readsBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void keysWhenKeyEncryptionKeySetThenStoredEncryptedAndReadableOnlyWithThatKey() {
        SecretKey kek = new SecretKeySpec(new byte[32], "AES");
        JwtTokenService encrypting = new JwtTokenService(store, clock, issuer, kek);
        IssuedTokens tokens = encrypting.issue(alice(), CLIENT, signInTime);

        Item stored = store.get(SigningKeyStore.TABLE, Key.of(POOL, "keys")).orElseThrow();
        assertThat(stored.attribute("protection")).contains("TINK");
        // base64 of a PKCS#8 RSA key starts with MII; encrypted material must not show it
        assertThat(stored.attribute("keys").orElseThrow()).doesNotContain("\"MII");
        JwtTokenService sameKey = new JwtTokenService(store, clock, issuer, new SecretKeySpec(new byte[32], "AES"));
        assertThat(sameKey.verifyAccessToken(tokens.accessToken()).username()).isEqualTo(SUB);
        byte[] otherBytes = new byte[32];
        otherBytes[0] = 1;
        JwtTokenService wrongKey = new JwtTokenService(store, clock, issuer, new SecretKeySpec(otherBytes, "AES"));
        assertThatThrownBy(() -> wrongKey.jwks(POOL)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> service.jwks(POOL)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> new JwtTokenService(store, clock, issuer, new SecretKeySpec(new byte[16], "AES")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotateKeysWhenKeyEncryptionKeyAddedLaterThenClearSetStillReadAndEncryptedOnRotation() {
        IssuedTokens before = service.issue(alice(), CLIENT, signInTime);
        JwtTokenService encrypting = new JwtTokenService(store, clock, issuer, new SecretKeySpec(new byte[32], "AES"));

        assertThatCode(() -> encrypting.verifyAccessToken(before.accessToken())).doesNotThrowAnyException();
        encrypting.rotateKeys(POOL);

        assertThat(store.get(SigningKeyStore.TABLE, Key.of(POOL, "keys"))
                        .orElseThrow()
                        .attribute("protection"))
                .contains("TINK");
        clock.advance(SigningKeyStore.MIN_RELOAD_INTERVAL);
        assertThatCode(() -> encrypting.verifyAccessToken(before.accessToken())).doesNotThrowAnyException();
    }

    private boolean verifiesWithJwks(SignedJWT jwt) throws Exception {
        RSAKey key = JWKSet.parse(service.jwks(POOL))
                .getKeyByKeyId(jwt.getHeader().getKeyID())
                .toRSAKey();
        return jwt.verify(new RSASSAVerifier(key));
    }

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64URL.from(jwt.split("\\.")[1]).decodeToString());
    }

    private static void assertNotAuthorized(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.error().code()).isEqualTo("NotAuthorizedException");
            assertThat(e.error().message()).isEqualTo(message);
        });
    }
}
