package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** The whole server in-process on a free port with a temporary data dir: one socket-level smoke test. */
class GatehouseServerTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private GatehouseServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void startWhenFreshDataDirThenServesAndWritesOwnerOnlyFilesAndOutputs() throws Exception {
        Path outputsFile = dir.resolve("outputs.json");
        server = new GatehouseServer(config().withOutputsFile(outputsFile));

        StackOutputs outputs = server.start();

        String endpoint = "http://127.0.0.1:" + server.awsPort();
        assertThat(server.awsPort()).isPositive();
        assertThat(outputs.get("AwsEndpoint")).contains(endpoint);
        assertThat(outputs.get("Region")).contains("us-east-1");
        JsonNode written = JSON.readTree(Files.readString(outputsFile));
        assertThat(written.get("AwsEndpoint").asText()).isEqualTo(endpoint);
        Path credentials = Path.of(written.get("AdminCredentialsFile").asText());
        assertThat(credentials).isEqualTo(dir.resolve("data/admin-credentials"));
        assertThat(Files.readString(credentials)).contains("[default]").contains("aws_access_key_id = AKIA");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/gatehouse.db"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/gatehouse.db-wal"))))
                .isEqualTo("rw-------");

        HttpResponse<String> notFound = http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/nothing")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("x-amzn-RequestId")).isPresent();

        String poolId = outputs.get("UserPoolId").orElseThrow();
        assertThat(poolId).matches("us-east-1_[0-9A-Za-z]{9}");
        assertThat(outputs.get("UserPoolClientId").orElseThrow()).matches("[0-9a-z]{26}");
        assertThat(written.get("UserPoolId").asText()).isEqualTo(poolId);
        HttpResponse<String> jwks = http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/" + poolId + "/.well-known/jwks.json"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(jwks.body()).get("keys").get(0).get("alg").asText())
                .isEqualTo("RS256");
        HttpResponse<String> discovery = http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/" + poolId + "/.well-known/openid-configuration"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(discovery.body()).get("issuer").asText()).isEqualTo(endpoint + "/" + poolId);
        // every endpoint the discovery document advertises is served
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) JSON.readTree(discovery.body())::fields) {
            if (field.getKey().endsWith("_endpoint") || field.getKey().endsWith("_uri")) {
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        field.getValue().asText()))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .as(field.getKey())
                        .isEqualTo(200);
            }
        }

        try (CognitoIdentityProviderClient admin = client(
                endpoint,
                ProfileCredentialsProvider.builder()
                        .profileFile(ProfileFile.builder()
                                .content(credentials)
                                .type(ProfileFile.Type.CREDENTIALS)
                                .build())
                        .profileName("default")
                        .build())) {
            assertThat(admin.describeUserPool(r -> r.userPoolId(poolId))
                            .userPool()
                            .id())
                    .isEqualTo(poolId);
            assertThatThrownBy(
                            () -> admin.adminGetUser(r -> r.userPoolId(poolId).username("nobody@example.com")))
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UserNotFoundException"));
        }
        try (CognitoIdentityProviderClient anonymous = client(endpoint, AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(() ->
                            anonymous.adminGetUser(r -> r.userPoolId(poolId).username("nobody@example.com")))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(
                                    e.awsErrorDetails().errorCode())
                            .isEqualTo("MissingAuthenticationTokenException"));
        }
        try (CognitoIdentityProviderClient forged = client(
                endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))) {
            assertThatThrownBy(
                            () -> forged.adminGetUser(r -> r.userPoolId(poolId).username("nobody@example.com")))
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }

        HttpResponse<String> unknown = http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/"))
                        .header("X-Amz-Target", "AWSCognitoIdentityProviderService.NoSuchOperation")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void startWhenRestartedOnSameDataDirThenSameIdsAndKeys() throws Exception {
        server = new GatehouseServer(config());
        StackOutputs first = server.start();
        String firstCredentials = Files.readString(dir.resolve("data/admin-credentials"));
        server.stop();

        server = new GatehouseServer(config());
        StackOutputs second = server.start();

        assertThat(Files.readString(dir.resolve("data/admin-credentials"))).isEqualTo(firstCredentials);
        assertThat(second.get("UserPoolId")).isPresent().isEqualTo(first.get("UserPoolId"));
        assertThat(second.get("UserPoolClientId")).isEqualTo(first.get("UserPoolClientId"));
    }

    @Test
    void stopWhenRequestInFlightThenItFinishesAndIsStored() throws Exception {
        server = new GatehouseServer(config());
        StackOutputs outputs = server.start();
        String clientId = outputs.get("UserPoolClientId").orElseThrow();
        CompletableFuture<String> signUp;
        try (CognitoIdentityProviderClient anonymous =
                client(outputs.get("AwsEndpoint").orElseThrow(), AnonymousCredentialsProvider.create())) {
            // SignUp hashes the password with Argon2id, so it is in flight long enough to be caught there.
            signUp = CompletableFuture.supplyAsync(() -> anonymous
                    .signUp(r -> r.clientId(clientId)
                            .username("inflight@example.com")
                            .password("Passw0rd!"))
                    .userSub());
            while (server.inFlight() == 0 && !signUp.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(signUp)
                    .as("the sign-up should still be running when stop begins")
                    .isNotDone();

            server.stop();

            assertThat(signUp.get(30, TimeUnit.SECONDS)).isNotBlank();
        }
        server = new GatehouseServer(config());
        StackOutputs restarted = server.start();
        try (CognitoIdentityProviderClient anonymous =
                client(restarted.get("AwsEndpoint").orElseThrow(), AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(() -> anonymous.signUp(r -> r.clientId(clientId)
                            .username("inflight@example.com")
                            .password("Passw0rd!")))
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UsernameExistsException"));
        }
    }

    @Test
    void requestWhenExpectContinueThenServerAsksForTheBody() throws Exception {
        server = new GatehouseServer(config());
        server.start();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.awsPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                                    + "X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\nContent-Length: 2\r\n"
                                    + "Expect: 100-continue\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] head = new byte[25];
            int read = socket.getInputStream().read(head);

            assertThat(new String(head, 0, Math.max(read, 0), java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 100 Continue");
        }
    }

    @Test
    void stopWhenStartedThenPortClosed() throws Exception {
        server = new GatehouseServer(config());
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.awsPort() + "/");

        server.stop();

        assertThatThrownBy(() ->
                        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
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

    private ServerConfig config() {
        return ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8);
    }
}
