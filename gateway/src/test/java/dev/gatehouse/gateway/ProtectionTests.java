package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.get;
import static dev.gatehouse.gateway.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.store.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CORS, throttling, payload limit, integration timeout, handler failures and the bounded worker pool. */
class ProtectionTests {

    private final MutableClock clock = MutableClock.at("2026-03-12T19:03:58Z");
    private final AtomicInteger invocations = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> hello = (event, context) -> {
        invocations.incrementAndGet();
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(
                        Map.of("access-control-allow-origin", "https://evil.example", "content-type", "text/plain"))
                .withBody("Hello stranger!")
                .build();
    };
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> blocking = (event, context) -> {
        started.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withBody("late")
                .build();
    };
    private final Gateway gateway = Gateway.builder(Api.builder("notes", "a1b2c3d4e5")
                    .route("GET /public", hello)
                    .route("GET /limited", hello, Throttle.of(1, 2))
                    .route("GET /fail", (event, context) -> {
                        throw new IllegalStateException("boom at line 42");
                    })
                    .route("GET /slow", blocking, Concurrency.of(1, 0))
                    .route("GET /slow-too", blocking)
                    .route("GET /private", hello, Authorization.awsIam())
                    .cors(CorsConfig.builder()
                            .allowOrigins("https://app.example")
                            .allowMethods("GET", "POST")
                            .allowHeaders("authorization", "content-type")
                            .exposeHeaders("x-total")
                            .allowCredentials(true)
                            .maxAge(300)
                            .build())
                    .build())
            .clock(clock)
            .timeout(Duration.ofMillis(300))
            .maxPayloadBytes(1024)
            .credentialResolver((key, token) -> java.util.Optional.empty())
            .build();

    @AfterEach
    void close() {
        release.countDown();
        gateway.close();
    }

    @Test
    void handleWhenPreflightFromAllowedOriginThenAnsweredByGateway() {
        GatewayResponse response = call(
                gateway,
                request(
                        "OPTIONS",
                        "/private",
                        new byte[0],
                        "origin",
                        "https://app.example",
                        "access-control-request-method",
                        "GET",
                        "access-control-request-headers",
                        "authorization"));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("access-control-allow-origin")).contains("https://app.example");
        assertThat(response.header("access-control-allow-methods")).contains("GET,POST");
        assertThat(response.header("access-control-allow-headers")).contains("authorization,content-type");
        assertThat(response.header("access-control-allow-credentials")).contains("true");
        assertThat(response.header("access-control-max-age")).contains("300");
        assertThat(response.header("apigw-requestid")).isPresent();
        assertThat(invocations.get()).isZero();
    }

    @Test
    void handleWhenPreflightFromOtherOriginThenNoCorsHeaders() {
        GatewayResponse response = call(
                gateway,
                request(
                        "OPTIONS",
                        "/public",
                        new byte[0],
                        "origin",
                        "https://evil.example",
                        "access-control-request-method",
                        "GET"));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("access-control-allow-origin")).isEmpty();
    }

    @Test
    void handleWhenCorsConfiguredThenHandlerCorsHeadersReplaced() {
        GatewayResponse response = call(gateway, get("/public", "origin", "https://app.example"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headerValues("access-control-allow-origin")).containsExactly("https://app.example");
        assertThat(response.header("access-control-expose-headers")).contains("x-total");
    }

    @Test
    void handleWhenErrorThenCorsHeadersStillPresent() {
        GatewayResponse notFound = call(gateway, get("/nowhere", "origin", "https://app.example"));
        GatewayResponse forbidden = call(gateway, get("/private", "origin", "https://app.example"));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("access-control-allow-origin")).contains("https://app.example");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("access-control-allow-origin")).contains("https://app.example");
    }

    @Test
    void handleWhenGatewayAnswersItselfThenCorsAndRequestIdOnEveryStatus() throws Exception {
        String origin = "https://app.example";
        call(gateway, get("/limited"));
        call(gateway, get("/limited"));
        GatewayResponse throttled = call(gateway, get("/limited", "origin", origin));
        GatewayResponse tooLarge = call(gateway, request("POST", "/public", new byte[1025], "origin", origin));
        GatewayResponse failed = call(gateway, get("/fail", "origin", origin));
        GatewayResponse timedOut = call(gateway, get("/slow", "origin", origin));
        release.countDown();

        assertThat(List.of(throttled, tooLarge, failed, timedOut))
                .extracting(GatewayResponse::status)
                .containsExactly(429, 413, 500, 503);
        for (GatewayResponse response : List.of(throttled, tooLarge, failed, timedOut)) {
            assertThat(response.headerValues("access-control-allow-origin")).containsExactly(origin);
            assertThat(response.header("access-control-allow-credentials")).contains("true");
            assertThat(response.header("access-control-expose-headers")).contains("x-total");
            assertThat(response.header("apigw-requestid")).isPresent();
        }
    }

    @Test
    void refuseWhenServerRefusesBeforeGatewayThenErrorBodyCorsAndRequestId() {
        GatewayRequest headersOnly = request("PUT", "/public", new byte[0], "origin", "https://app.example");

        GatewayResponse tooLarge = gateway.refuse(headersOnly, 413);
        GatewayResponse draining = gateway.refuse(headersOnly, 503);
        GatewayResponse failed = gateway.refuse(get("/public", "origin", "https://evil.example"), 500);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.bodyText()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        assertThat(tooLarge.header("x-amzn-errortype")).contains("RequestEntityTooLargeException");
        assertThat(tooLarge.header("access-control-allow-origin")).contains("https://app.example");
        assertThat(tooLarge.header("apigw-requestid")).isPresent();
        assertThat(draining.status()).isEqualTo(503);
        assertThat(draining.bodyText()).isEqualTo("{\"message\":\"Service Unavailable\"}");
        assertThat(draining.header("access-control-allow-origin")).contains("https://app.example");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.header("access-control-allow-origin")).isEmpty();
        assertThat(failed.header("apigw-requestid")).isPresent();
        assertThatThrownBy(() -> gateway.refuse(headersOnly, 404)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handleWhenBurstExhaustedThenTooManyRequestsUntilRefill() {
        assertThat(call(gateway, get("/limited")).status()).isEqualTo(200);
        assertThat(call(gateway, get("/limited")).status()).isEqualTo(200);

        GatewayResponse throttled = call(gateway, get("/limited"));
        clock.advance(Duration.ofSeconds(1));
        GatewayResponse refilled = call(gateway, get("/limited"));

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.bodyText()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(refilled.status()).isEqualTo(200);
        assertThat(call(gateway, get("/public")).status()).isEqualTo(200);
    }

    @Test
    void handleWhenBodyOverLimitThenRequestEntityTooLarge() {
        GatewayResponse response = call(gateway, request("GET", "/public", new byte[1025]));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        assertThat(invocations.get()).isZero();
    }

    @Test
    void handleWhenHandlerThrowsThenInternalServerErrorWithoutDetails() {
        GatewayResponse response = call(gateway, get("/fail"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(response.header("apigw-requestid")).isPresent();
    }

    @Test
    void handleWhenHandlerTooSlowThenServiceUnavailable() {
        GatewayResponse response = call(gateway, get("/slow"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void handleWhenPoolFullThenTooManyRequests() throws Exception {
        CompletionStage<GatewayResponse> first = gateway.handle(get("/slow"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        GatewayResponse second = call(gateway, get("/slow"));
        release.countDown();

        assertThat(second.status()).isEqualTo(429);
        assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS).status())
                .isIn(200, 503);
    }

    @Test
    void handleWhenAnotherRouteOfTheSameHandlerIsBusyThenTooManyRequests() throws Exception {
        CompletionStage<GatewayResponse> first = gateway.handle(get("/slow"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        GatewayResponse second = call(gateway, get("/slow-too"));
        release.countDown();

        assertThat(second.status()).isEqualTo(429);
        assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS).status())
                .isIn(200, 503);
    }

    @Test
    void handleWhenCalledThenHandlerRunsOffTheCallerThread() {
        Thread caller = Thread.currentThread();
        Thread[] ran = new Thread[1];
        Gateway threads = Gateway.builder(Api.builder("t", "t")
                        .route("GET /", (event, context) -> {
                            ran[0] = Thread.currentThread();
                            return APIGatewayV2HTTPResponse.builder()
                                    .withStatusCode(204)
                                    .build();
                        })
                        .build())
                .build();

        assertThat(call(threads, get("/")).status()).isEqualTo(204);
        threads.close();

        assertThat(ran[0]).isNotSameAs(caller);
    }

    @Test
    void handleWhenRouteNonBlockingThenHandlerRunsOnTheCallerThreadAndCompletesAtOnce() {
        Thread caller = Thread.currentThread();
        Thread[] ran = new Thread[1];
        Gateway inline = Gateway.builder(Api.builder("t", "t")
                        .route(
                                "GET /",
                                (event, context) -> {
                                    ran[0] = Thread.currentThread();
                                    return APIGatewayV2HTTPResponse.builder()
                                            .withStatusCode(200)
                                            .withBody("Hello stranger!")
                                            .build();
                                },
                                Invocation.NON_BLOCKING)
                        .build())
                .build();

        CompletionStage<GatewayResponse> answer = inline.handle(get("/"));
        inline.close();

        assertThat(answer.toCompletableFuture().isDone()).isTrue();
        GatewayResponse response = answer.toCompletableFuture().join();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello stranger!");
        assertThat(response.header("apigw-requestid")).isPresent();
        assertThat(ran[0]).isSameAs(caller);
    }

    @Test
    void handleWhenNonBlockingHandlerFailsOrReturnsNullThenInternalServerError() {
        Gateway inline = Gateway.builder(Api.builder("t", "t")
                        .route(
                                "GET /fail",
                                (event, context) -> {
                                    throw new IllegalStateException("boom at line 42");
                                },
                                Invocation.NON_BLOCKING)
                        .route("GET /null", (event, context) -> null, Invocation.NON_BLOCKING)
                        .build())
                .build();

        GatewayResponse failed = call(inline, get("/fail"));
        GatewayResponse empty = call(inline, get("/null"));
        inline.close();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(empty.status()).isEqualTo(500);
        assertThat(empty.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void handleWhenNonBlockingRouteUnsignedOrThrottledThenHandlerNeverRuns() {
        Gateway inline = Gateway.builder(Api.builder("t", "t")
                        .route("GET /private", hello, Authorization.awsIam(), Invocation.NON_BLOCKING)
                        .route("GET /limited", hello, Throttle.of(0, 1), Invocation.NON_BLOCKING)
                        .build())
                .credentialResolver((key, token) -> java.util.Optional.empty())
                .clock(clock)
                .build();

        GatewayResponse unsigned = call(inline, get("/private"));
        GatewayResponse first = call(inline, get("/limited"));
        GatewayResponse second = call(inline, get("/limited"));
        inline.close();

        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(unsigned.bodyText()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(invocations.get()).isEqualTo(1);
    }

    @Test
    void routeWhenNonBlockingWithConcurrencyThenRejected() {
        assertThatThrownBy(() ->
                        Api.builder("t", "t").route("GET /", hello, Invocation.NON_BLOCKING, Concurrency.of(2, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no worker pool");
    }
}
