package dev.gatehouse.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The handlers fed an event as API Gateway sends it over the wire: the JSON of payload format 2.0 for an AWS_IAM route
 * called with identity-pool credentials (shape from aws-wire.md §E.1.1), bound to the Lambda events classes.
 */
class EventJsonTests {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final NotesApi api = new NotesApi(new InMemoryItemStore(clock), clock, new RecordingAttachments());

    @Test
    void createWhenApiGatewayEventJsonThenNoteOfTheIdentityInTheEvent() throws IOException {
        APIGatewayV2HTTPEvent event;
        try (InputStream in = getClass().getResourceAsStream("/events/post-notes-iam.json")) {
            event = JSON.readValue(in, APIGatewayV2HTTPEvent.class);
        }

        APIGatewayV2HTTPResponse response = api.create().handleRequest(event, null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode note = JSON.readTree(response.getBody());
        assertThat(note.get("userId").asText()).isEqualTo("us-east-1:06d418dd-b55b-4f7d-9af4-5d067a69106e");
        assertThat(note.get("content").asText()).isEqualTo("hello world");
        assertThat(note.get("attachment").asText()).isEqualTo("hello.jpg");
        assertThat(note.get("createdAt").asLong()).isEqualTo(1704067200000L);
    }
}
