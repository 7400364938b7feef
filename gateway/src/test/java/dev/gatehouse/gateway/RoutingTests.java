package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.get;
import static dev.gatehouse.gateway.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route selection as API Gateway does it (aws-wire.md E.5, E.7). */
class RoutingTests {

    private final AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = Requests.recording(seen);
    private final Gateway gateway = Gateway.builder(Api.builder("pets", "a1b2c3d4e5")
                    .route("GET /pets/dog/1", handler)
                    .route("GET /pets/dog/{id}", handler)
                    .route("ANY /pets/dog/{id}", handler)
                    .route("GET /pets/{kind}/{id}", handler)
                    .route("GET /pets/{proxy+}", handler)
                    .route("GET /pets/dog/{rest+}", handler)
                    .route("ANY /{proxy+}", handler)
                    .route("GET /", handler)
                    .route("$default", handler)
                    .stage("$default")
                    .stage("dev")
                    .build())
            .build();

    @AfterEach
    void close() {
        gateway.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET    | /pets/dog/1       | GET /pets/dog/1",
                "GET    | /pets/dog/2       | GET /pets/dog/{id}",
                "POST   | /pets/dog/2       | ANY /pets/dog/{id}",
                "GET    | /pets/cat/2       | GET /pets/{kind}/{id}",
                "GET    | /pets/dog/2/toys  | GET /pets/dog/{rest+}",
                "GET    | /pets/cat/2/toys  | GET /pets/{proxy+}",
                "POST   | /test/5           | ANY /{proxy+}",
                "GET    | /                 | GET /",
                "POST   | /                 | $default",
                "GET    | /dev/pets/dog/1   | GET /pets/dog/1",
                "GET    | /dev              | GET /",
            })
    void handleWhenRoutesOverlapThenMostSpecificWins(String method, String path, String routeKey) {
        GatewayResponse response = call(gateway, request(method, path, new byte[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(routeKey);
    }

    @Test
    void handleWhenNamedStageThenStageAndRawPathWithPrefix() {
        call(gateway, get("/dev/pets/cat/7"));

        assertThat(seen.get().getRequestContext().getStage()).isEqualTo("dev");
        assertThat(seen.get().getRawPath()).isEqualTo("/dev/pets/cat/7");
        assertThat(seen.get().getPathParameters()).isEqualTo(Map.of("kind", "cat", "id", "7"));
    }

    @Test
    void handleWhenDefaultStageThenStageIsDollarDefault() {
        call(gateway, get("/pets/cat/7"));

        assertThat(seen.get().getRequestContext().getStage()).isEqualTo("$default");
    }

    @Test
    void handleWhenEncodedPathThenParametersDecoded() {
        call(gateway, get("/pets/a%20b/caf%C3%A9%2Fx"));

        assertThat(seen.get().getRouteKey()).isEqualTo("GET /pets/{kind}/{id}");
        assertThat(seen.get().getPathParameters()).isEqualTo(Map.of("kind", "a b", "id", "café/x"));
    }

    @Test
    void handleWhenGreedyThenRemainderWithoutLeadingSlash() {
        call(gateway, get("/pets/dog/2/toys/ball"));

        assertThat(seen.get().getPathParameters()).isEqualTo(Map.of("rest", "2/toys/ball"));
    }

    @Test
    void handleWhenNoRouteMatchesThenNotFound() {
        Gateway strict = Gateway.builder(
                        Api.builder("strict", "x").route("GET /only", handler).build())
                .build();

        GatewayResponse response = call(strict, get("/other"));
        GatewayResponse wrongMethod = call(strict, request("POST", "/only", new byte[0]));
        strict.close();

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(response.header("apigw-requestid")).isPresent();
        assertThat(wrongMethod.status()).isEqualTo(404);
    }

    @Test
    void handleWhenOnlyNamedStagesThenUnprefixedPathNotFound() {
        Gateway staged = Gateway.builder(Api.builder("staged", "x")
                        .stage("prod")
                        .route("GET /a", handler)
                        .build())
                .build();

        assertThat(call(staged, get("/prod/a")).status()).isEqualTo(200);
        assertThat(call(staged, get("/a")).status()).isEqualTo(404);
        staged.close();
    }

    @Test
    void handleWhenDotSegmentThenNotFound() {
        Gateway strict = Gateway.builder(Api.builder("strict", "x")
                        .route("GET /a/{x}/b", handler)
                        .build())
                .build();

        assertThat(call(strict, get("/a/%2E%2E/b")).status()).isEqualTo(404);
        strict.close();
    }

    @Test
    void routeWhenGreedyNotLastThenIllegalArgument() {
        assertThatThrownBy(() -> Api.builder("x", "x").route("GET /{proxy+}/a", handler))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Api.builder("x", "x").route("get /a", handler))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
