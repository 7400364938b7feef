package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The payload 2.0 event (aws-wire.md E.1.1) and the response mapping (E.3). */
class EventMappingTests {

    private final MutableClock clock = MutableClock.at("2020-03-12T19:03:58.390Z");
    private final AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
    private final AtomicReference<APIGatewayV2HTTPResponse> reply = new AtomicReference<>();
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = (event, context) -> {
        seen.set(event);
        return reply.get();
    };
    private final Gateway gateway = Gateway.builder(Api.builder("notes", "api-id")
                    .route("GET /notes/{id}", handler)
                    .route("POST /upload", handler)
                    .build())
            .region("us-west-2")
            .accountId("123456789012")
            .clock(clock)
            .requestIds(() -> "id")
            .build();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void handleWhenRequestThenEventHasTheShapeOfPayload2() throws Exception {
        reply.set(APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());

        call(
                gateway,
                request(
                        "GET",
                        "/notes/123?parameter1=value1&parameter1=value2&parameter2=value",
                        new byte[0],
                        "header1",
                        "value1",
                        "header2",
                        "value1",
                        "Header2",
                        "value2",
                        "cookie",
                        "cookie1; cookie2",
                        "user-agent",
                        "agent"));

        JsonNode json = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .valueToTree(seen.get());
        assertThat(fieldNames(json))
                .containsExactlyInAnyOrder(
                        "version",
                        "routeKey",
                        "rawPath",
                        "rawQueryString",
                        "cookies",
                        "headers",
                        "queryStringParameters",
                        "pathParameters",
                        "requestContext",
                        "isBase64Encoded");
        assertThat(json.get("version").asText()).isEqualTo("2.0");
        assertThat(json.get("routeKey").asText()).isEqualTo("GET /notes/{id}");
        assertThat(json.get("rawPath").asText()).isEqualTo("/notes/123");
        assertThat(json.get("rawQueryString").asText())
                .isEqualTo("parameter1=value1&parameter1=value2&parameter2=value");
        assertThat(json.get("cookies").toString()).isEqualTo("[\"cookie1\",\"cookie2\"]");
        assertThat(json.get("headers").get("header2").asText()).isEqualTo("value1,value2");
        assertThat(json.get("headers").has("cookie")).isFalse();
        assertThat(json.get("queryStringParameters").toString())
                .isEqualTo("{\"parameter1\":\"value1,value2\",\"parameter2\":\"value\"}");
        assertThat(json.get("pathParameters").toString()).isEqualTo("{\"id\":\"123\"}");
        assertThat(json.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = json.get("requestContext");
        assertThat(fieldNames(context))
                .containsExactlyInAnyOrder(
                        "accountId",
                        "apiId",
                        "domainName",
                        "domainPrefix",
                        "http",
                        "requestId",
                        "routeKey",
                        "stage",
                        "time",
                        "timeEpoch");
        assertThat(context.get("domainName").asText()).isEqualTo("api-id.execute-api.us-west-2.amazonaws.com");
        assertThat(context.get("domainPrefix").asText()).isEqualTo("api-id");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("requestId").asText()).isEqualTo("id");
        assertThat(context.get("time").asText()).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(context.get("timeEpoch").asLong()).isEqualTo(1584039838390L);
        assertThat(context.get("http").toString())
                .isEqualTo("{\"method\":\"GET\",\"path\":\"/notes/123\","
                        + "\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"agent\"}");
    }

    @Test
    void handleWhenJsonBodyThenTextBody() {
        reply.set(APIGatewayV2HTTPResponse.builder().withStatusCode(201).build());

        call(
                gateway,
                request(
                        "POST",
                        "/upload",
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        "content-type",
                        "application/json"));

        assertThat(seen.get().getBody()).isEqualTo("{\"a\":1}");
        assertThat(seen.get().getIsBase64Encoded()).isFalse();
    }

    @Test
    void handleWhenBinaryBodyThenBase64() {
        reply.set(APIGatewayV2HTTPResponse.builder().withStatusCode(201).build());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};

        call(gateway, request("POST", "/upload", png, "content-type", "image/png"));

        assertThat(seen.get().getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(seen.get().getBody())).isEqualTo(png);
    }

    @Test
    void handleWhenNoStatusCodeThen200Json() {
        reply.set(APIGatewayV2HTTPResponse.builder()
                .withBody("{\"hello\":\"world\"}")
                .build());

        GatewayResponse response = call(gateway, request("GET", "/notes/1", new byte[0]));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).contains("application/json");
        assertThat(response.bodyText()).isEqualTo("{\"hello\":\"world\"}");
    }

    @Test
    void handleWhenResponseHasCookiesAndMultiValueHeadersThenMerged() {
        reply.set(APIGatewayV2HTTPResponse.builder()
                .withStatusCode(302)
                .withHeaders(Map.of("Location", "/home", "X-Single", "one"))
                .withMultiValueHeaders(Map.of("X-Single", List.of("a", "b")))
                .withCookies(List.of("a=1; Path=/", "b=2; HttpOnly"))
                .build());

        GatewayResponse response = call(gateway, request("GET", "/notes/1", new byte[0]));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("location")).contains("/home");
        assertThat(response.headerValues("x-single")).containsExactly("a", "b");
        assertThat(response.headerValues("set-cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
        assertThat(response.header("apigw-requestid")).contains("id");
    }

    @Test
    void handleWhenBase64ResponseThenDecoded() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        reply.set(APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withIsBase64Encoded(true)
                .withHeaders(Map.of("content-type", "application/octet-stream"))
                .withBody(Base64.getEncoder().encodeToString(bytes))
                .build());

        GatewayResponse response = call(gateway, request("GET", "/notes/1", new byte[0]));

        assertThat(response.body()).isEqualTo(bytes);
    }

    @Test
    void handleWhenHandlerReturnsNullThenInternalServerError() {
        reply.set(null);

        GatewayResponse response = call(gateway, request("GET", "/notes/1", new byte[0]));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void clfWhenSecondsChangeOrClockGoesBackThenEachInstantGetsItsOwnText() {
        assertThat(Events.clf(java.time.Instant.parse("2026-03-12T19:03:58.001Z")))
                .isEqualTo("12/Mar/2026:19:03:58 +0000");
        assertThat(Events.clf(java.time.Instant.parse("2026-03-12T19:03:58.999Z")))
                .isEqualTo("12/Mar/2026:19:03:58 +0000");
        assertThat(Events.clf(java.time.Instant.parse("2026-03-12T19:03:59Z"))).isEqualTo("12/Mar/2026:19:03:59 +0000");
        assertThat(Events.clf(java.time.Instant.parse("2025-12-31T23:59:59.500Z")))
                .isEqualTo("31/Dec/2025:23:59:59 +0000");
        assertThat(Events.clf(java.time.Instant.parse("2026-03-12T19:03:59.400Z")))
                .isEqualTo("12/Mar/2026:19:03:59 +0000");
    }

    @Test
    void eventWhenHeaderRepeatedInSeveralCasesThenOneEntryInArrivalOrder() {
        GatewayRequest request = GatewayRequest.of(
                "GET", "/", "", new java.util.LinkedHashMap<>(Map.of("X-Trace", List.of("a"))), new byte[0]);
        java.util.Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put("X-Trace", List.of("a", "b"));
        headers.put("x-trace", List.of("c"));
        headers.put("host", List.of(Requests.HOST));
        GatewayRequest repeated = GatewayRequest.of("GET", "/", "", headers, new byte[0]);

        assertThat(request.headerValues("x-trace")).containsExactly("a");
        assertThat(repeated.headerValues("X-TRACE")).containsExactly("a", "b", "c");
        assertThat(repeated.headers()).containsOnlyKeys("x-trace", "host");
    }
}
