package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.CallContext;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.protocol.ServiceException;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket-level: the real Vert.x listener, the real dispatcher, a bounded pool of one thread and no queue. */
class AwsEndpointTests {

    @org.junit.jupiter.api.Test
    void requestIdWhenDrawnThenAVersion4UuidNeverRepeated() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = AwsEndpoint.requestId();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).hasSize(36);
            assertThat(seen.add(id)).isTrue();
        }
    }

    private static final String PREFIX = "AWSCognitoIdentityProviderService";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocking = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Vertx vertx;
    private WorkerPool workers;
    private AwsEndpoint endpoint;
    private HttpListener listener;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        workers = new WorkerPool("test-worker", 1, 0);
        AwsJsonService service = new AwsJsonService(PREFIX, "cognito-idp", (request, signingName, operation) -> {
            throw new ServiceException(CommonErrors.missingAuthenticationToken());
        });
        service.register(
                "Echo",
                Operation.Auth.NONE,
                (input, context) -> Map.of("Echo", input.path("Value").asText()));
        service.register("Admin", Operation.Auth.SIGV4, (input, context) -> Map.of());
        service.register("Block", Operation.Auth.NONE, this::blockUntilReleased);
        // A password operation (its own lane of the worker pool) that blocks like a sign-in waiting for a hashing slot.
        service.register("InitiateAuth", Operation.Auth.NONE, this::blockUntilReleased);
        endpoint = new AwsEndpoint(List.of(service), Optional.empty(), workers, 2048);
        listener = HttpListener.bind(vertx, "127.0.0.1", 0);
        listener.serve(endpoint);
    }

    private Map<String, String> blockUntilReleased(ObjectNode input, CallContext context) {
        blocking.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }

    /** Sends {@code operation} without waiting and returns once its handler runs (and blocks). */
    private CompletableFuture<HttpResponse<String>> sendBlocking(String operation) throws InterruptedException {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                request("/")
                        .header("X-Amz-Target", PREFIX + "." + operation)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
        return response;
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        listener.close(Duration.ofSeconds(5));
        workers.shutdown(Duration.ofSeconds(5));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void postWhenKnownTargetThenOperationResultAndRequestId() throws Exception {
        HttpResponse<String> response = post("Echo", "{\"Value\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("Echo").asText()).isEqualTo("hi");
        assertThat(response.headers().firstValue("x-amzn-RequestId").orElseThrow())
                .matches("[0-9a-f-]{36}");
        assertThat(response.headers().firstValue("content-type")).contains("application/x-amz-json-1.1");
    }

    @Test
    void postWhenUnknownServicePrefixThenUnknownOperationException() throws Exception {
        HttpResponse<String> response = send(request("/")
                .header("X-Amz-Target", "Other.Echo")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

        assertError(response, 400, CommonErrors.UNKNOWN_OPERATION);
    }

    @Test
    void postWhenNoTargetThenUnknownOperationException() throws Exception {
        HttpResponse<String> response = send(
                request("/").POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertError(response, 400, CommonErrors.UNKNOWN_OPERATION);
    }

    @Test
    void postWhenAdminOperationUnsignedThenMissingAuthenticationToken() throws Exception {
        assertError(post("Admin", "{}"), 400, CommonErrors.MISSING_AUTHENTICATION_TOKEN);
    }

    @Test
    void postWhenMalformedJsonThenSerializationException() throws Exception {
        assertError(post("Echo", "{not json"), 400, CommonErrors.SERIALIZATION);
    }

    @Test
    void postWhenBodyTooLargeThenAwsErrorAndOperationNotRun() throws Exception {
        HttpResponse<String> response = post("Echo", "{\"Value\":\"" + "x".repeat(4096) + "\"}");

        assertError(response, 413, "RequestEntityTooLargeException");
    }

    @Test
    void postWhenChunkedBodyTooLargeThenAwsError() throws Exception {
        byte[] chunk = "x".repeat(1500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = request("/")
                .header("X-Amz-Target", PREFIX + ".Echo")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArrays(List.of(chunk, chunk))))
                .build();

        assertError(send(request), 413, "RequestEntityTooLargeException");
    }

    @Test
    void postWhenPoolFullThenTooManyRequestsAtOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> first = sendBlocking("Block");

        HttpResponse<String> second = post("Echo", "{\"Value\":\"hi\"}");

        assertError(second, 400, CommonErrors.TOO_MANY_REQUESTS);
        assertThat(JSON.readTree(second.body()).get("message").asText()).isEqualTo("Rate exceeded");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void postWhenPasswordLaneFullThenOtherOperationsStillServedAndMoreSignInsThrottled() throws Exception {
        CompletableFuture<HttpResponse<String>> signIn = sendBlocking("InitiateAuth");

        HttpResponse<String> read = post("Echo", "{\"Value\":\"hi\"}");
        HttpResponse<String> secondSignIn = post("InitiateAuth", "{}");

        assertThat(read.statusCode()).isEqualTo(200);
        assertError(secondSignIn, 400, CommonErrors.TOO_MANY_REQUESTS);
        release.countDown();
        assertThat(signIn.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void getWhenUnknownPathThen404Json() throws Exception {
        HttpResponse<String> response = send(request("/nothing/here").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("Not Found");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void getWhenWellKnownWithoutPoolsThen404() throws Exception {
        HttpResponse<String> response =
                send(request("/us-east-1_AbC123xyz/.well-known/jwks.json").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void optionsWhenPreflightThenCorsHeaders() throws Exception {
        HttpResponse<String> response = send(request("/")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(response.headers().firstValue("access-control-allow-headers"))
                .contains("content-type,x-amz-target,x-amz-user-agent");
    }

    @Test
    void postWhenDrainingThen503AndInFlightRequestStillAnswered() throws Exception {
        CompletableFuture<HttpResponse<String>> first = sendBlocking("Block");

        endpoint.drain();

        assertThat(post("Echo", "{}").statusCode()).isEqualTo(503);
        assertThat(endpoint.inFlight()).isEqualTo(1);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String operation, String body) throws Exception {
        return send(request("/")
                .header("X-Amz-Target", PREFIX + "." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("__type").asText()).isEqualTo(code);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains(code);
    }

    @Test
    void healthWhenStackNotAppliedThen503AndWhenReadyThenFollowsTheStoreProbe() throws Exception {
        assertThat(get(AwsEndpoint.HEALTH_PATH).statusCode()).isEqualTo(503);

        java.util.concurrent.atomic.AtomicBoolean storeAnswers = new java.util.concurrent.atomic.AtomicBoolean(true);
        endpoint.setReady(storeAnswers::get);
        HttpResponse<String> ready = get(AwsEndpoint.HEALTH_PATH);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("ready");

        storeAnswers.set(false);
        assertThat(get(AwsEndpoint.HEALTH_PATH).statusCode()).isEqualTo(503);
        storeAnswers.set(true);
        endpoint.drain();
        assertThat(get(AwsEndpoint.HEALTH_PATH).statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }
}
