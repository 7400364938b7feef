package dev.gatehouse.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the protocol layer sees it, independent of the HTTP server.
 *
 * @param method HTTP method, upper case
 * @param rawPath the path exactly as sent, still percent-encoded
 * @param rawQuery the query string as sent, without {@code ?}; empty when absent
 * @param headers header names in lower case, values in arrival order
 * @param body the raw body bytes
 * @param sourceIp the peer address
 * @param requestId the id echoed in {@code x-amzn-RequestId} and in log lines
 */
public record AwsRequest(
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        String sourceIp,
        String requestId) {

    public AwsRequest {
        Objects.requireNonNull(method, "method cannot be null");
        Objects.requireNonNull(rawPath, "rawPath cannot be null");
        Objects.requireNonNull(rawQuery, "rawQuery cannot be null");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body cannot be null");
        Objects.requireNonNull(sourceIp, "sourceIp cannot be null");
        Objects.requireNonNull(requestId, "requestId cannot be null");
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
