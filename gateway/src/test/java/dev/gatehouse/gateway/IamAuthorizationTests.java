package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigningCredential;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** AWS_IAM routes with requests signed by the AWS SDK for Java v2 signer ({@code AwsV4HttpSigner}). */
class IamAuthorizationTests {

    private static final Instant NOW = Instant.parse("2026-03-12T19:03:58Z");
    private static final String ACCOUNT = "123456789012";
    private static final String KEY = "ASIAEXAMPLEKEY000001";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "session-token-of-alice";
    private static final String OTHER_KEY = "ASIAEXAMPLEKEY000002";
    private static final String OTHER_TOKEN = "session-token-of-bob";
    private static final String EXPIRED_KEY = "ASIAEXAMPLEKEY000003";
    private static final String IDENTITY = "us-east-1:11111111-2222-3333-4444-555555555555";
    private static final String POOL = "us-east-1:99999999-8888-7777-6666-555555555555";
    private static final String ROLE_ARN =
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/AuthRole/CognitoIdentityCredentials";

    private final MutableClock clock = MutableClock.at(NOW.toString());
    private final AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
    private final InMemoryCredentialResolver<IamPrincipal> resolver = new InMemoryCredentialResolver<>();
    private final Gateway gateway;

    IamAuthorizationTests() {
        Policy allowApi = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\","
                + "\"Resource\":\"arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*/DELETE/*\"}]}");
        Policy ownFolder = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*/GET/"
                + "files/${cognito-identity.amazonaws.com:sub}\"}]}");
        resolver.put(
                KEY,
                SigningCredential.temporary(
                        SecretBytes.ofUtf8(SECRET),
                        NOW.plus(Duration.ofHours(1)),
                        principal(KEY, IDENTITY, List.of(allowApi, ownFolder))),
                TOKEN);
        resolver.put(
                OTHER_KEY,
                SigningCredential.temporary(
                        SecretBytes.ofUtf8(SECRET),
                        NOW.plus(Duration.ofHours(1)),
                        principal(OTHER_KEY, "us-east-1:other", List.of(ownFolder))),
                OTHER_TOKEN);
        resolver.put(
                EXPIRED_KEY,
                SigningCredential.temporary(
                        SecretBytes.ofUtf8(SECRET),
                        NOW.minusSeconds(1),
                        principal(EXPIRED_KEY, IDENTITY, List.of(allowApi))),
                TOKEN);
        gateway = Gateway.builder(Api.builder("notes", "a1b2c3d4e5")
                        .defaultAuthorization(Authorization.awsIam())
                        .route("GET /private", Requests.recording(seen))
                        .route("POST /private", Requests.recording(seen))
                        .route("DELETE /private", Requests.recording(seen))
                        .route("GET /files/{id}", Requests.recording(seen))
                        .route("GET /public", Requests.recording(seen), Authorization.none())
                        .stage("$default")
                        .stage("dev")
                        .build())
                .region("us-east-1")
                .accountId(ACCOUNT)
                .clock(clock)
                .credentialResolver(resolver)
                .build();
    }

    private static IamPrincipal principal(String key, String identityId, List<Policy> policies) {
        return new IamPrincipal(
                key,
                ACCOUNT,
                "AROAEXAMPLEROLE00001:CognitoIdentityCredentials",
                ROLE_ARN,
                "AROAEXAMPLEROLE00001:CognitoIdentityCredentials",
                Optional.of(new IamPrincipal.CognitoIdentity(
                        identityId,
                        POOL,
                        List.of(
                                "authenticated",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                                "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:CognitoSignIn:sub-1"))),
                policies,
                Map.of());
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void handleWhenSignedInHeaderThenHandlerGetsIamAuthorizer() {
        GatewayResponse response = call(gateway, signed("GET", "/private", new byte[0], session(), r -> {}));

        assertThat(response.status()).isEqualTo(200);
        APIGatewayV2HTTPEvent.RequestContext.IAM iam =
                seen.get().getRequestContext().getAuthorizer().getIam();
        assertThat(iam.getAccessKey()).isEqualTo(KEY);
        assertThat(iam.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(iam.getUserArn()).isEqualTo(ROLE_ARN);
        assertThat(iam.getCallerId()).isEqualTo("AROAEXAMPLEROLE00001:CognitoIdentityCredentials");
        assertThat(iam.getCognitoIdentity().getIdentityId()).isEqualTo(IDENTITY);
        assertThat(iam.getCognitoIdentity().getIdentityPoolId()).isEqualTo(POOL);
        assertThat(iam.getCognitoIdentity().getAmr()).startsWith("authenticated");
        assertThat(seen.get().getRequestContext().getAuthorizer().getJwt()).isNull();
    }

    @Test
    void handleWhenSignedThenAuthorizerJsonHasTheIamMembersOfPayload2() {
        call(gateway, signed("GET", "/private", new byte[0], session(), r -> {}));

        JsonNode iam = new ObjectMapper()
                .valueToTree(seen.get())
                .get("requestContext")
                .get("authorizer")
                .get("iam");
        List<String> names = new ArrayList<>();
        iam.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "accessKey", "accountId", "callerId", "cognitoIdentity", "principalOrgId", "userArn", "userId");
        assertThat(iam.get("principalOrgId").isNull()).isTrue();
        List<String> identity = new ArrayList<>();
        iam.get("cognitoIdentity").fieldNames().forEachRemaining(identity::add);
        assertThat(identity).containsExactlyInAnyOrder("amr", "identityId", "identityPoolId");
    }

    @Test
    void handleWhenPostWithBodyOnNamedStageThenAllowed() {
        byte[] body = "{\"hello\":\"java\"}".getBytes(StandardCharsets.UTF_8);

        GatewayResponse response = call(gateway, signed("POST", "/dev/private?q=x%20y&a=1", body, session(), r -> {}));

        assertThat(response.status()).isEqualTo(200);
        assertThat(seen.get().getRequestContext().getStage()).isEqualTo("dev");
        assertThat(seen.get().getBody()).isEqualTo("{\"hello\":\"java\"}");
    }

    @Test
    void handleWhenPresignedThenAllowed() {
        GatewayResponse response = call(gateway, signed("GET", "/private", new byte[0], session(), r -> r.putProperty(
                        AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10))));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void handleWhenSessionTokenSentUnsignedThenAllowed() {
        // aws-api-gateway-client (apig-test) sends x-amz-security-token without signing it (clients.md).
        GatewayRequest request =
                signed("GET", "/private", new byte[0], AwsCredentialsIdentity.create(KEY, SECRET), r -> {});
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.put("x-amz-security-token", List.of(TOKEN));

        GatewayResponse response = call(gateway, GatewayRequest.of("GET", "/private", "", headers, new byte[0]));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void handleWhenUnsignedThenForbiddenAndHandlerNotRun() {
        GatewayResponse response = call(gateway, Requests.get("/private"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenPublicRouteThenNoAuthorizer() {
        GatewayResponse response = call(gateway, Requests.get("/public"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(seen.get().getRequestContext().getAuthorizer()).isNull();
    }

    @Test
    void handleWhenSignatureTamperedThenInvalidSignatureWithCanonicalStrings() throws Exception {
        GatewayRequest request = signed("GET", "/private", new byte[0], session(), r -> {});
        GatewayRequest tampered = GatewayRequest.of("GET", "/private", "x=1", request.headers(), new byte[0]);

        GatewayResponse response = call(gateway, tampered);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("x-amzn-errortype")).contains("InvalidSignatureException");
        // API Gateway's shape (aws-wire.md F, observed in mhart/aws4#33): the message, then the canonical request and
        // string to sign the server computed, each quoted.
        String canonical = "GET\n/private\nx=1\nhost:" + Requests.HOST + "\n"
                + "x-amz-content-sha256:" + EMPTY_SHA256 + "\nx-amz-date:20260312T190358Z\n"
                + "x-amz-security-token:" + TOKEN + "\n\nhost;x-amz-content-sha256;x-amz-date;x-amz-security-token\n"
                + EMPTY_SHA256;
        String stringToSign = "AWS4-HMAC-SHA256\n20260312T190358Z\n20260312/us-east-1/execute-api/aws4_request\n"
                + sha256Hex(canonical);
        assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
                .isEqualTo(
                        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
                                + "Key and signing method. Consult the service documentation for details.\n\n"
                                + "The Canonical String for this request should have been\n'" + canonical + "'\n\n"
                                + "The String-to-Sign should have been\n'" + stringToSign + "'\n");
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenMismatchedSignedHeaderHasQuotesThenBodyStillJson() throws Exception {
        GatewayRequest request = signed("GET", "/private", new byte[0], session(), r -> {});
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        String authorization = request.header("authorization").orElseThrow();
        headers.put(
                "authorization",
                List.of(authorization.replace("x-amz-security-token,", "x-amz-security-token;x-note,")));
        headers.put("x-note", List.of("say \"hi\"\\ }</script>"));

        GatewayResponse response = call(gateway, GatewayRequest.of("GET", "/private", "", headers, new byte[0]));

        assertThat(response.status()).isEqualTo(403);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("message").asText())
                .contains("\nx-note:say \"hi\"\\ }</script>\n\n"
                        + "host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-note\n");
        assertThat(seen.get()).isNull();
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static String sha256Hex(String text) throws Exception {
        byte[] digest =
                java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }

    @Test
    void handleWhenBodyTamperedThenInvalidSignature() {
        GatewayRequest request = signed("POST", "/private", "{}".getBytes(StandardCharsets.UTF_8), session(), r -> {});
        GatewayRequest tampered = GatewayRequest.of(
                "POST", "/private", "", request.headers(), "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(call(gateway, tampered).header("x-amzn-errortype")).contains("InvalidSignatureException");
    }

    @Test
    void handleWhenWrongRegionThenForbiddenWithScopeMessage() {
        GatewayResponse response = call(
                gateway,
                signed(
                        "GET",
                        "/private",
                        new byte[0],
                        session(),
                        r -> r.putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("x-amzn-errortype")).contains("InvalidSignatureException");
        assertThat(response.bodyText()).contains("Credential should be scoped to a valid region");
    }

    @Test
    void handleWhenWrongServiceThenForbiddenWithScopeMessage() {
        GatewayResponse response = call(
                gateway,
                signed(
                        "GET",
                        "/private",
                        new byte[0],
                        session(),
                        r -> r.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains("Credential should be scoped to correct service");
    }

    @Test
    void handleWhenClockSkewedThenSignatureExpired() {
        GatewayRequest request = signed("GET", "/private", new byte[0], session(), r -> {});
        clock.advance(Duration.ofMinutes(6));

        GatewayResponse response = call(gateway, request);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText())
                .startsWith("{\"message\":\"Signature expired: 20260312T190358Z is now earlier than");
    }

    @Test
    void handleWhenCredentialsExpiredThenForbidden() {
        GatewayResponse response = call(
                gateway,
                signed(
                        "GET",
                        "/private",
                        new byte[0],
                        AwsSessionCredentialsIdentity.create(EXPIRED_KEY, SECRET, TOKEN),
                        r -> {}));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("x-amzn-errortype")).contains("ExpiredTokenException");
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenAnotherIdentitysSessionTokenThenSecurityTokenInvalid() {
        GatewayResponse response = call(
                gateway,
                signed(
                        "GET",
                        "/private",
                        new byte[0],
                        AwsSessionCredentialsIdentity.create(KEY, SECRET, OTHER_TOKEN),
                        r -> {}));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText())
                .isEqualTo("{\"message\":\"The security token included in the request is invalid.\"}");
        assertThat(response.header("x-amzn-errortype")).contains("UnrecognizedClientException");
    }

    @Test
    void handleWhenPolicyDeniesExplicitlyThenAccessDeniedMessage() {
        GatewayResponse response = call(gateway, signed("DELETE", "/private", new byte[0], session(), r -> {}));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("x-amzn-errortype")).contains("AccessDeniedException");
        assertThat(response.bodyText())
                .isEqualTo("{\"Message\":\"User: " + ROLE_ARN + " is not authorized to perform: "
                        + "execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/$default/DELETE/private"
                        + " with an explicit deny\"}");
        assertThat(seen.get()).isNull();
    }

    @Test
    void handleWhenPolicyVariableMatchesOwnIdentityOnlyThenOthersDenied() {
        AwsSessionCredentialsIdentity bob = AwsSessionCredentialsIdentity.create(OTHER_KEY, SECRET, OTHER_TOKEN);

        GatewayResponse own = call(gateway, signed("GET", "/files/us-east-1:other", new byte[0], bob, r -> {}));
        GatewayResponse others = call(gateway, signed("GET", "/files/" + IDENTITY, new byte[0], bob, r -> {}));

        assertThat(own.status()).isEqualTo(200);
        assertThat(others.status()).isEqualTo(403);
        assertThat(others.bodyText()).startsWith("{\"Message\":\"User: ").doesNotContain("explicit deny");
    }

    private static AwsSessionCredentialsIdentity session() {
        return AwsSessionCredentialsIdentity.create(KEY, SECRET, TOKEN);
    }

    private GatewayRequest signed(
            String method,
            String pathAndQuery,
            byte[] body,
            AwsCredentialsIdentity identity,
            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create("https://" + Requests.HOST + pathAndQuery));
        if (body.length > 0) {
            builder.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest sdkRequest = builder.build();
        Instant at = clock.instant();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> {
                    r.identity(identity)
                            .request(sdkRequest)
                            .payload(ContentStreamProvider.fromByteArray(body))
                            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
                    extra.accept(r);
                })
                .request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(Requests.HOST));
        URI uri = signed.getUri();
        return GatewayRequest.of(
                method, uri.getRawPath(), Optional.ofNullable(uri.getRawQuery()).orElse(""), headers, body);
    }
}
