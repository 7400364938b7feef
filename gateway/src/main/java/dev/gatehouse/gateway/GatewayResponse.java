package dev.gatehouse.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP response to write back. Header names are lower-case; a name may carry several values (each
 * {@code set-cookie} is its own value and must be written as its own header line).
 *
 * @param status the HTTP status code
 * @param headers lower-case header names to their values
 * @param body the response body; empty when there is none
 */
@SuppressWarnings("ArrayRecordComponent") // the body is handed over, not shared
public record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public GatewayResponse {
        Objects.requireNonNull(headers, "headers cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All values of a header. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A copy with one more header value. */
    GatewayResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
        values.add(value);
        copy.put(name, values);
        return new GatewayResponse(status, copy, body);
    }

    @Override
    public String toString() {
        return "GatewayResponse[" + status + "]";
    }
}
