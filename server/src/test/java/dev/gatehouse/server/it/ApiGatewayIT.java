package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;

/**
 * The recipe's private API end to end against the real jar: sign-in → identity pool GetId → GetCredentialsForIdentity
 * → SigV4-signed {@code GET /private}; the public and JWT routes; and each way a caller is refused, with API Gateway's
 * status and body.
 */
class ApiGatewayIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("api-gateway");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static @Nullable CognitoIdentityClient identityClient;
    private static @Nullable Caller alice;
    private static @Nullable Caller bob;

    /** A signed-in user of the default pool with its identity id and temporary credentials. */
    private record Caller(String email, String idToken, String identityId, Credentials credentials) {

        AwsSessionCredentialsIdentity signingIdentity() {
            return AwsSessionCredentialsIdentity.create(
                    credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken());
        }
    }

    @BeforeAll
    static void signIn() {
        identityClient = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create());
        alice = signInWithIdentity("alice");
        bob = signInWithIdentity("bob");
    }

    @AfterAll
    static void closeClients() {
        if (identityClient != null) {
            identityClient.close();
        }
    }

    private static Caller signInWithIdentity(String label) {
        String email = TestUsers.email(label);
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String idToken = journeys.signIn(email, TestUsers.PASSWORD).idToken();
        Map<String, String> logins = defaultLogins(idToken);
        String identityId = identity()
                .getId(r -> r.identityPoolId(identityPoolId()).logins(logins))
                .identityId();
        Credentials credentials = identity()
                .getCredentialsForIdentity(r -> r.identityId(identityId).logins(logins))
                .credentials();
        return new Caller(email, idToken, identityId, credentials);
    }

    private static CognitoIdentityClient identity() {
        CognitoIdentityClient c = identityClient;
        if (c == null) {
            throw new IllegalStateException("not started");
        }
        return c;
    }

    private static Caller alice() {
        Caller c = alice;
        if (c == null) {
            throw new IllegalStateException("not signed in");
        }
        return c;
    }

    private static Caller bob() {
        Caller c = bob;
        if (c == null) {
            throw new IllegalStateException("not signed in");
        }
        return c;
    }

    private static Map<String, String> defaultLogins(String idToken) {
        return Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId(), idToken);
    }

    private static String identityPoolId() {
        return GATEHOUSE.output("IdentityPoolId");
    }

    private static String api() {
        return GATEHOUSE.output("ApiEndpoint");
    }

    // --- the happy paths ---

    @Test
    void getPrivateWhenSignedWithIdentityCredentialsThenHelloIdentityId() {
        Caller caller = alice();
        assertThat(identityPoolId()).matches("us-east-1:[0-9a-f-]{36}");
        assertThat(caller.identityId()).startsWith("us-east-1:");
        assertThat(caller.credentials().accessKeyId()).startsWith("ASIA");

        HttpResponse<String> response = send(signed("/private", caller.signingIdentity(), s -> {}));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello " + caller.identityId() + "!");
    }

    @Test
    void getPublicWhenUnsignedThenHelloStranger() {
        HttpResponse<String> response = send(request("/public").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello stranger!");
    }

    @Test
    void getPrivateWhenCurlSignsWithAwsSigv4ThenHelloIdentityId() throws Exception {
        Assumptions.assumeTrue(curlSupportsAwsSigv4(), "curl lacks --aws-sigv4 (needs 7.75+)");
        Caller caller = alice();
        Credentials credentials = caller.credentials();

        Process curl = new ProcessBuilder(
                        "curl",
                        "-sS",
                        "--max-time",
                        "20",
                        "--aws-sigv4",
                        "aws:amz:us-east-1:execute-api",
                        "--user",
                        credentials.accessKeyId() + ":" + credentials.secretKey(),
                        "-H",
                        "x-amz-security-token: " + credentials.sessionToken(),
                        "-w",
                        "\n%{http_code}",
                        api() + "/private")
                .redirectErrorStream(true)
                .start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(curl.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("Hello " + caller.identityId() + "!\n200");
    }

    @Test
    void getHelloWorldSecuredWhenBearerIdTokenThenGreetsTheEmail() {
        Caller caller = alice();

        HttpResponse<String> response = send(request("/api/helloWorldSecured")
                .header("Authorization", "Bearer " + caller.idToken())
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(caller.email());
    }

    // --- AWS_IAM failures ---

    @Test
    void getPrivateWhenUnsignedThenForbidden() {
        HttpResponse<String> response = send(request("/private").build());

        assertMessage(response, 403, "Forbidden");
    }

    @Test
    void getPrivateWhenSignatureTamperedThenSignatureMismatch() {
        SdkHttpRequest signed = sign("/private", alice().signingIdentity(), s -> {});
        String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
        int at = authorization.indexOf("Signature=") + "Signature=".length();
        char flipped = authorization.charAt(at) == '0' ? '1' : '0';
        String tampered = authorization.substring(0, at) + flipped + authorization.substring(at + 1);

        HttpResponse<String> response = send(
                copy(signed.toBuilder().putHeader("Authorization", tampered).build()));

        assertThat(response.statusCode()).isEqualTo(403);
        // API Gateway appends the canonical request and string to sign it computed: here, the ones the signer signed.
        Matcher signedHeaders = Pattern.compile("SignedHeaders=([^,]+)").matcher(authorization);
        assertThat(signedHeaders.find()).isTrue();
        StringBuilder canonical = new StringBuilder("GET\n/private\n\n");
        for (String name : signedHeaders.group(1).split(";")) {
            canonical
                    .append(name)
                    .append(':')
                    .append(signed.firstMatchingHeader(name).orElseThrow().trim())
                    .append('\n');
        }
        canonical.append('\n').append(signedHeaders.group(1)).append('\n').append(sha256Hex(""));
        String amzDate = signed.firstMatchingHeader("X-Amz-Date").orElseThrow();
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + amzDate.substring(0, 8)
                + "/us-east-1/execute-api/aws4_request\n" + sha256Hex(canonical.toString());
        assertThat(message(response))
                .isEqualTo("The request signature we calculated does not match the signature you "
                        + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
                        + "details.\n\nThe Canonical String for this request should have been\n'" + canonical + "'\n\n"
                        + "The String-to-Sign should have been\n'" + stringToSign + "'\n");
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void getPrivateWhenScopedToAnotherRegionThenForbidden() {
        HttpResponse<String> response = send(signed(
                "/private", alice().signingIdentity(), s -> s.putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(message(response)).contains("Credential should be scoped to a valid region, not 'eu-west-1'.");
    }

    @Test
    void getPrivateWhenScopedToAnotherServiceThenForbidden() {
        HttpResponse<String> response = send(signed(
                "/private",
                alice().signingIdentity(),
                s -> s.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(message(response)).contains("Credential should be scoped to correct service: 'execute-api'");
    }

    @Test
    void getPrivateWhenSignedSixMinutesAgoThenSignatureExpired() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC);

        HttpResponse<String> response = send(
                signed("/private", alice().signingIdentity(), s -> s.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, past)));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(message(response))
                .startsWith("Signature expired: ")
                .contains(" is now earlier than ")
                .endsWith(" - 5 min.)");
    }

    @Test
    void getPrivateWhenAnotherIdentitysSessionTokenWithYourKeysThenForbidden() {
        Credentials mine = alice().credentials();
        AwsSessionCredentialsIdentity mixed = AwsSessionCredentialsIdentity.create(
                mine.accessKeyId(), mine.secretKey(), bob().credentials().sessionToken());

        HttpResponse<String> response = send(signed("/private", mixed, s -> {}));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(message(response)).isEqualTo("The security token included in the request is invalid.");
    }

    // --- JWT failures ---

    @Test
    void getHelloWorldSecuredWhenNoTokenThenUnauthorized() {
        HttpResponse<String> response = send(request("/api/helloWorldSecured").build());

        assertMessage(response, 401, "Unauthorized");
    }

    @Test
    void getHelloWorldSecuredWhenTokenOfAnotherPoolThenUnauthorized() {
        String foreignToken = otherPoolIdToken();

        HttpResponse<String> response = send(request("/api/helloWorldSecured")
                .header("Authorization", "Bearer " + foreignToken)
                .build());

        assertMessage(response, 401, "Unauthorized");
    }

    // --- identity pool failures ---

    @Test
    void getCredentialsForIdentityWhenAnotherUsersIdentityIdThenNotAuthorized() {
        Map<String, String> aliceLogins = defaultLogins(alice().idToken());

        assertAwsError(
                () -> identity().getCredentialsForIdentity(r -> r.identityId(bob().identityId())
                        .logins(aliceLogins)),
                "NotAuthorizedException");
    }

    @Test
    void getIdWhenTokenOfAnotherPoolThenNotAuthorized() {
        Map<String, String> logins = defaultLogins(otherPoolIdToken());

        assertAwsError(
                () -> identity().getId(r -> r.identityPoolId(identityPoolId()).logins(logins)),
                "NotAuthorizedException");
    }

    // --- helpers ---

    /** Creates a second user pool and client with the admin client and returns an id token of a user signed in there. */
    private static String otherPoolIdToken() {
        CognitoIdentityProviderClient admin = GATEHOUSE.adminClient();
        String poolId = admin.createUserPool(r -> r.poolName("other-" + TestUsers.suffix()))
                .userPool()
                .id();
        String clientId = admin.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("other")
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        String username = TestUsers.username("foreign");
        CognitoIdentityProviderClient client = GATEHOUSE.client();
        client.signUp(r -> r.clientId(clientId)
                .username(username)
                .password(TestUsers.PASSWORD)
                .userAttributes(AttributeType.builder()
                        .name("email")
                        .value(username + "@example.com")
                        .build()));
        admin.adminConfirmSignUp(r -> r.userPoolId(poolId).username(username));
        return client.initiateAuth(r -> r.clientId(clientId)
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", TestUsers.PASSWORD)))
                .authenticationResult()
                .idToken();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api() + path))
                .timeout(Duration.ofSeconds(20))
                .GET();
    }

    /** Signs {@code GET <api><path>} for execute-api in us-east-1; {@code tweak} may override any signing property. */
    private static SdkHttpRequest sign(
            String path, AwsCredentialsIdentity identity, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> tweak) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(api() + path))
                .build();
        return AwsV4HttpSigner.create()
                .sign(r -> {
                    r.identity(identity)
                            .request(unsigned)
                            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1");
                    tweak.accept(r);
                })
                .request();
    }

    private static HttpRequest signed(
            String path, AwsCredentialsIdentity identity, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> tweak) {
        return copy(sign(path, identity, tweak));
    }

    private static HttpRequest copy(SdkHttpRequest signed) {
        return ApiCalls.copy(signed);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return ApiCalls.send(request);
    }

    private static String message(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode message = body.has("message") ? body.get("message") : body.path("Message");
            assertThat(message.isTextual()).as("message in %s", response.body()).isTrue();
            return message.asText();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertMessage(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            assertThat(JSON.readTree(response.body()))
                    .as(response.body())
                    .isEqualTo(JSON.readTree("{\"message\":\"" + message + "\"}"));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static boolean curlSupportsAwsSigv4() {
        try {
            Process p = new ProcessBuilder("curl", "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return false;
            }
            Matcher m = Pattern.compile("^curl (\\d+)\\.(\\d+)").matcher(out);
            if (!m.find()) {
                return false;
            }
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            return major > 7 || (major == 7 && minor >= 75);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
