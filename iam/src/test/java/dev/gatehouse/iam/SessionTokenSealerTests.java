package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.crypto.Sealer;
import dev.gatehouse.store.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class SessionTokenSealerTests {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant EXPIRATION = NOW.plus(Duration.ofHours(1));
    private static final String IDENTITY = "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce";
    private static final String POOL = "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce";
    private static final String ROLE = "arn:aws:iam::123456789012:role/gatehouse-auth";
    private static final List<String> AMR = List.of(
            "authenticated",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab:CognitoSignIn:5e1c5d34-cf1e-4a3e-8d06-4c1c8e0a1b2c");

    private final SecureRandom random = new SecureRandom();
    private final byte[] key1 = randomKey();
    private final byte[] key2 = randomKey();
    private final SessionTokenSealer sealer = sealer(SessionTokenKeys.of("k1", Map.of("k1", key1)));

    @Test
    void openWhenIssuedThenSameCredentialsAndPrincipal() {
        TemporaryCredentials credentials = issue(sealer);

        OpenedSessionToken opened = sealer.open(credentials.sessionToken()).orElseThrow();

        assertThat(credentials.accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(credentials.secretKey()).hasSize(40);
        assertThat(credentials.expiration()).isEqualTo(EXPIRATION);
        assertThat(opened.secretKey().equalsSecretBytes(SecretBytes.ofUtf8(credentials.secretKey())))
                .isTrue();
        assertThat(opened.principal())
                .isEqualTo(new SessionPrincipal(
                        credentials.accessKeyId(), EXPIRATION, IDENTITY, POOL, ROLE, "123456789012", AMR));
        assertThat(opened.principal().assumedRoleArn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/gatehouse-auth/CognitoIdentityCredentials");
        assertThat(credentials.toString())
                .doesNotContain(credentials.secretKey())
                .doesNotContain(credentials.sessionToken());
    }

    @Test
    void conditionKeysWhenPolicyUsesIdentityVariablesThenOwnFolderAllowedOnly() {
        SessionPrincipal principal =
                sealer.open(issue(sealer).sessionToken()).orElseThrow().principal();
        Policy policy = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*\","
                + "\"Condition\":{\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":\"authenticated\"},"
                + "\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":\"" + POOL + "\"}}}]}");

        assertThat(PolicyEvaluator.evaluate(
                        List.of(policy), context(principal, "arn:aws:s3:::b/private/" + IDENTITY + "/x.png")))
                .isInstanceOf(Decision.Allow.class);
        assertThat(PolicyEvaluator.evaluate(
                        List.of(policy), context(principal, "arn:aws:s3:::b/private/us-east-1:someone-else/x.png")))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(principal.userId()).matches("AROA[A-Z2-7]{16}:CognitoIdentityCredentials");
    }

    @Test
    void openWhenRoleSessionIssuedThenPrincipalIsTheRoleSessionWithoutCognitoKeys() {
        TemporaryCredentials credentials = sealer.issueRoleSession(
                "arn:aws:iam::123456789012:role/app-ExecRole-X1", "123456789012", "app-Writer-ABC", EXPIRATION);

        SessionPrincipal principal =
                sealer.open(credentials.sessionToken()).orElseThrow().principal();

        assertThat(principal)
                .isEqualTo(SessionPrincipal.roleSession(
                        credentials.accessKeyId(),
                        EXPIRATION,
                        "arn:aws:iam::123456789012:role/app-ExecRole-X1",
                        "123456789012",
                        "app-Writer-ABC"));
        assertThat(principal.hasCognitoIdentity()).isFalse();
        assertThat(principal.assumedRoleArn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/app-ExecRole-X1/app-Writer-ABC");
        assertThat(principal.userId()).matches("AROA[A-Z2-7]{16}:app-Writer-ABC");
        assertThat(principal.conditionKeys())
                .doesNotContainKeys(
                        "cognito-identity.amazonaws.com:sub",
                        "cognito-identity.amazonaws.com:aud",
                        "cognito-identity.amazonaws.com:amr")
                .containsEntry("aws:PrincipalArn", List.of("arn:aws:iam::123456789012:role/app-ExecRole-X1"));
    }

    @Test
    void conditionKeysWhenRoleSessionAndPolicyNeedsAnIdentityThenDenied() {
        SessionPrincipal principal = sealer.open(sealer.issueRoleSession(ROLE, "123456789012", "fn", EXPIRATION)
                        .sessionToken())
                .orElseThrow()
                .principal();
        Policy policy = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringLike\":"
                + "{\"cognito-identity.amazonaws.com:sub\":\"*\"}}}]}");

        assertThat(PolicyEvaluator.evaluate(List.of(policy), context(principal, "arn:aws:s3:::b/x")))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void sessionPrincipalWhenIdentityWithAnotherSessionNameOrBadNameThenRejected() {
        assertThatThrownBy(() -> new SessionPrincipal(
                        "ASIAEXAMPLE000000001", EXPIRATION, IDENTITY, POOL, ROLE, "123456789012", AMR, "fn"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        SessionPrincipal.roleSession("ASIAEXAMPLE000000001", EXPIRATION, ROLE, "123456789012", "a/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        SessionPrincipal.roleSession("ASIAEXAMPLE000000001", EXPIRATION, ROLE, "123456789012", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openWhenIdentityTokenThenNoSessionNameSealedAndCognitoName() {
        SessionPrincipal principal =
                sealer.open(issue(sealer).sessionToken()).orElseThrow().principal();

        assertThat(principal.sessionName()).isEqualTo(SessionPrincipal.ROLE_SESSION_NAME);
        assertThat(principal.hasCognitoIdentity()).isTrue();
    }

    private static RequestContext context(SessionPrincipal principal, String resource) {
        RequestContext.Builder builder = RequestContext.builder("s3:GetObject", resource);
        principal.conditionKeys().forEach(builder::put);
        return builder.build();
    }

    @Test
    void sealWhenIssuedThenFormat2UnderActiveTinkKeyInBase64UrlAndShorterThanFormat1() {
        String idStoreKid = SessionTokenLegacyFormatTests.KEY_ID;
        SessionTokenSealer withStoreKid = sealer(SessionTokenKeys.of(idStoreKid, Map.of(idStoreKid, key1)));
        SessionPrincipal principal = new SessionPrincipal(
                "ASIAGATEHOUSE0EXAMPLE",
                Instant.parse("2026-03-01T13:00:00Z"),
                IDENTITY,
                POOL,
                ROLE,
                "123456789012",
                AMR);

        String token = withStoreKid.seal(principal, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        byte[] raw = Base64.getUrlDecoder().decode(token);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(raw[0]).isEqualTo((byte) 2);
        assertThat(Sealer.keyIdOf(raw, 1)).hasValue(Sealer.keyId(idStoreKid));
        String format1 = SessionTokenLegacyFormatTests.fixture("/legacy/session-token-v1.properties")
                .getProperty("token");
        assertThat(raw.length).isEqualTo(Base64.getUrlDecoder().decode(format1).length - 18);
    }

    @Test
    void openWhenSameInputsSealedTwiceThenDifferentTokens() {
        SessionPrincipal principal =
                new SessionPrincipal("ASIAAAAAAAAAAAAAAAAA", EXPIRATION, IDENTITY, POOL, ROLE, "123456789012", AMR);

        assertThat(sealer.seal(principal, "secret")).isNotEqualTo(sealer.seal(principal, "secret"));
    }

    @Test
    void openWhenAnyByteChangedThenEmpty() {
        byte[] raw = Base64.getUrlDecoder().decode(issue(sealer).sessionToken());
        for (int i = 0; i < raw.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] tampered = raw.clone();
                tampered[i] ^= (byte) bit;
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
                assertThat(sealer.open(token)).as("byte %d bit %x", i, bit).isEmpty();
            }
        }
    }

    @Test
    void openWhenTruncatedExtendedOrMalformedThenEmpty() {
        String token = issue(sealer).sessionToken();

        assertThat(sealer.open(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(sealer.open(token.substring(0, 20))).isEmpty();
        assertThat(sealer.open(token + "AA")).isEmpty();
        assertThat(sealer.open("")).isEmpty();
        assertThat(sealer.open("not base64 !")).isEmpty();
        assertThat(sealer.open("AQ")).isEmpty();
        assertThat(sealer.open("A".repeat(10_000))).isEmpty();
    }

    @Test
    void openWhenSealedUnderAnotherKeyWithSameIdThenEmpty() {
        SessionTokenSealer other = sealer(SessionTokenKeys.of("k1", Map.of("k1", key2)));

        assertThat(sealer.open(issue(other).sessionToken())).isEmpty();
    }

    @Test
    void openWhenKeyIdUnknownThenEmpty() {
        SessionTokenSealer other = sealer(SessionTokenKeys.of("k9", Map.of("k9", key1)));

        assertThat(sealer.open(issue(other).sessionToken())).isEmpty();
    }

    @Test
    void openWhenKeysRotatedThenOldTokensOpenAndNewTokensUseNewKey() {
        String old = issue(sealer).sessionToken();
        SessionTokenSealer rotated = sealer(SessionTokenKeys.of("k2", Map.of("k1", key1, "k2", key2)));
        String fresh = issue(rotated).sessionToken();

        assertThat(rotated.open(old)).isPresent();
        assertThat(rotated.open(fresh)).isPresent();
        assertThat(sealer.open(fresh)).isEmpty();
        SessionTokenSealer retired = sealer(SessionTokenKeys.of("k2", Map.of("k2", key2)));
        assertThat(retired.open(old)).isEmpty();
    }

    @Test
    void openWhenKeyUnknownThenReloadsSourceOnce() {
        List<SessionTokenKeys> reloads = new ArrayList<>();
        SessionTokenKeys before = SessionTokenKeys.of("k1", Map.of("k1", key1));
        SessionTokenKeys after = SessionTokenKeys.of("k2", Map.of("k1", key1, "k2", key2));
        SessionTokenSealer stale = new SessionTokenSealer(
                new SessionTokenKeySource() {
                    @Override
                    public SessionTokenKeys current() {
                        return reloads.isEmpty() ? before : after;
                    }

                    @Override
                    public SessionTokenKeys reload() {
                        reloads.add(after);
                        return after;
                    }
                },
                random);
        String token = issue(sealer(after)).sessionToken();

        assertThat(stale.open(token)).isPresent();
        assertThat(reloads).hasSize(1);
    }

    @Test
    void keysWhenMalformedThenRejected() {
        assertThatThrownBy(() -> SessionTokenKeys.of("k1", Map.of("k1", new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionTokenKeys.of("k 1", Map.of("k 1", key1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionTokenKeys.of("k2", Map.of("k1", key1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolveWhenTokenOfPresentedKeyThenTemporaryCredential() {
        TemporaryCredentials credentials = issue(sealer);
        SessionTokenCredentialResolver resolver = new SessionTokenCredentialResolver(sealer);

        SigningCredential<SessionPrincipal> credential = resolver.resolve(
                        credentials.accessKeyId(), credentials.sessionToken())
                .orElseThrow();

        assertThat(credential.expiration()).contains(EXPIRATION);
        assertThat(credential.principal().identityId()).isEqualTo(IDENTITY);
        assertThat(credential.secretKey().equalsSecretBytes(SecretBytes.ofUtf8(credentials.secretKey())))
                .isTrue();
    }

    @Test
    void resolveWhenTokenBoundToAnotherKeyOrMissingThenEmpty() {
        TemporaryCredentials mine = issue(sealer);
        TemporaryCredentials theirs = issue(sealer);
        SessionTokenCredentialResolver resolver = new SessionTokenCredentialResolver(sealer);

        assertThat(resolver.resolve(mine.accessKeyId(), theirs.sessionToken())).isEmpty();
        assertThat(resolver.resolve(mine.accessKeyId(), null)).isEmpty();
        assertThat(resolver.resolve("AKIA" + mine.accessKeyId().substring(4), mine.sessionToken()))
                .isEmpty();
        assertThat(resolver.resolve(mine.accessKeyId(), mine.sessionToken() + "x"))
                .isEmpty();
    }

    @Test
    void verifyWhenSdkSignsWithIssuedCredentialsThenCallerIsTheIdentity() throws SignatureException {
        TemporaryCredentials credentials = issue(sealer);
        SignedRequest request = signedGet(credentials, credentials.sessionToken(), NOW);

        VerifiedCaller<SessionPrincipal> caller = verifier(NOW.plusSeconds(30)).verify(request);

        assertThat(caller.principal().identityId()).isEqualTo(IDENTITY);
        assertThat(caller.principal().roleArn()).isEqualTo(ROLE);
        assertThat(caller.accessKeyId()).isEqualTo(credentials.accessKeyId());
    }

    @Test
    void verifyWhenCredentialsExpiredThenExpiredToken() {
        TemporaryCredentials credentials = issue(sealer);
        SignedRequest request = signedGet(credentials, credentials.sessionToken(), EXPIRATION);

        assertThatThrownBy(() -> verifier(EXPIRATION).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.EXPIRED_TOKEN));
    }

    @Test
    void verifyWhenAnotherIdentitysSessionTokenThenUnknownAccessKey() {
        TemporaryCredentials mine = issue(sealer);
        TemporaryCredentials theirs = issue(sealer);
        SignedRequest request = signedGet(mine, theirs.sessionToken(), NOW);

        assertThatThrownBy(() -> verifier(NOW).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.UNKNOWN_ACCESS_KEY));
    }

    private TemporaryCredentials issue(SessionTokenSealer s) {
        return s.issue(IDENTITY, POOL, ROLE, "123456789012", AMR, EXPIRATION);
    }

    private SessionTokenSealer sealer(SessionTokenKeys keys) {
        return new SessionTokenSealer(SessionTokenKeySource.fixed(keys), random);
    }

    private byte[] randomKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private SigV4Verifier<SessionPrincipal> verifier(Instant now) {
        return SigV4Verifier.builder(new SessionTokenCredentialResolver(sealer))
                .service("execute-api")
                .region("us-east-1")
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    private static SignedRequest signedGet(TemporaryCredentials credentials, String sessionToken, Instant at) {
        URI uri = URI.create("http://127.0.0.1:9231/private");
        SdkHttpRequest get =
                SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
        AwsSessionCredentialsIdentity identity =
                AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretKey(), sessionToken);
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
        return new SignedRequest("GET", uri.getRawPath(), "", headers, "".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openWhenOpenedBeforeThenSameContentsWithoutOpeningAgain() {
        SessionTokenSealer memo = new SessionTokenSealer(
                SessionTokenKeySource.fixed(SessionTokenKeys.of("k1", Map.of("k1", key1))),
                random,
                Clock.fixed(NOW, ZoneOffset.UTC));
        String token = issue(memo).sessionToken();

        OpenedSessionToken first = memo.open(token).orElseThrow();

        assertThat(memo.open(token)).containsSame(first);
    }

    @Test
    void openWhenAnyByteOfAnOpenedTokenChangedThenEmpty() {
        SessionTokenSealer memo = new SessionTokenSealer(
                SessionTokenKeySource.fixed(SessionTokenKeys.of("k1", Map.of("k1", key1))),
                random,
                Clock.fixed(NOW, ZoneOffset.UTC));
        String token = issue(memo).sessionToken();
        assertThat(memo.open(token)).isPresent();
        byte[] raw = Base64.getUrlDecoder().decode(token);

        for (int i = 0; i < raw.length; i++) {
            byte[] changed = raw.clone();
            changed[i] ^= 0x01;
            assertThat(memo.open(Base64.getUrlEncoder().withoutPadding().encodeToString(changed)))
                    .as("byte %d", i)
                    .isEmpty();
        }
        assertThat(memo.open(token + "A")).isEmpty();
    }

    @Test
    void openWhenKeyOfAnOpenedTokenRetiredThenEmpty() {
        SessionTokenKeys both = SessionTokenKeys.of("k2", Map.of("k1", key1, "k2", key2));
        SessionTokenKeys retired = SessionTokenKeys.of("k2", Map.of("k2", key2));
        AtomicReference<SessionTokenKeys> current = new AtomicReference<>(both);
        SessionTokenSealer memo = new SessionTokenSealer(
                new SessionTokenKeySource() {
                    @Override
                    public SessionTokenKeys current() {
                        return current.get();
                    }

                    @Override
                    public SessionTokenKeys reload() {
                        return current.get();
                    }
                },
                random,
                Clock.fixed(NOW, ZoneOffset.UTC));
        String old = issue(sealer).sessionToken();
        assertThat(memo.open(old)).isPresent();

        current.set(retired);

        assertThat(memo.open(old)).isEmpty();
    }

    @Test
    void verifyWhenOpenedTokenExpiresThenExpiredTokenAtThatInstant() throws SignatureException {
        MutableClock clock = MutableClock.at(NOW);
        SessionTokenSealer memo = new SessionTokenSealer(
                SessionTokenKeySource.fixed(SessionTokenKeys.of("k1", Map.of("k1", key1))), random, clock);
        TemporaryCredentials credentials = issue(memo);
        SigV4Verifier<SessionPrincipal> verifier = SigV4Verifier.builder(new SessionTokenCredentialResolver(memo))
                .service("execute-api")
                .region("us-east-1")
                .clock(clock)
                .build();
        verifier.verify(signedGet(credentials, credentials.sessionToken(), NOW));
        clock.set(EXPIRATION.minusSeconds(1));
        verifier.verify(signedGet(credentials, credentials.sessionToken(), clock.instant()));

        clock.set(EXPIRATION);

        assertThatThrownBy(() -> verifier.verify(signedGet(credentials, credentials.sessionToken(), clock.instant())))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(SignatureException.Reason.EXPIRED_TOKEN));
    }
}
