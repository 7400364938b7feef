package dev.gatehouse.notes.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.store.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five functions as Lambda runs them: each event is the JSON API Gateway sends (payload 2.0, an {@code AWS_IAM}
 * route called with identity-pool credentials; resources under {@code events/}), deserialized by the same library
 * Lambda's Java runtime uses, handled against moto's DynamoDB API and an S3 stub (both on loopback), and the response
 * serialized back the runtime's way.
 */
class NotesFunctionsTests {

    private static final String BUCKET = "notes-attachments";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = LambdaEventSerializers.serializerFor(
            APIGatewayV2HTTPEvent.class, NotesFunctionsTests.class.getClassLoader());
    private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES = LambdaEventSerializers.serializerFor(
            APIGatewayV2HTTPResponse.class, NotesFunctionsTests.class.getClassLoader());

    private static HttpServer s3;
    private static final List<String> S3_REQUESTS = new CopyOnWriteArrayList<>();
    private static NotesApi api;

    private final String alice = "us-east-1:" + UUID.randomUUID();
    private final String bob = "us-east-1:" + UUID.randomUUID();

    @BeforeAll
    static void startS3Stub() throws Exception {
        s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            // the decoded path: the SDK percent-encodes the identity id's colon, as S3 keys require
            S3_REQUESTS.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        s3.start();
        Map<String, String> env = Map.of(
                "ATTACHMENTS_BUCKET",
                BUCKET,
                "TABLE_PREFIX",
                "lambda-test-",
                "AWS_REGION",
                "us-east-1",
                "DYNAMODB_ENDPOINT",
                MotoServer.shared().endpoint().toString(),
                "S3_ENDPOINT",
                "http://127.0.0.1:" + s3.getAddress().getPort());
        api = NotesContainer.create(NotesLambdaSettings.fromEnvironment(env), Clock.systemUTC());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (s3 != null) {
            s3.stop(0);
        }
    }

    @Test
    void createWhenApiGatewayEventThenNoteOwnedByCallersIdentityId() throws Exception {
        JsonNode note = body(invoke(new CreateNoteFunction(api), "create-note.json", alice, ""), 200);

        assertThat(note.path("userId").asText()).isEqualTo(alice);
        assertThat(note.path("noteId").asText()).matches("[0-9a-f-]{36}");
        assertThat(note.path("content").asText()).isEqualTo("hello world");
        assertThat(note.path("attachment").asText()).isEqualTo("hello.jpg");
        assertThat(note.path("createdAt").isIntegralNumber()).isTrue();
    }

    @Test
    void handlersWhenWholeJourneyThenReadUpdateListDeleteAndDeleteAttachment() throws Exception {
        String first = body(invoke(new CreateNoteFunction(api), "create-note.json", alice, ""), 200)
                .path("noteId")
                .asText();
        String second = body(invoke(new CreateNoteFunction(api), "create-note.json", alice, ""), 200)
                .path("noteId")
                .asText();

        JsonNode read = body(invoke(new GetNoteFunction(api), "get-note.json", alice, first), 200);
        assertThat(read.path("content").asText()).isEqualTo("hello world");

        JsonNode updated = body(invoke(new UpdateNoteFunction(api), "update-note.json", alice, first), 200);
        assertThat(updated.path("status").asBoolean()).isTrue();
        assertThat(body(invoke(new GetNoteFunction(api), "get-note.json", alice, first), 200)
                        .path("content")
                        .asText())
                .isEqualTo("new world");

        JsonNode list = body(invoke(new ListNotesFunction(api), "list-notes.json", alice, ""), 200);
        assertThat(list.isArray()).isTrue();
        assertThat(list.findValuesAsText("noteId")).containsExactly(second, first);

        S3_REQUESTS.clear();
        JsonNode deleted = body(invoke(new DeleteNoteFunction(api), "delete-note.json", alice, first), 200);
        assertThat(deleted.path("status").asBoolean()).isTrue();
        assertThat(S3_REQUESTS).containsExactly("DELETE /" + BUCKET + "/private/" + alice + "/new.jpg");
        body(invoke(new GetNoteFunction(api), "get-note.json", alice, first), 404);
    }

    @Test
    void handlersWhenAnotherIdentityThenNotFoundAndNoteUnchanged() throws Exception {
        String noteId = body(invoke(new CreateNoteFunction(api), "create-note.json", alice, ""), 200)
                .path("noteId")
                .asText();

        body(invoke(new GetNoteFunction(api), "get-note.json", bob, noteId), 404);
        body(invoke(new UpdateNoteFunction(api), "update-note.json", bob, noteId), 404);
        body(invoke(new DeleteNoteFunction(api), "delete-note.json", bob, noteId), 404);
        assertThat(body(invoke(new ListNotesFunction(api), "list-notes.json", bob, ""), 200))
                .isEmpty();

        assertThat(body(invoke(new GetNoteFunction(api), "get-note.json", alice, noteId), 200)
                        .path("content")
                        .asText())
                .isEqualTo("hello world");
    }

    @Test
    void eventWhenDeserializedTheRuntimesWayThenCarriesTheIamCognitoIdentity() throws Exception {
        APIGatewayV2HTTPEvent event = event("get-note.json", alice, "0190a0b0-0000-7000-8000-000000000000");

        assertThat(event.getRouteKey()).isEqualTo("GET /notes/{id}");
        assertThat(event.getPathParameters()).containsEntry("id", "0190a0b0-0000-7000-8000-000000000000");
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("GET");
        assertThat(event.getRequestContext()
                        .getAuthorizer()
                        .getIam()
                        .getCognitoIdentity()
                        .getIdentityId())
                .isEqualTo(alice);
        assertThat(event.getIsBase64Encoded()).isFalse();
    }

    @Test
    void settingsWhenBucketMissingOrEndpointInvalidThenNamesTheVariable() {
        assertThatThrownBy(() -> NotesLambdaSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ATTACHMENTS_BUCKET");
        assertThatThrownBy(() -> NotesLambdaSettings.fromEnvironment(
                        Map.of("ATTACHMENTS_BUCKET", "b", "DYNAMODB_ENDPOINT", "not a url")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DYNAMODB_ENDPOINT");
        NotesLambdaSettings defaults = NotesLambdaSettings.fromEnvironment(Map.of("ATTACHMENTS_BUCKET", "b"));
        assertThat(defaults.store().tableName()).isEqualTo("gatehouse-items");
        assertThat(defaults.s3EndpointOverride()).isEmpty();
    }

    /** The handler's response to the event in {@code resource}, serialized and parsed back as Lambda would. */
    private static JsonNode invoke(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
            String resource,
            String identityId,
            String noteId)
            throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event(resource, identityId, noteId), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RESPONSES.toJson(response, out);
        return JSON.readTree(out.toByteArray());
    }

    private static APIGatewayV2HTTPEvent event(String resource, String identityId, String noteId) throws IOException {
        try (InputStream in = NotesFunctionsTests.class.getResourceAsStream("/events/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource events/" + resource);
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${identityId}", identityId)
                    .replace("${noteId}", noteId)
                    .replace("${sub}", UUID.randomUUID().toString());
            return EVENTS.fromJson(json);
        }
    }

    /** Checks the serialized response's status and JSON content type; returns its parsed body. */
    private static JsonNode body(JsonNode response, int status) throws IOException {
        assertThat(response.path("statusCode").asInt())
                .as("statusCode of %s", response)
                .isEqualTo(status);
        assertThat(response.path("headers").path("content-type").asText()).startsWith("application/json");
        return JSON.readTree(response.path("body").asText());
    }
}
