package dev.gatehouse.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API Gateway's own error responses (aws-wire.md E.4): JSON bodies with {@code x-amzn-ErrorType}. */
final class GatewayErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayErrors() {
  }

  static GatewayResponse notFound() {
    return error(404, "NotFoundException", "message", "Not Found");
  }

  static GatewayResponse forbidden() {
    return error(403, "ForbiddenException", "message", "Forbidden");
  }

  static GatewayResponse unauthorized(String description) {
    return error(401, "UnauthorizedException", "message", "Unauthorized")
        .withHeader("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\""
            + description + "\"");
  }

  static GatewayResponse signature(String errorType, String message) {
    return error(403, errorType, "message", message);
  }

  /** IAM policy deny: the body's key is {@code Message}, capitalised, as API Gateway sends it. */
  static GatewayResponse accessDenied(String message) {
    return error(403, "AccessDeniedException", "Message", message);
  }

  static GatewayResponse tooManyRequests() {
    return error(429, "TooManyRequestsException", "message", "Too Many Requests");
  }

  static GatewayResponse tooLarge() {
    return error(413, "RequestEntityTooLargeException", "message", "Request Entity Too Large");
  }

  static GatewayResponse internalError() {
    return error(500, "InternalServerErrorException", "message", "Internal Server Error");
  }

  static GatewayResponse serviceUnavailable() {
    return error(503, "ServiceUnavailableException", "message", "Service Unavailable");
  }

  private static GatewayResponse error(int status, String errorType, String key, String message) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    headers.put("x-amzn-errortype", List.of(errorType));
    return new GatewayResponse(status, headers, json(key, message));
  }

  private static byte[] json(String key, String message) {
    try {
      return JSON.writeValueAsBytes(Map.of(key, message));
    } catch (JsonProcessingException e) {
      return "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
    }
  }
}
