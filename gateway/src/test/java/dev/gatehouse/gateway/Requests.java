package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Test fixtures: requests, handlers, and calling a gateway in memory. */
final class Requests {

    static final String HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";

    private Requests() {}

    static GatewayRequest get(String pathAndQuery, String... headerPairs) {
        return request("GET", pathAndQuery, new byte[0], headerPairs);
    }

    static GatewayRequest request(String method, String pathAndQuery, byte[] body, String... headerPairs) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of(HOST));
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.computeIfAbsent(headerPairs[i], k -> new java.util.ArrayList<>())
                    .add(headerPairs[i + 1]);
        }
        return GatewayRequest.of(method, path, query, headers, body);
    }

    /** A GET signed by the AWS SDK's SigV4 signer for {@code execute-api} in us-east-1 at {@code at}. */
    static GatewayRequest signedGet(
            java.time.Instant at, String key, String secret, String token, String pathAndQuery, String... headerPairs) {
        software.amazon.awssdk.http.SdkHttpRequest.Builder builder =
                software.amazon.awssdk.http.SdkHttpRequest.builder()
                        .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
                        .uri(java.net.URI.create("https://" + HOST + pathAndQuery));
        for (int i = 0; i < headerPairs.length; i += 2) {
            builder.putHeader(headerPairs[i], headerPairs[i + 1]);
        }
        software.amazon.awssdk.http.SdkHttpRequest signed =
                software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
                        .sign(r -> r.identity(software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(
                                        key, secret, token))
                                .request(builder.build())
                                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(new byte[0]))
                                .putProperty(
                                        software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner
                                                .SERVICE_SIGNING_NAME,
                                        "execute-api")
                                .putProperty(
                                        software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME,
                                        "us-east-1")
                                .putProperty(
                                        software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK,
                                        java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)))
                        .request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), new java.util.ArrayList<>(values)));
        headers.putIfAbsent("host", List.of(HOST));
        java.net.URI uri = signed.getUri();
        return GatewayRequest.of(
                "GET", uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers, new byte[0]);
    }

    static GatewayResponse call(Gateway gateway, GatewayRequest request) {
        try {
            return gateway.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Answers {@code 200 <text>}. */
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> answering(String text) {
        return (event, context) -> APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("content-type", "text/plain"))
                .withBody(text)
                .build();
    }

    /** Answers 200 with the route key and remembers the event. */
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> recording(
            AtomicReference<APIGatewayV2HTTPEvent> seen) {
        return (event, context) -> {
            seen.set(event);
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withBody(event.getRouteKey())
                    .build();
        };
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
