package dev.gatehouse.notes;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The handlers' responses: JSON bodies with {@code content-type: application/json}, as the recipe's handlers send. */
final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    /** A JSON body with the given status and extra headers (lower-case names). */
    static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("content-type", "application/json");
        all.putAll(headers);
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body did not serialize", e);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(text)
                .build();
    }

    /** 200 with a note and its ETag. */
    static APIGatewayV2HTTPResponse note(Note note) {
        return json(200, note.toJson(), Map.of("etag", note.etag()));
    }

    /** 200 {@code {"status":true}}, the recipe's answer to an update or delete. */
    static APIGatewayV2HTTPResponse ok(Map<String, String> headers) {
        return json(200, Map.of("status", true), headers);
    }

    /** {@code {"status":false,"error":"…"}} with the refusal's status. */
    static APIGatewayV2HTTPResponse error(NotesException refusal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", false);
        body.put("error", refusal.getMessage());
        return json(refusal.status(), body, Map.of());
    }
}
