package dev.gatehouse.gateway;

import dev.gatehouse.iam.HeaderMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the server received it, before any routing. Nothing in it is trusted.
 *
 * @param method the HTTP method as sent, such as {@code GET}
 * @param rawPath the path exactly as sent, still percent-encoded, including a named stage's prefix
 * @param rawQuery the query string as sent, without {@code ?}; empty when absent
 * @param headers header names (lower-cased) to their values in arrival order (the same name sent in several cases is
 *     one entry); must include {@code host}
 * @param body the whole request body; empty when there is none
 * @param sourceIp the client's address
 * @param protocol the HTTP version, such as {@code HTTP/1.1}
 */
@SuppressWarnings("ArrayRecordComponent") // the body is handed over, not shared
public record GatewayRequest(
        String method,
        String rawPath,
        String rawQuery,
        HeaderMap headers,
        byte[] body,
        String sourceIp,
        String protocol) {

    public GatewayRequest {
        Objects.requireNonNull(method, "method cannot be null");
        Objects.requireNonNull(rawPath, "rawPath cannot be null");
        Objects.requireNonNull(rawQuery, "rawQuery cannot be null");
        Objects.requireNonNull(headers, "headers cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        Objects.requireNonNull(sourceIp, "sourceIp cannot be null");
        Objects.requireNonNull(protocol, "protocol cannot be null");
    }

    /** A request whose headers are copied into a {@link HeaderMap}: names lower-cased, one entry per name. */
    public GatewayRequest(
            String method,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body,
            String sourceIp,
            String protocol) {
        this(method, rawPath, rawQuery, HeaderMap.of(headers), body, sourceIp, protocol);
    }

    /** A request over HTTP/1.1 from {@code 127.0.0.1}. */
    public static GatewayRequest of(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        return new GatewayRequest(method, rawPath, rawQuery, headers, body, "127.0.0.1", "HTTP/1.1");
    }

    /** All values of a header, in arrival order; empty when absent. */
    public List<String> headerValues(String name) {
        return headers.values(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        // Never the headers or body: they may carry tokens.
        return "GatewayRequest[" + method + " " + rawPath + "]";
    }
}
