package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.Caller;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK v2 signer, and broken variants, against the admin authenticator. */
class AdminRequestAuthenticatorTests {

    // The example key pair from AWS's documentation.
    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Caller ADMIN = new Caller(KEY, "123456789012", "arn:aws:iam::123456789012:root");
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9229/");
    private static final byte[] BODY =
            "{\"UserPoolId\":\"us-east-1_AbC123xyz\",\"Username\":\"a\"}".getBytes(StandardCharsets.UTF_8);

    private final AdminRequestAuthenticator authenticator = new AdminRequestAuthenticator(
            new InMemoryCredentialResolver<Caller>()
                    .put(KEY, SigningCredential.permanent(SecretBytes.ofUtf8(SECRET), ADMIN)),
            "us-east-1",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void authenticateWhenSignedByAdminKeyThenCaller() {
        Caller caller = authenticator.authenticate(
                signed(KEY, SECRET, "us-east-1", "cognito-idp", NOW), "cognito-idp", "AdminGetUser");

        assertThat(caller).isEqualTo(ADMIN);
    }

    @Test
    void authenticateWhenUnsignedThenMissingAuthenticationToken() {
        AwsRequest unsigned = request(Map.of(
                "host",
                List.of("127.0.0.1:9229"),
                "x-amz-target",
                List.of("AWSCognitoIdentityProviderService.AdminGetUser")));

        assertError(unsigned, CommonErrors.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }

    @Test
    void authenticateWhenUnknownKeyThenUnrecognizedClient() {
        assertError(
                signed("AKIAUNKNOWNUNKNOWN01", SECRET, "us-east-1", "cognito-idp", NOW),
                CommonErrors.UNRECOGNIZED_CLIENT,
                "The security token included in the request is invalid.");
    }

    @Test
    void authenticateWhenWrongSecretThenInvalidSignatureMismatch() {
        assertError(
                signed(KEY, SECRET.replace('w', 'x'), "us-east-1", "cognito-idp", NOW),
                CommonErrors.INVALID_SIGNATURE,
                "The request signature we calculated does not match the signature you provided.");
    }

    @Test
    void authenticateWhenScopedToAnotherRegionThenInvalidSignatureNamingTheRegion() {
        assertError(signed(KEY, SECRET, "eu-west-1", "cognito-idp", NOW), CommonErrors.INVALID_SIGNATURE, "eu-west-1");
    }

    @Test
    void authenticateWhenScopedToAnotherServiceThenInvalidSignatureNamingTheService() {
        assertError(
                signed(KEY, SECRET, "us-east-1", "execute-api", NOW),
                CommonErrors.INVALID_SIGNATURE,
                "Credential should be scoped to correct service: 'cognito-idp'");
    }

    @Test
    void authenticateWhenSignedTenMinutesAgoThenSignatureExpired() {
        assertError(
                signed(KEY, SECRET, "us-east-1", "cognito-idp", NOW.minus(Duration.ofMinutes(10))),
                CommonErrors.INVALID_SIGNATURE,
                "Signature expired");
    }

    @Test
    void authenticateWhenBodyChangedAfterSigningThenInvalidSignature() {
        AwsRequest signed = signed(KEY, SECRET, "us-east-1", "cognito-idp", NOW);
        AwsRequest tampered = new AwsRequest(
                signed.method(),
                signed.rawPath(),
                signed.rawQuery(),
                signed.headers(),
                "{\"UserPoolId\":\"us-east-1_Other\"}".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "r-1");

        assertError(tampered, CommonErrors.INVALID_SIGNATURE, "does not match");
    }

    @Test
    void authenticateWhenAuthorizationMalformedThenIncompleteSignature() {
        AwsRequest malformed = request(Map.of(
                "host",
                List.of("127.0.0.1:9229"),
                "x-amz-date",
                List.of("20260101T000000Z"),
                "authorization",
                List.of("AWS4-HMAC-SHA256 Signature=abc")));

        assertError(malformed, CommonErrors.INCOMPLETE_SIGNATURE, "");
    }

    @ParameterizedTest
    @EnumSource(SignatureException.Reason.class)
    void jsonErrorCodeWhenAnyReasonThenOneOfTheAwsJsonSignatureErrors(SignatureException.Reason reason) {
        assertThat(reason.jsonErrorCode())
                .isIn(
                        CommonErrors.MISSING_AUTHENTICATION_TOKEN,
                        CommonErrors.INCOMPLETE_SIGNATURE,
                        CommonErrors.INVALID_SIGNATURE,
                        CommonErrors.UNRECOGNIZED_CLIENT,
                        CommonErrors.EXPIRED_TOKEN);
    }

    private void assertError(AwsRequest request, String code, String messagePart) {
        assertThatThrownBy(() -> authenticator.authenticate(request, "cognito-idp", "AdminGetUser"))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(code);
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().message()).contains(messagePart).doesNotContain(SECRET);
                });
    }

    private static AwsRequest request(Map<String, List<String>> headers) {
        return new AwsRequest("POST", "/", "", headers, BODY, "127.0.0.1", "r-1");
    }

    /** What the server receives for an SDK-signed AdminGetUser call. */
    private static AwsRequest signed(String key, String secret, String region, String service, Instant at) {
        SdkHttpRequest post = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(ENDPOINT)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(key, secret))
                        .request(post)
                        .payload(ContentStreamProvider.fromByteArray(BODY))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of("127.0.0.1:9229"));
        return request(headers);
    }
}
