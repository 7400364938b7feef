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

  private Requests() {
  }

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
      headers.computeIfAbsent(headerPairs[i], k -> new java.util.ArrayList<>()).add(headerPairs[i + 1]);
    }
    return GatewayRequest.of(method, path, query, headers, body);
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
    return (event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withHeaders(Map.of("content-type", "text/plain")).withBody(text).build();
  }

  /** Answers 200 with the route key and remembers the event. */
  static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> recording(
      AtomicReference<APIGatewayV2HTTPEvent> seen) {
    return (event, context) -> {
      seen.set(event);
      return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(event.getRouteKey()).build();
    };
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
