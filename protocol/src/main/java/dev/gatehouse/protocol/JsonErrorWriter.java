package dev.gatehouse.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an {@link AwsError} as AWS JSON services do: the code in {@code __type} and in {@code x-amzn-ErrorType},
 * the text in {@code message}. Every JSON-protocol error goes through here.
 */
public final class JsonErrorWriter {

    private JsonErrorWriter() {}

    public static AwsResponse write(AwsError error, String requestId) {
        ObjectNode body = AwsJson.mapper().createObjectNode();
        body.put("__type", error.code());
        body.put("message", error.message());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", AwsJson.CONTENT_TYPE);
        headers.put("x-amzn-ErrorType", error.code());
        headers.put("x-amzn-RequestId", requestId);
        try {
            return new AwsResponse(error.status(), headers, AwsJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            // An ObjectNode of two strings always serializes; keep a literal fallback anyway.
            return new AwsResponse(
                    500, headers, "{\"__type\":\"InternalErrorException\"}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
