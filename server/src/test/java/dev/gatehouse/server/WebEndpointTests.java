package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web endpoint on a real socket: files, client routes, config.json, caching, methods, traversal. */
class WebEndpointTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Vertx vertx;
    private HttpListener listener;
    private String base;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        listener = HttpListener.bind(vertx, "127.0.0.1", 0);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("Region", "us-east-1");
        outputs.put("AwsEndpoint", "http://127.0.0.1:1111");
        outputs.put("ApiEndpoint", "http://127.0.0.1:1112");
        outputs.put("UserPoolId", "us-east-1_abc");
        outputs.put("UserPoolClientId", "client1");
        outputs.put("IdentityPoolId", "us-east-1:pool");
        outputs.put("AdminCredentialsFile", "/secret/admin-credentials");
        outputs.put("WebEndpoint", "http://127.0.0.1:1113");
        WebAssets assets = WebAssets.of(Map.of(
                "index.html", "<!doctype html><title>app</title>".getBytes(StandardCharsets.UTF_8),
                "assets/app-1.js", "console.log(1)".getBytes(StandardCharsets.UTF_8)));
        listener.serve(new WebEndpoint(assets, StackOutputs.of(outputs)));
        base = "http://127.0.0.1:" + listener.port();
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close(Duration.ofSeconds(5));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void getConfigWhenCalledThenOutputsTheAppNeedsAndNoFilePaths() throws Exception {
        HttpResponse<String> response = send("GET", "/config.json", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode config = JSON.readTree(response.body());
        assertThat(config.get("userPoolId").asText()).isEqualTo("us-east-1_abc");
        assertThat(config.get("identityPoolId").asText()).isEqualTo("us-east-1:pool");
        assertThat(config.get("apiEndpoint").asText()).isEqualTo("http://127.0.0.1:1112");
        assertThat(config.has("attachmentsBucket")).isFalse();
        assertThat(response.body()).doesNotContain("secret");
    }

    @Test
    void getWhenClientRouteThenIndexWithSecurityHeaders() throws Exception {
        HttpResponse<String> response = send("GET", "/notes/123", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<title>app</title>");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("content-security-policy").orElseThrow())
                .contains("connect-src 'self' http://127.0.0.1:1111 http://127.0.0.1:1112")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void getWhenHashedAssetThenCachedForAYearAndRevalidatedByEtag() throws Exception {
        HttpResponse<String> first = send("GET", "/assets/app-1.js", Map.of());
        String etag = first.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = send("GET", "/assets/app-1.js", Map.of("If-None-Match", etag));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(first.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void headWhenFileThenLengthWithoutBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue("33");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void getWhenMissingFileThen404AndWhenTraversalThen400() throws Exception {
        assertThat(send("GET", "/assets/app-2.js", Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/favicon.ico", Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/..%2f..%2fetc%2fpasswd", Map.of()).statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/%2e%2e/%2e%2e/etc/passwd", Map.of()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void postWhenCalledThen405WithAllow() throws Exception {
        HttpResponse<String> response = send("POST", "/config.json", Map.of());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void startWhenAwsPortZeroThenWebEndpointOnItsOwnPortInOutputs(@TempDir Path dir) throws Exception {
        GatehouseServer server = new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8));
        try {
            StackOutputs outputs = server.start();
            String web = outputs.get("WebEndpoint").orElseThrow();
            assertThat(web).isEqualTo("http://127.0.0.1:" + server.webPort());
            assertThat(server.webPort()).isNotIn(server.awsPort(), server.apiPort());

            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(web + "/config.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode config = JSON.readTree(response.body());
            assertThat(config.get("awsEndpoint").asText())
                    .isEqualTo(outputs.get("AwsEndpoint").orElseThrow());
            assertThat(config.get("userPoolClientId").asText())
                    .isEqualTo(outputs.get("UserPoolClientId").orElseThrow());
            assertThat(config.get("webEndpoint").asText()).isEqualTo(web);
        } finally {
            server.stop();
        }
    }

    @Test
    void getWhenFilesStillBeingReadThenAnsweredOnceReadAndConfigAtOnce() throws Exception {
        CompletableFuture<WebAssets> reading = new CompletableFuture<>();
        HttpListener pending = HttpListener.bind(vertx, "127.0.0.1", 0);
        try {
            pending.serve(new WebEndpoint(reading, StackOutputs.of(Map.of("Region", "us-east-1"))));
            base = "http://127.0.0.1:" + pending.port();

            // config.json does not wait for the files; a file request does, and is answered once they are read
            assertThat(send("GET", "/config.json", Map.of()).statusCode()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> index = CompletableFuture.supplyAsync(() -> {
                try {
                    return send("GET", "/", Map.of());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            assertThat(index).isNotDone();
            reading.complete(
                    WebAssets.of(Map.of("index.html", "<title>late</title>".getBytes(StandardCharsets.UTF_8))));

            HttpResponse<String> response = index.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("<title>late</title>");
        } finally {
            pending.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void getWhenFilesCouldNotBeReadThenServerErrorWithoutDetails() throws Exception {
        HttpListener failed = HttpListener.bind(vertx, "127.0.0.1", 0);
        try {
            failed.serve(new WebEndpoint(
                    CompletableFuture.failedFuture(
                            new java.io.UncheckedIOException(new java.io.IOException("/secret"))),
                    StackOutputs.of(Map.of("Region", "us-east-1"))));
            base = "http://127.0.0.1:" + failed.port();

            HttpResponse<String> response = send("GET", "/", Map.of());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("secret");
        } finally {
            failed.close(Duration.ofSeconds(5));
        }
    }

    private HttpResponse<String> send(String method, String rawPath, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + rawPath)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
