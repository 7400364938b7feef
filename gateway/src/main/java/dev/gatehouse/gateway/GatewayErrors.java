package dev.gatehouse.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's own error responses (aws-wire.md E.4, lambda-and-templates.md §4.5): JSON bodies with
 * {@code x-amzn-ErrorType}, each tagged with its gateway-response type. Where HTTP and REST APIs answer differently
 * the method takes the {@link ApiType}.
 */
final class GatewayErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayErrors() {}

    /** No route: HTTP 404 {@code Not Found}; REST 403 {@code Missing Authentication Token}. */
    static GatewayError notFound(ApiType type) {
        return type == ApiType.REST
                ? missingAuthenticationToken()
                : new GatewayError("RESOURCE_NOT_FOUND", error(404, "NotFoundException", "message", "Not Found"));
    }

    /** An unsigned request on an AWS_IAM route: HTTP 403 {@code Forbidden}; REST {@code Missing Authentication Token}. */
    static GatewayError missingSignature(ApiType type) {
        return type == ApiType.REST ? missingAuthenticationToken() : forbidden();
    }

    static GatewayError missingAuthenticationToken() {
        return new GatewayError(
                "MISSING_AUTHENTICATION_TOKEN",
                error(403, "MissingAuthenticationTokenException", "message", "Missing Authentication Token"));
    }

    static GatewayError forbidden() {
        return new GatewayError("ACCESS_DENIED", error(403, "ForbiddenException", "message", "Forbidden"));
    }

    /** HTTP API JWT: 401 with {@code www-authenticate}; REST Cognito: a bare 401. */
    static GatewayError unauthorized(ApiType type, String description) {
        GatewayResponse response = error(401, "UnauthorizedException", "message", "Unauthorized");
        if (type == ApiType.HTTP) {
            response = response.withHeader(
                    "www-authenticate",
                    "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"");
        }
        return new GatewayError("UNAUTHORIZED", response);
    }

    static GatewayError signature(String errorType, String message) {
        return new GatewayError("INVALID_SIGNATURE", error(403, errorType, "message", message));
    }

    /** IAM policy deny: the body's key is {@code Message}, capitalised, as API Gateway sends it. */
    static GatewayError accessDenied(String message) {
        return new GatewayError("ACCESS_DENIED", error(403, "AccessDeniedException", "Message", message));
    }

    static GatewayError tooManyRequests() {
        return new GatewayError("THROTTLED", error(429, "TooManyRequestsException", "message", "Too Many Requests"));
    }

    static GatewayError tooLarge() {
        return new GatewayError(
                "REQUEST_TOO_LARGE",
                error(413, "RequestEntityTooLargeException", "message", "Request Entity Too Large"));
    }

    /** Gatehouse's own failure. */
    static GatewayError internalError() {
        return new GatewayError(
                "DEFAULT_5XX", error(500, "InternalServerErrorException", "message", "Internal Server Error"));
    }

    /**
     * A failed integration (the handler threw, answered malformed, its runtime died): HTTP 500
     * {@code Internal Server Error}; REST 502 {@code Internal server error}.
     */
    static GatewayError integrationFailure(ApiType type) {
        if (type == ApiType.HTTP) {
            return internalError();
        }
        return new GatewayError(
                "DEFAULT_5XX",
                literal(502, "InternalServerErrorException", "{\"message\": \"Internal server error\"}"));
    }

    /** The integration timed out: HTTP 503 {@code Service Unavailable}; REST 504 {@code Endpoint request timed out}. */
    static GatewayError integrationTimeout(ApiType type) {
        if (type == ApiType.HTTP) {
            return new GatewayError("INTEGRATION_TIMEOUT", serviceUnavailable().response());
        }
        return new GatewayError(
                "INTEGRATION_TIMEOUT",
                literal(504, "InternalServerErrorException", "{\"message\": \"Endpoint request timed out\"}"));
    }

    static GatewayError serviceUnavailable() {
        return new GatewayError(
                "DEFAULT_5XX", error(503, "ServiceUnavailableException", "message", "Service Unavailable"));
    }

    private static GatewayResponse literal(int status, String errorType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("x-amzn-errortype", List.of(errorType));
        return new GatewayResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
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
