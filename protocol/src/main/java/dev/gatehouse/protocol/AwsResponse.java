package dev.gatehouse.protocol;

import java.util.Map;
import java.util.Objects;

/** One HTTP response produced by the protocol layer. Header names as they go on the wire. */
public record AwsResponse(int status, Map<String, String> headers, byte[] body) {

    public AwsResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body cannot be null");
    }
}
