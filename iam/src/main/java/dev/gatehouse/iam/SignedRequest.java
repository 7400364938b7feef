package dev.gatehouse.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request whose SigV4 signature has not been checked yet. Nothing in it is trusted.
 *
 * @param method HTTP method as sent, such as {@code POST}
 * @param rawPath the path exactly as sent, still percent-encoded; empty means {@code /}
 * @param rawQuery the query string as sent, without {@code ?}; empty when absent
 * @param headers header names (lower-cased) to their values in arrival order
 * @param body the whole request body; empty when there is none
 */
public record SignedRequest(String method, String rawPath, String rawQuery, HeaderMap headers, byte[] body) {

    public SignedRequest {
        Objects.requireNonNull(method, "method cannot be null");
        Objects.requireNonNull(rawPath, "rawPath cannot be null");
        Objects.requireNonNull(rawQuery, "rawQuery cannot be null");
        Objects.requireNonNull(headers, "headers cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
    }

    /** A request whose headers are copied into a {@link HeaderMap} (names lower-cased). */
    public SignedRequest(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this(method, rawPath, rawQuery, HeaderMap.of(headers), body);
    }

    /** All values of a header, in arrival order; empty when the header is absent. */
    public List<String> headerValues(String name) {
        return headers.values(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(first(name.toLowerCase(Locale.ROOT)));
    }

    /** The first value of the header {@code lowerCaseName} (already lower case), or null: the verifier's hot path. */
    @Nullable
    String first(String lowerCaseName) {
        return headers.first(lowerCaseName);
    }

    /** All values of the header {@code lowerCaseName} (already lower case); empty when absent. */
    List<String> values(String lowerCaseName) {
        return headers.values(lowerCaseName);
    }
}
