package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared body handling on a real Vert.x server on a free loopback port. */
class RequestBodiesTests {

    private static final int LIMIT = 16;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    if (RequestBodies.declaredLongerThan(request, LIMIT)) {
                        request.response()
                                .setStatusCode(413)
                                .putHeader("connection", "close")
                                .end("declared");
                        RequestBodies.closeWhenRead(request);
                        return;
                    }
                    RequestBodies.readBounded(
                            request,
                            LIMIT,
                            body -> request.response().end("got " + new String(body, StandardCharsets.UTF_8)),
                            () -> {
                                request.response()
                                        .setStatusCode(413)
                                        .putHeader("connection", "close")
                                        .end("too large");
                                RequestBodies.closeWhenRead(request);
                            },
                            e -> {});
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void readBoundedWhenBodyWithinLimitThenWholeBody() throws Exception {
        assertThat(post(HttpRequest.BodyPublishers.ofString("sixteen bytes ok")).body())
                .isEqualTo("got sixteen bytes ok");
    }

    @Test
    void readBoundedWhenChunkedBodyOverLimitThenTooLargeAnswerArrives() throws Exception {
        // No Content-Length: the limit is found while reading, and the answer must still reach the client.
        HttpResponse<String> response = post(
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[64 * 1024])));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("too large");
    }

    @Test
    void declaredLongerThanWhenContentLengthOverLimitThenRefusedBeforeReading() throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1]));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("declared");
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                        .POST(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
