package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.CorsConfig;
import dev.gatehouse.gateway.Gateway;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API listener's own answers (payload limit, draining) carry the API's CORS headers and a request id. */
class ApiEndpointTests {

    private static final String ORIGIN = "https://app.example";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final CountDownLatch release = new CountDownLatch(1);
    private Vertx vertx;
    private Gateway gateway;
    private ApiEndpoint endpoint;
    private HttpListener listener;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        gateway = Gateway.builder(Api.builder("t", "a1b2c3d4e5")
                        .route("ANY /echo", (event, context) -> APIGatewayV2HTTPResponse.builder()
                                .withStatusCode(200)
                                .withBody("ok")
                                .build())
                        .route("GET /slow", (event, context) -> {
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return APIGatewayV2HTTPResponse.builder()
                                    .withStatusCode(200)
                                    .withBody("late")
                                    .build();
                        })
                        .cors(CorsConfig.builder()
                                .allowOrigins(ORIGIN)
                                .allowMethods("*")
                                .allowHeaders("*")
                                .exposeHeaders("x-total")
                                .build())
                        .build())
                .maxPayloadBytes(1024)
                .timeout(Duration.ofMillis(200))
                .build();
        endpoint = new ApiEndpoint(gateway, 1024);
        listener = HttpListener.bind(vertx, "127.0.0.1", 0);
        listener.serve(endpoint);
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        listener.close(Duration.ofSeconds(5));
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void postWhenDeclaredBodyOverLimitThenTooLargeWithCorsAndRequestId() throws Exception {
        HttpResponse<String> response = send(request("/echo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1025]))
                .build());

        assertGatewayError(response, 413, "{\"message\":\"Request Entity Too Large\"}");
    }

    @Test
    void postWhenChunkedBodyOverLimitThenTooLargeWithCorsAndRequestId() throws Exception {
        HttpResponse<String> response = send(request("/echo")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[4096])))
                .build());

        assertGatewayError(response, 413, "{\"message\":\"Request Entity Too Large\"}");
    }

    @Test
    void getWhenDrainingThenServiceUnavailableWithCorsAndRequestId() throws Exception {
        endpoint.drain();

        HttpResponse<String> response = send(request("/echo").GET().build());

        assertGatewayError(response, 503, "{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void getWhenHandlerOutlivesIntegrationTimeoutThenServiceUnavailableFromTheLoopTimer() throws Exception {
        HttpResponse<String> response = send(request("/slow").GET().build());

        assertGatewayError(response, 503, "{\"message\":\"Service Unavailable\"}");
        assertThat(response.body()).doesNotContain("late");
    }

    @Test
    void getWhenNoRouteThenNotFoundWithCorsAndRequestId() throws Exception {
        HttpResponse<String> response = send(request("/nowhere").GET().build());

        assertGatewayError(response, 404, "{\"message\":\"Not Found\"}");
    }

    @Test
    void getWhenOriginNotAllowedThenNoCorsHeadersButRequestId() throws Exception {
        endpoint.drain();

        HttpResponse<String> response =
                send(request("/echo", "https://evil.example").GET().build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    }

    private HttpRequest.Builder request(String path) {
        return request(path, ORIGIN);
    }

    private HttpRequest.Builder request(String path, String origin) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Origin", origin);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGatewayError(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().allValues("access-control-allow-origin")).containsExactly(ORIGIN);
        assertThat(response.headers().firstValue("access-control-expose-headers"))
                .contains("x-total");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    }
}
