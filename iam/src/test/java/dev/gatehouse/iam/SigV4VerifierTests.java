package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.iam.SignatureException.Reason;
import dev.gatehouse.store.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Requests signed by the AWS SDK for Java v2 signer ({@code AwsV4HttpSigner}) verify; every tampering is refused. */
class SigV4VerifierTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final String ADMIN_KEY = "AKIAGATEHOUSEADMIN01";
    private static final String ADMIN_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TEMP_KEY = "ASIAGATEHOUSETEMP001";
    private static final String TEMP_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    private static final String TEMP_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token-1";
    private static final String OTHER_TEMP_KEY = "ASIAGATEHOUSETEMP002";
    private static final String OTHER_TEMP_SECRET = "Xk2Lq9Pz8Yw7Vu6Ts5Rq4Po3Nm2Lk1JiEXAMPLEK";
    private static final String OTHER_TEMP_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token-2";
    private static final Instant TEMP_EXPIRATION = NOW.plus(Duration.ofHours(1));
    private static final byte[] BODY = "{\"hello\":\"java\"}".getBytes(StandardCharsets.UTF_8);
    private static final URI API_URI = URI.create("http://127.0.0.1:9229/prod/items/a%20b?q=x%20y&a=1&a=0");

    private final InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
            .put(ADMIN_KEY, SigningCredential.permanent(SecretBytes.ofUtf8(ADMIN_SECRET), "admin"))
            .put(
                    TEMP_KEY,
                    SigningCredential.temporary(SecretBytes.ofUtf8(TEMP_SECRET), TEMP_EXPIRATION, "temp-user"),
                    TEMP_TOKEN)
            .put(
                    OTHER_TEMP_KEY,
                    SigningCredential.temporary(SecretBytes.ofUtf8(OTHER_TEMP_SECRET), TEMP_EXPIRATION, "other-user"),
                    OTHER_TEMP_TOKEN);

    // --- accepted -------------------------------------------------------------------------------------------------

    @Test
    void verifyWhenSdkSignedHeaderRequestThenCallerWithScopeAndPrincipal() throws SignatureException {
        SignedRequest request = signedPost(admin(), NOW, r -> {});

        VerifiedCaller<String> caller = verifier().verify(request);

        assertThat(caller.accessKeyId()).isEqualTo(ADMIN_KEY);
        assertThat(caller.principal()).isEqualTo("admin");
        assertThat(caller.scope()).isEqualTo(new CredentialScope("20260101", "us-east-1", "execute-api"));
        assertThat(caller.signedHeaders()).contains("host", "x-amz-date", "content-type");
        assertThat(caller.sessionToken()).isEmpty();
        assertThat(caller.presigned()).isFalse();
        assertThat(caller.signedAt()).isEqualTo(NOW);
    }

    @Test
    void verifyWhenSdkSignedHeaderRequestWithSessionTokenThenCallerWithToken() throws SignatureException {
        SignedRequest request = signedPost(temporary(), NOW, r -> {});

        VerifiedCaller<String> caller = verifier().verify(request);

        assertThat(caller.signedHeaders()).contains("x-amz-security-token");
        assertThat(caller.accessKeyId()).isEqualTo(TEMP_KEY);
        assertThat(caller.sessionToken()).contains(TEMP_TOKEN);
        assertThat(caller.principal()).isEqualTo("temp-user");
    }

    @Test
    void verifyWhenSdkPresignedUrlThenCaller() throws SignatureException {
        SignedRequest request = presignedGet(admin(), NOW.minusSeconds(60), Duration.ofMinutes(15));

        VerifiedCaller<String> caller = verifier().verify(request);

        assertThat(caller.presigned()).isTrue();
        assertThat(caller.accessKeyId()).isEqualTo(ADMIN_KEY);
        assertThat(caller.signedHeaders()).containsExactly("host");
    }

    @Test
    void verifyWhenSdkPresignedUrlWithSessionTokenThenCallerWithToken() throws SignatureException {
        SignedRequest request = presignedGet(temporary(), NOW.minusSeconds(60), Duration.ofMinutes(15));

        VerifiedCaller<String> caller = verifier().verify(request);

        assertThat(request.rawQuery()).contains("X-Amz-Security-Token=");
        assertThat(caller.sessionToken()).contains(TEMP_TOKEN);
        assertThat(caller.principal()).isEqualTo("temp-user");
    }

    @Test
    void verifyWhenSessionTokenSentButNotSignedThenCaller() throws SignatureException {
        // aws-api-gateway-cli-test signs with the temporary key and adds X-Amz-Security-Token after signing.
        SignedRequest signed = signedPost(AwsCredentialsIdentity.create(TEMP_KEY, TEMP_SECRET), NOW, r -> {});
        SignedRequest request = withHeader(signed, "x-amz-security-token", TEMP_TOKEN);

        VerifiedCaller<String> caller = verifier().verify(request);

        assertThat(caller.signedHeaders()).doesNotContain("x-amz-security-token");
        assertThat(caller.sessionToken()).contains(TEMP_TOKEN);
    }

    @Test
    void verifyWhenRequestTimeExactlyMaxSkewAwayThenCaller() throws SignatureException {
        SignedRequest request = signedPost(admin(), NOW, r -> {});

        assertThat(verifier(NOW.plus(Duration.ofMinutes(5))).verify(request).accessKeyId())
                .isEqualTo(ADMIN_KEY);
        assertThat(verifier(NOW.minus(Duration.ofMinutes(5))).verify(request).accessKeyId())
                .isEqualTo(ADMIN_KEY);
    }

    @Test
    void verifyWhenS3HeaderRequestWithUnsignedPayloadThenCaller() throws SignatureException {
        SdkHttpRequest put = SdkHttpRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(URI.create("http://127.0.0.1:9230/bucket/private/us-east-1%3Aabc/photo%201.png"))
                .build();
        SignedRequest signed = convert(
                AwsV4HttpSigner.create().sign(r -> base(r, admin(), put, BODY, "s3", NOW)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)),
                BODY);

        VerifiedCaller<String> caller = verifier("s3", "us-east-1", NOW).verify(signed);

        assertThat(caller.scope().service()).isEqualTo("s3");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"https", "http"}) // the SDK signs UNSIGNED-PAYLOAD over HTTPS, the empty-body hash over HTTP
    void verifyWhenS3PresignedUrlThenCaller(String scheme) throws SignatureException {
        SdkHttpRequest get = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(scheme + "://127.0.0.1:9230/bucket/public/a%20b.txt"))
                .build();
        SignedRequest signed = convert(
                AwsV4HttpSigner.create().sign(r -> base(r, temporary(), get, new byte[0], "s3", NOW)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(
                                AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10))),
                new byte[0]);

        VerifiedCaller<String> caller = verifier("s3", "us-east-1", NOW).verify(signed);

        assertThat(caller.presigned()).isTrue();
        assertThat(caller.principal()).isEqualTo("temp-user");
    }

    // --- tampering --------------------------------------------------------------------------------------------------

    @Test
    void verifyWhenMethodChangedThenSignatureMismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = new SignedRequest("PUT", signed.rawPath(), signed.rawQuery(), signed.headers(), BODY);

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenPathChangedThenSignatureMismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request =
                new SignedRequest("POST", "/prod/items/a%20c", signed.rawQuery(), signed.headers(), BODY);

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenQueryChangedThenSignatureMismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request =
                new SignedRequest("POST", signed.rawPath(), signed.rawQuery() + "&admin=true", signed.headers(), BODY);

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenSignedHeaderValueChangedThenSignatureMismatch() {
        SignedRequest request = withHeader(signedPost(admin(), NOW, r -> {}), "content-type", "text/plain");

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenBodyChangedThenContentSha256Mismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = new SignedRequest(
                "POST",
                signed.rawPath(),
                signed.rawQuery(),
                signed.headers(),
                "{\"hello\":\"evil\"}".getBytes(StandardCharsets.UTF_8));

        assertFails(() -> verifier().verify(request), Reason.CONTENT_SHA256_MISMATCH);
    }

    @Test
    void verifyWhenBodyChangedWithoutContentSha256HeaderThenSignatureMismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        assertThat(signed.headers()).containsKey("x-amz-content-sha256");
        SignedRequest request = new SignedRequest(
                "POST",
                signed.rawPath(),
                signed.rawQuery(),
                withoutHeader(signed.headers(), "x-amz-content-sha256"),
                "{\"hello\":\"evil\"}".getBytes(StandardCharsets.UTF_8));

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenSignatureChangedThenSignatureMismatch() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        String authorization = signed.header("authorization").orElseThrow();
        char last = authorization.charAt(authorization.length() - 1);
        SignedRequest request = withHeader(
                signed,
                "authorization",
                authorization.substring(0, authorization.length() - 1) + (last == 'a' ? 'b' : 'a'));

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.getMessage())
                    .isEqualTo("The request signature we calculated does not match the signature you "
                            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
                            + "details.");
            // What the verifier computed, kept out of the message (it holds the signed header values).
            String canonical = e.canonicalRequest().orElseThrow();
            assertThat(canonical)
                    .startsWith("POST\n/prod/items/a%2520b\na=0&a=1&q=x%20y\n")
                    .contains("\nhost:")
                    .endsWith("\n" + SigV4Signing.sha256Hex(request.body()));
            assertThat(e.stringToSign().orElseThrow())
                    .startsWith("AWS4-HMAC-SHA256\n")
                    .endsWith("\n" + SigV4Signing.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)));
            assertThat(e.getMessage()).doesNotContain(canonical);
        });
    }

    @Test
    void verifyWhenAnyOneBitOfAnySignedHeaderFlippedThenRefused() throws SignatureException {
        SignedRequest signed = signedPost(temporary(), NOW, r -> {});
        SigV4Verifier<String> verifier = verifier();
        assertThat(verifier.verify(signed).principal()).isEqualTo("temp-user");

        for (String name : List.of(
                "host",
                "x-amz-date",
                "x-amz-security-token",
                "x-amz-content-sha256",
                "content-type",
                "authorization")) {
            String value = signed.header(name).orElseThrow();
            for (int i = 0; i < value.length(); i++) {
                for (int bit : new int[] {0x01, 0x02, 0x04, 0x40}) {
                    String flipped = value.substring(0, i) + (char) (value.charAt(i) ^ bit) + value.substring(i + 1);
                    SignedRequest request = withHeader(signed, name, flipped);
                    assertThatThrownBy(() -> verifier.verify(request))
                            .as(name + " char " + i + " bit " + bit)
                            .isInstanceOf(SignatureException.class);
                }
            }
        }
    }

    @Test
    void verifyWhenSignedHeaderRepeatedThenValuesJoinedInOrderAndSwappedOrderRefused() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.put("content-type", List.of("application/json", "text/plain"));
        SignedRequest twice = new SignedRequest("POST", signed.rawPath(), signed.rawQuery(), headers, signed.body());

        assertThatThrownBy(() -> verifier().verify(twice)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.canonicalRequest().orElseThrow()).contains("\ncontent-type:application/json,text/plain\n");
        });
    }

    @Test
    void verifyWhenFailureOtherThanMismatchThenNoCanonicalStrings() {
        SignedRequest request = signedPost(admin(), Instant.parse("2026-01-01T00:04:00Z"), r -> {});

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isNotEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.canonicalRequest()).isEmpty();
            assertThat(e.stringToSign()).isEmpty();
        });
    }

    @Test
    void verifyWhenRequestSixMinutesOldThenSignatureExpired() {
        SignedRequest request = signedPost(admin(), Instant.parse("2026-01-01T00:04:00Z"), r -> {});

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_EXPIRED);
            assertThat(e.getMessage())
                    .isEqualTo(
                            "Signature expired: 20260101T000400Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)");
        });
    }

    @Test
    void verifyWhenRequestSixMinutesAheadThenSignatureNotYetCurrent() {
        SignedRequest request = signedPost(admin(), Instant.parse("2026-01-01T00:16:00Z"), r -> {});

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_NOT_YET_CURRENT);
            assertThat(e.getMessage())
                    .isEqualTo("Signature not yet current: 20260101T001600Z is still later than "
                            + "20260101T001500Z (20260101T001000Z + 5 min.)");
        });
    }

    @Test
    void verifyWhenScopedToOtherRegionThenWrongRegion() {
        SignedRequest request = signedPost(admin(), NOW, r -> {});

        assertThatThrownBy(() -> verifier("execute-api", "eu-west-1", NOW).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_REGION);
                    assertThat(e.getMessage())
                            .isEqualTo("Credential should be scoped to a valid region, not 'us-east-1'. ");
                });
    }

    @Test
    void verifyWhenScopedToOtherServiceThenWrongService() {
        SignedRequest request = signedPost(admin(), NOW, r -> {});

        assertThatThrownBy(() -> verifier("cognito-idp", "us-east-1", NOW).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_SERVICE);
                    assertThat(e.getMessage())
                            .isEqualTo("Credential should be scoped to correct service: 'cognito-idp'. ");
                });
    }

    @Test
    void verifyWhenRegionAndServiceWrongThenOneMessageNamesBoth() {
        SignedRequest request = signedPost(admin(), NOW, r -> {});

        assertThatThrownBy(() -> verifier("cognito-idp", "eu-west-1", NOW).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_REGION);
                    assertThat(e.getMessage())
                            .isEqualTo("Credential should be scoped to a valid region, not 'us-east-1'. "
                                    + "Credential should be scoped to correct service: 'cognito-idp'. ");
                });
    }

    @Test
    void verifyWhenTerminatorChangedThenWrongTerminator() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = withHeader(
                signed,
                "authorization",
                signed.header("authorization").orElseThrow().replace("/aws4_request,", "/aws5_request,"));

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.WRONG_TERMINATOR);
            assertThat(e.getMessage())
                    .isEqualTo(
                            "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ");
        });
    }

    @Test
    void verifyWhenScopeDateDiffersFromRequestDateThenScopeDateMismatch() {
        Instant justAfterMidnight = Instant.parse("2026-01-01T00:02:00Z");
        SignedRequest signed = signedPost(admin(), justAfterMidnight, r -> {});
        SignedRequest request = withHeader(signed, "x-amz-date", "20251231T235900Z");

        assertThatThrownBy(() -> verifier(justAfterMidnight).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCOPE_DATE_MISMATCH);
                    assertThat(e.getMessage())
                            .isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                                    + "of date from HTTP: '20260101' != '20251231', from '20251231T235900Z'.");
                });
    }

    @Test
    void verifyWhenAccessKeyUnknownThenUnknownAccessKey() {
        SignedRequest request =
                signedPost(AwsCredentialsIdentity.create("AKIAUNKNOWNUNKNOWN01", ADMIN_SECRET), NOW, r -> {});

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ACCESS_KEY);
            assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
        });
    }

    @Test
    void verifyWhenUnsignedSessionTokenBelongsToAnotherKeyThenUnknownAccessKey() {
        SignedRequest signed = signedPost(AwsCredentialsIdentity.create(TEMP_KEY, TEMP_SECRET), NOW, r -> {});
        SignedRequest request = withHeader(signed, "x-amz-security-token", OTHER_TEMP_TOKEN);

        assertFails(() -> verifier().verify(request), Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void verifyWhenTemporaryKeyWithoutSessionTokenThenUnknownAccessKey() {
        SignedRequest request = signedPost(AwsCredentialsIdentity.create(TEMP_KEY, TEMP_SECRET), NOW, r -> {});

        assertFails(() -> verifier().verify(request), Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void verifyWhenLongTermKeyWithSessionTokenThenUnknownAccessKey() {
        SignedRequest request =
                signedPost(AwsSessionCredentialsIdentity.create(ADMIN_KEY, ADMIN_SECRET, TEMP_TOKEN), NOW, r -> {});

        assertFails(() -> verifier().verify(request), Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void verifyWhenTemporaryCredentialsExpiredThenExpiredToken() {
        Instant later = TEMP_EXPIRATION;
        SignedRequest request = signedPost(temporary(), later, r -> {});

        assertThatThrownBy(() -> verifier(later).verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.EXPIRED_TOKEN);
                    assertThat(e.getMessage()).isEqualTo("The security token included in the request is expired");
                });
    }

    @Test
    void verifyWhenPresignedUrlUsedAfterExpiryThenPresignExpired() {
        SignedRequest request = presignedGet(admin(), NOW.minus(Duration.ofMinutes(16)), Duration.ofMinutes(15));

        assertFails(() -> verifier().verify(request), Reason.PRESIGN_EXPIRED);
    }

    @Test
    void verifyWhenPresignedUrlUsedAtExactExpiryThenCaller() throws SignatureException {
        SignedRequest request = presignedGet(admin(), NOW.minus(Duration.ofMinutes(15)), Duration.ofMinutes(15));

        assertThat(verifier().verify(request).presigned()).isTrue();
    }

    @Test
    void verifyWhenPresignedUrlQueryChangedThenSignatureMismatch() {
        SignedRequest signed = presignedGet(admin(), NOW, Duration.ofMinutes(15));
        SignedRequest request = new SignedRequest(
                "GET",
                signed.rawPath(),
                signed.rawQuery().replace("q=x%20y", "q=x%20z"),
                signed.headers(),
                new byte[0]);

        assertFails(() -> verifier().verify(request), Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void verifyWhenPresignedUrlExpiresBeyondSevenDaysThenAuthorizationQueryParameters() {
        SignedRequest signed = presignedGet(admin(), NOW, Duration.ofMinutes(15));
        SignedRequest request = new SignedRequest(
                "GET",
                signed.rawPath(),
                signed.rawQuery().replace("X-Amz-Expires=900", "X-Amz-Expires=604801"),
                signed.headers(),
                new byte[0]);

        assertFails(() -> verifier().verify(request), Reason.AUTHORIZATION_QUERY_PARAMETERS);
    }

    @Test
    void verifyWhenPresignedUrlAlsoHasAuthorizationHeaderThenAmbiguousAuthentication() {
        SignedRequest signed = presignedGet(admin(), NOW, Duration.ofMinutes(15));
        SignedRequest request = withHeader(
                signed,
                "authorization",
                signedPost(admin(), NOW, r -> {}).header("authorization").orElseThrow());

        assertFails(() -> verifier().verify(request), Reason.AMBIGUOUS_AUTHENTICATION);
    }

    @Test
    void verifyWhenUnsignedThenMissingAuthentication() {
        SignedRequest request = new SignedRequest("POST", "/", "", Map.of("host", List.of("127.0.0.1:9229")), BODY);

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MISSING_AUTHENTICATION);
            assertThat(e.getMessage()).isEqualTo("Missing Authentication Token");
        });
    }

    @Test
    void verifyWhenBearerTokenInsteadOfSignatureThenIncompleteSignature() {
        SignedRequest request = new SignedRequest(
                "GET",
                "/",
                "",
                Map.of("host", List.of("127.0.0.1:9229"), "authorization", List.of("Bearer eyJraWQiOi.x.y")),
                new byte[0]);

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
            assertThat(e.getMessage())
                    .isEqualTo("Authorization header requires 'Credential' parameter. "
                            + "Authorization header requires 'Signature' parameter. "
                            + "Authorization header requires 'SignedHeaders' parameter. "
                            + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        });
    }

    @Test
    void verifyWhenAuthorizationHasNoSpacesAfterCommasThenCaller() throws SignatureException {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = withHeader(
                signed,
                "authorization",
                signed.header("authorization").orElseThrow().replace(", ", ","));

        assertThat(verifier().verify(request).accessKeyId()).isEqualTo(ADMIN_KEY);
    }

    @Test
    void verifyWhenDateMalformedThenMalformedDate() {
        SignedRequest request = withHeader(signedPost(admin(), NOW, r -> {}), "x-amz-date", "2026-01-01T00:10:00Z");

        assertFails(() -> verifier().verify(request), Reason.MALFORMED_DATE);
    }

    @Test
    void verifyWhenAlgorithmUnsupportedThenUnsupportedAlgorithm() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = withHeader(
                signed,
                "authorization",
                signed.header("authorization").orElseThrow().replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"));

        assertFails(() -> verifier().verify(request), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void verifyWhenHostNotSignedThenHostNotSigned() {
        SignedRequest signed = signedPost(admin(), NOW, r -> {});
        SignedRequest request = withHeader(
                signed,
                "authorization",
                signed.header("authorization").orElseThrow().replace("host;", ""));

        assertFails(() -> verifier().verify(request), Reason.HOST_NOT_SIGNED);
    }

    @Test
    void verifyWhenS3RequestHasUnsignedAmzHeaderThenUnsignedHeaders() {
        SdkHttpRequest get = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("http://127.0.0.1:9230/bucket/key"))
                .build();
        SignedRequest signed = convert(
                AwsV4HttpSigner.create().sign(r -> base(r, admin(), get, new byte[0], "s3", NOW)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)),
                new byte[0]);
        SignedRequest request = withHeader(signed, "x-amz-acl", "public-read");

        assertFails(() -> verifier("s3", "us-east-1", NOW).verify(request), Reason.UNSIGNED_HEADERS);
    }

    @Test
    void verifyWhenUnsignedPayloadOutsideS3ThenUnsupportedContentSha256() {
        SignedRequest request =
                withHeader(signedPost(admin(), NOW, r -> {}), "x-amz-content-sha256", "UNSIGNED-PAYLOAD");

        assertFails(() -> verifier().verify(request), Reason.UNSUPPORTED_CONTENT_SHA256);
    }

    // --- builder ----------------------------------------------------------------------------------------------------

    @Test
    void buildWhenServiceMissingThenIllegalState() {
        assertThatThrownBy(() -> SigV4Verifier.builder(keys).region("us-east-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("service must be set");
    }

    @Test
    void buildWhenSkewNotWholeMinutesThenIllegalState() {
        assertThatThrownBy(() -> SigV4Verifier.builder(keys)
                        .service("s3")
                        .region("us-east-1")
                        .maxClockSkew(Duration.ofSeconds(90))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxClockSkew must be a positive number of whole minutes, not PT1M30S");
    }

    @Test
    void verifyWhenFifteenMinuteSkewConfiguredThenMessageSaysFifteen() {
        SignedRequest request = signedPost(admin(), NOW.minus(Duration.ofMinutes(16)), r -> {});
        SigV4Verifier<String> verifier = SigV4Verifier.builder(keys)
                .service("execute-api")
                .region("us-east-1")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .maxClockSkew(Duration.ofMinutes(15))
                .build();

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.getMessage())
                        .endsWith("(20260101T001000Z - 15 min.)"));
    }

    @Test
    void verifyWhenSecretOfAKeyChangesThenOldSignaturesRefusedAndNewAccepted() throws SignatureException {
        String newSecret = "nEwSeCrEtXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE";
        SigV4Verifier<String> verifier = verifier();
        SignedRequest oldSigned = signedPost(admin(), NOW, r -> {});
        verifier.verify(oldSigned);

        keys.put(ADMIN_KEY, SigningCredential.permanent(SecretBytes.ofUtf8(newSecret), "admin"));

        assertFails(() -> verifier.verify(oldSigned), Reason.SIGNATURE_MISMATCH);
        assertThat(verifier.verify(signedPost(AwsCredentialsIdentity.create(ADMIN_KEY, newSecret), NOW, r -> {}))
                        .principal())
                .isEqualTo("admin");
    }

    @Test
    void verifyWhenSameKeySignsAnotherDayThenVerifiedWithThatDaysKey() throws SignatureException {
        MutableClock clock = MutableClock.at(NOW);
        SigV4Verifier<String> verifier = SigV4Verifier.builder(keys)
                .service("execute-api")
                .region("us-east-1")
                .clock(clock)
                .build();
        verifier.verify(signedPost(admin(), NOW, r -> {}));
        Instant nextDay = NOW.plus(Duration.ofDays(1));
        clock.set(nextDay);

        assertThat(verifier.verify(signedPost(admin(), nextDay, r -> {}))
                        .scope()
                        .date())
                .isEqualTo("20260102");
        assertFails(
                () -> verifier.verify(signedPost(admin(), NOW.plusSeconds(240), r -> {})), Reason.SIGNATURE_EXPIRED);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "20260101T001000Z",
                "20240229T235959Z",
                "00010101T000000Z",
                "20230229T000000Z",
                "20261301T000000Z",
                "20260101T240000Z",
                "20260101T235960Z",
                "20260431T000000Z",
                "2026010\u0661T000000Z",
                "+2026010T000000Z",
                "20260101t001000Z",
                "20260101T001000z",
                "20260101T0010000",
                "2026-01-01T00:10:00Z",
                ""
            })
    void parseBasicWhenAnyValueThenSameAsStrictFormatter(String value) {
        java.util.Optional<Instant> expected;
        try {
            expected = java.util.Optional.of(java.time.LocalDateTime.parse(
                            value,
                            java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
                                    .withResolverStyle(java.time.format.ResolverStyle.STRICT))
                    .toInstant(ZoneOffset.UTC));
        } catch (java.time.format.DateTimeParseException e) {
            expected = java.util.Optional.empty();
        }

        assertThat(AmzDates.parseBasic(value)).isEqualTo(expected);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private SigV4Verifier<String> verifier() {
        return verifier("execute-api", "us-east-1", NOW);
    }

    private SigV4Verifier<String> verifier(Instant now) {
        return verifier("execute-api", "us-east-1", now);
    }

    private SigV4Verifier<String> verifier(String service, String region, Instant now) {
        return SigV4Verifier.builder(keys)
                .service(service)
                .region(region)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    private static AwsCredentialsIdentity admin() {
        return AwsCredentialsIdentity.create(ADMIN_KEY, ADMIN_SECRET);
    }

    private static AwsCredentialsIdentity temporary() {
        return AwsSessionCredentialsIdentity.create(TEMP_KEY, TEMP_SECRET, TEMP_TOKEN);
    }

    private static SignedRequest signedPost(
            AwsCredentialsIdentity identity, Instant at, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        SdkHttpRequest post = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(API_URI)
                .putHeader("Content-Type", "application/json")
                .build();
        return convert(
                AwsV4HttpSigner.create().sign(r -> {
                    base(r, identity, post, BODY, "execute-api", at);
                    extra.accept(r);
                }),
                BODY);
    }

    private static SignedRequest presignedGet(AwsCredentialsIdentity identity, Instant at, Duration expiresIn) {
        SdkHttpRequest get =
                SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(API_URI).build();
        return convert(
                AwsV4HttpSigner.create().sign(r -> base(r, identity, get, new byte[0], "execute-api", at)
                        .putProperty(
                                AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiresIn)),
                new byte[0]);
    }

    private static SignRequest.Builder<AwsCredentialsIdentity> base(
            SignRequest.Builder<AwsCredentialsIdentity> r,
            AwsCredentialsIdentity identity,
            SdkHttpRequest request,
            byte[] body,
            String service,
            Instant at) {
        return r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** What the server would see on the wire for the SDK's signed request. */
    private static SignedRequest convert(
            software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed, byte[] body) {
        SdkHttpRequest request = signed.request();
        URI uri = request.getUri();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(uri.getHost() + ":" + uri.getPort()));
        return new SignedRequest(
                request.method().name(),
                uri.getRawPath(),
                uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                headers,
                body);
    }

    private static SignedRequest withHeader(SignedRequest request, String name, String value) {
        Map<String, List<String>> headers = withoutHeader(request.headers(), name);
        headers.put(name, List.of(value));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    private static Map<String, List<String>> withoutHeader(Map<String, List<String>> headers, String name) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.remove(name);
        return copy;
    }

    private static void assertFails(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                .isEqualTo(reason));
    }
}
