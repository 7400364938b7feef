package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;

/** The default stack's API on the API endpoint, in-process on free ports: the recipe's four routes. */
class GatehouseApiTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private GatehouseServer server;
    private StackOutputs outputs;
    private String api;

    @BeforeEach
    void setUp() {
        server = new GatehouseServer(ServerConfig.defaults(dir.resolve("data"))
                .withAwsPort(0)
                .withWorkers(2, 8)
                .withOutputsFile(dir.resolve("outputs.json")));
        outputs = server.start();
        api = outputs.get("ApiEndpoint").orElseThrow();
    }

    @AfterEach
    void tearDown() {
        server.stop();
    }

    @Test
    void startWhenAwsPortZeroThenApiEndpointOnItsOwnFreePortInOutputs() throws Exception {
        assertThat(api).isEqualTo("http://127.0.0.1:" + server.apiPort());
        assertThat(server.apiPort()).isPositive().isNotEqualTo(server.awsPort());
        assertThat(JSON.readTree(Files.readString(dir.resolve("outputs.json")))
                        .get("ApiEndpoint")
                        .asText())
                .isEqualTo(api);
    }

    @Test
    void getPublicWhenUnsignedThenHelloStranger() throws Exception {
        HttpResponse<String> response = get("/public", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello stranger!");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    }

    @Test
    void getPrivateWhenUnsignedThenForbidden() throws Exception {
        HttpResponse<String> response = get("/private", null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"message\":\"Forbidden\"}"));
    }

    @Test
    void getUnknownRouteThenNotFound() throws Exception {
        HttpResponse<String> response = get("/nothing", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("Not Found");
    }

    @Test
    void getHelloWorldThenRecipeJsonString() throws Exception {
        HttpResponse<String> response = get("/api/helloWorld", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).asText()).isEqualTo("Hello from an unsecured endpoint");
    }

    @Test
    void getHelloWorldSecuredWhenIdTokenThenGreetsTheCallersEmail() throws Exception {
        String idToken = signIn("reader@example.com", "Passw0rd!");

        HttpResponse<String> response = get("/api/helloWorldSecured", "Bearer " + idToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).asText())
                .isEqualTo("Hello from an secured endpoint -> reader@example.com");
    }

    @Test
    void getHelloWorldSecuredWhenNoTokenThenUnauthorizedWithCorsHeaders() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/helloWorldSecured"))
                .header("Origin", "http://localhost:3000")
                .GET()
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"message\":\"Unauthorized\"}"));
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void getHelloWorldSecuredWhenForgedTokenThenUnauthorized() throws Exception {
        String idToken = signIn("forger@example.com", "Passw0rd!");
        String[] parts = idToken.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        HttpResponse<String> response = get("/api/helloWorldSecured", "Bearer " + tampered);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void optionsWhenPreflightThenAnsweredWithCors() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/helloWorldSecured"))
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void postWhenBodyOverTenMegabytesThenRequestEntityTooLarge() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/public"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024 + 1]))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("Request Entity Too Large");
    }

    @Test
    void startWhenRestartedThenSameApiId() throws Exception {
        String firstId = server.apiId().orElseThrow();
        server.stop();

        server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8));
        server.start();

        assertThat(server.apiId()).contains(firstId);
        assertThat(firstId).matches("[a-z0-9]{10}");
    }

    @Test
    void getPrivateWhenSignedWithIdentityPoolCredentialsThenHelloIdentityId() throws Exception {
        String idToken = signIn("member@example.com", "Passw0rd!");
        String poolId = outputs.get("UserPoolId").orElseThrow();
        String identityPoolId = outputs.get("IdentityPoolId").orElseThrow();
        assertThat(identityPoolId).matches("us-east-1:[0-9a-f-]{36}");
        String identityId;
        Credentials credentials;
        try (CognitoIdentityClient identity = CognitoIdentityClient.builder()
                .endpointOverride(URI.create(outputs.get("AwsEndpoint").orElseThrow()))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            Map<String, String> logins = Map.of("cognito-idp.us-east-1.amazonaws.com/" + poolId, idToken);
            identityId = identity.getId(r -> r.identityPoolId(identityPoolId).logins(logins))
                    .identityId();
            credentials = identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
        }
        assertThat(credentials.accessKeyId()).startsWith("ASIA");

        HttpResponse<String> response = signedGet(
                "/private",
                AwsSessionCredentialsIdentity.create(
                        credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken()),
                "execute-api");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello " + identityId + "!").startsWith("Hello us-east-1:");
    }

    @Test
    void getPrivateWhenSignedForAnotherServiceThenForbidden() throws Exception {
        Credentials credentials = identityCredentials(signIn("other@example.com", "Passw0rd!"));

        HttpResponse<String> response = signedGet(
                "/private",
                AwsSessionCredentialsIdentity.create(
                        credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken()),
                "lambda");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("Hello");
    }

    @Test
    void identityCredentialsWhenUsedOnTheUserPoolAdminApiThenRefused() throws Exception {
        String idToken = signIn("outsider@example.com", "Passw0rd!");
        Credentials credentials = identityCredentials(idToken);

        try (CognitoIdentityProviderClient caller = client(
                outputs.get("AwsEndpoint").orElseThrow(),
                StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken())))) {
            assertThatThrownBy(() -> caller.listUsers(
                            r -> r.userPoolId(outputs.get("UserPoolId").orElseThrow())))
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    private Credentials identityCredentials(String idToken) {
        String poolId = outputs.get("UserPoolId").orElseThrow();
        try (CognitoIdentityClient identity = CognitoIdentityClient.builder()
                .endpointOverride(URI.create(outputs.get("AwsEndpoint").orElseThrow()))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            Map<String, String> logins = Map.of("cognito-idp.us-east-1.amazonaws.com/" + poolId, idToken);
            String identityId = identity.getId(
                            r -> r.identityPoolId(outputs.get("IdentityPoolId").orElseThrow())
                                    .logins(logins))
                    .identityId();
            return identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
        }
    }

    private HttpResponse<String> signedGet(String path, AwsSessionCredentialsIdentity identity, String service)
            throws Exception {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(api + path))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(unsigned)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
                .request();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(api + path)).GET();
        // java.net.http sets Host itself (the same value the signer signed); every other signed header is copied.
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(api + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs a user up, confirms them as the admin, signs in with USER_PASSWORD_AUTH; returns the id token. */
    private String signIn(String email, String password) throws Exception {
        String endpoint = outputs.get("AwsEndpoint").orElseThrow();
        String poolId = outputs.get("UserPoolId").orElseThrow();
        String clientId = outputs.get("UserPoolClientId").orElseThrow();
        try (CognitoIdentityProviderClient anonymous = client(endpoint, AnonymousCredentialsProvider.create());
                CognitoIdentityProviderClient admin = client(endpoint, adminCredentials())) {
            anonymous.signUp(r -> r.clientId(clientId).username(email).password(password));
            admin.adminConfirmSignUp(r -> r.userPoolId(poolId).username(email));
            return anonymous
                    .initiateAuth(r -> r.clientId(clientId)
                            .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                            .authParameters(Map.of("USERNAME", email, "PASSWORD", password)))
                    .authenticationResult()
                    .idToken();
        }
    }

    private AwsCredentialsProvider adminCredentials() throws Exception {
        String credentials =
                Files.readString(Path.of(outputs.get("AdminCredentialsFile").orElseThrow()));
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder()
                        .content(credentials)
                        .type(ProfileFile.Type.CREDENTIALS)
                        .build())
                .profileName("default")
                .build();
    }

    private static CognitoIdentityProviderClient client(String endpoint, AwsCredentialsProvider credentials) {
        return CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
