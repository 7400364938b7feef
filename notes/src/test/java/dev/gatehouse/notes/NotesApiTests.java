package dev.gatehouse.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.MutableClock;
import dev.gatehouse.store.Query;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotesApiTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce";
    private static final String BOB = "us-east-1:06d418dd-b55b-4f7d-9af4-5d067a69106e";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final String MISSING_ID = "01890a5d-ac96-774b-bcce-b302099a8057";

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final RecordingAttachments attachments = new RecordingAttachments();
    private InMemoryItemStore memory = new InMemoryItemStore(clock);
    private InterleavingStore store = new InterleavingStore(memory);
    private NotesApi api = new NotesApi(store, clock, attachments);

    @BeforeEach
    void freshStore() {
        memory = new InMemoryItemStore(clock);
        store = new InterleavingStore(memory);
        api = new NotesApi(store, clock, attachments);
    }

    // --- create ---

    @Test
    void createWhenRecipeBodyThenNoteOfTheCallerIdentity() {
        APIGatewayV2HTTPResponse response = call(
                api.create(), NoteEvents.as(ALICE).post("{\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("content-type", "application/json")
                .containsKey("etag");
        JsonNode note = json(response);
        assertThat(fieldNames(note)).containsExactly("userId", "noteId", "content", "attachment", "createdAt");
        assertThat(note.get("userId").asText()).isEqualTo(ALICE);
        assertThat(note.get("noteId").asText()).matches(UUID);
        assertThat(note.get("content").asText()).isEqualTo("hello world");
        assertThat(note.get("attachment").asText()).isEqualTo("hello.jpg");
        assertThat(note.get("createdAt").isIntegralNumber()).isTrue();
        assertThat(note.get("createdAt").asLong()).isEqualTo(clock.millis());
        assertThat(stored(ALICE, note.get("noteId").asText())).isPresent();
    }

    @Test
    void createWhenBodyForgesUserIdAndNoteIdThenTheyAreIgnored() {
        JsonNode note = json(call(
                api.create(),
                NoteEvents.as(ALICE)
                        .post("{\"content\":\"mine\",\"userId\":\"" + BOB + "\",\"noteId\":\"" + MISSING_ID
                                + "\",\"createdAt\":1,\"extra\":{\"nested\":[1,2]}}")));

        assertThat(note.get("userId").asText()).isEqualTo(ALICE);
        assertThat(note.get("noteId").asText()).isNotEqualTo(MISSING_ID);
        assertThat(note.get("createdAt").asLong()).isEqualTo(clock.millis());
        assertThat(partition(BOB)).isEmpty();
        assertThat(partition(ALICE)).hasSize(1);
    }

    @Test
    void createWhenQueryAndPathNameAnotherUserThenTheyAreIgnored() {
        JsonNode note = json(call(
                api.create(),
                NoteEvents.as(ALICE)
                        .post("{\"content\":\"mine\"}")
                        .query("userId", BOB)
                        .pathParameter("userId", BOB)));

        assertThat(note.get("userId").asText()).isEqualTo(ALICE);
        assertThat(partition(BOB)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"content\":\"no file\"}", "{\"content\":\"no file\",\"attachment\":null}"})
    void createWhenNoAttachmentThenNoteWithoutAttachment(String body) {
        JsonNode note = json(call(api.create(), NoteEvents.as(ALICE).post(body)));

        assertThat(fieldNames(note)).containsExactly("userId", "noteId", "content", "createdAt");
    }

    @Test
    void createWhenBodyIsBase64ThenDecoded() {
        String body =
                Base64.getEncoder().encodeToString("{\"content\":\"h\u00e9llo\"}".getBytes(StandardCharsets.UTF_8));

        JsonNode note = json(call(api.create(), NoteEvents.as(ALICE).post("").rawBody(body, true)));

        assertThat(note.get("content").asText()).isEqualTo("h\u00e9llo");
    }

    @Test
    void createWhenContentIsExactlyTheLimitThenCreated() {
        String content = "\u00e9".repeat(Requests.MAX_CONTENT_BYTES / 2);

        APIGatewayV2HTTPResponse response =
                call(api.create(), NoteEvents.as(ALICE).post(body(content)));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).get("content").asText()).isEqualTo(content);
    }

    @Test
    void createWhenAttachmentIsUnicodeFileNameThenKept() {
        String name = "1650485336004-photo d\u2019\u00e9t\u00e9 \uD83D\uDE00.jpg";

        JsonNode note = json(call(api.create(), NoteEvents.as(ALICE).post(body("c", name))));

        assertThat(note.get("attachment").asText()).isEqualTo(name);
    }

    static Stream<Arguments> invalidBodies() {
        String tooLong = "a".repeat(Requests.MAX_CONTENT_BYTES + 1);
        String tooLongUtf8 = "\u00e9".repeat(Requests.MAX_CONTENT_BYTES / 2) + "a";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"content\":", "not valid JSON"),
                Arguments.of("not JSON at all", "hello", "not valid JSON"),
                Arguments.of("trailing tokens", "{\"content\":\"a\"} {}", "not valid JSON"),
                Arguments.of("duplicate member", "{\"content\":\"a\",\"content\":\"b\"}", "not valid JSON"),
                Arguments.of("array", "[{\"content\":\"a\"}]", "JSON object"),
                Arguments.of("string", "\"content\"", "JSON object"),
                Arguments.of("null", "null", "JSON object"),
                Arguments.of("whitespace", "   ", "JSON object"),
                Arguments.of("no content", "{\"attachment\":\"a.jpg\"}", "\"content\" is required"),
                Arguments.of("null content", "{\"content\":null}", "\"content\" is required"),
                Arguments.of("number content", "{\"content\":42}", "\"content\" must be a string"),
                Arguments.of("object content", "{\"content\":{\"text\":\"a\"}}", "\"content\" must be a string"),
                Arguments.of("array content", "{\"content\":[\"a\"]}", "\"content\" must be a string"),
                Arguments.of("boolean content", "{\"content\":true}", "\"content\" must be a string"),
                Arguments.of("empty content", "{\"content\":\"\"}", "must not be empty"),
                Arguments.of("content over the limit", body(tooLong), "at most 65536 bytes"),
                Arguments.of("content over the limit in UTF-8", body(tooLongUtf8), "at most 65536 bytes"),
                Arguments.of("lone surrogate", "{\"content\":\"\\ud800\"}", "valid Unicode"),
                Arguments.of(
                        "number attachment", "{\"content\":\"a\",\"attachment\":1}", "\"attachment\" must be a string"),
                Arguments.of(
                        "object attachment",
                        "{\"content\":\"a\",\"attachment\":{}}",
                        "\"attachment\" must be a string"),
                Arguments.of("empty attachment", body("a", ""), "must not be empty"),
                Arguments.of("dot attachment", body("a", "."), "plain file name"),
                Arguments.of("dot-dot attachment", body("a", ".."), "plain file name"),
                Arguments.of("traversal", body("a", "../../other/secret.jpg"), "plain file name"),
                Arguments.of("slash", body("a", "dir/file.jpg"), "plain file name"),
                Arguments.of("leading slash", body("a", "/etc/passwd"), "plain file name"),
                Arguments.of("backslash", body("a", "..\\secret.jpg"), "plain file name"),
                Arguments.of("NUL", "{\"content\":\"a\",\"attachment\":\"a\\u0000.jpg\"}", "plain file name"),
                Arguments.of("newline", "{\"content\":\"a\",\"attachment\":\"a\\n.jpg\"}", "plain file name"),
                Arguments.of("DEL", "{\"content\":\"a\",\"attachment\":\"a\\u007f.jpg\"}", "plain file name"),
                Arguments.of("C1 control", "{\"content\":\"a\",\"attachment\":\"a\\u0085.jpg\"}", "plain file name"),
                Arguments.of(
                        "attachment lone surrogate", "{\"content\":\"a\",\"attachment\":\"\\udc00\"}", "valid Unicode"),
                Arguments.of(
                        "attachment too long",
                        body("a", "x".repeat(Requests.MAX_ATTACHMENT_BYTES + 1)),
                        "at most 255"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void createWhenBodyInvalidThen400AndNothingStored(String label, String body, String message) {
        APIGatewayV2HTTPResponse response =
                call(api.create(), NoteEvents.as(ALICE).post(body));

        assertError(response, 400, message);
        assertThat(partition(ALICE)).isEmpty();
        assertThat(store.writes()).isZero();
    }

    @Test
    void createWhenNoBodyThen400() {
        assertError(call(api.create(), NoteEvents.as(ALICE).post("").rawBody(null, false)), 400, "JSON object");
        assertError(call(api.create(), NoteEvents.as(ALICE).post("")), 400, "JSON object");
    }

    @Test
    void createWhenBodyIsBadBase64OrNotUtf8Then400() {
        assertError(call(api.create(), NoteEvents.as(ALICE).post("").rawBody("%%%", true)), 400, "not UTF-8 JSON");
        String latin1 = Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
        assertError(call(api.create(), NoteEvents.as(ALICE).post("").rawBody(latin1, true)), 400, "not UTF-8 JSON");
    }

    @Test
    void createWhenBodyOverOneMebibyteThen413() {
        String body = "{\"content\":\"a\",\"padding\":\"" + "x".repeat(Requests.MAX_BODY_BYTES) + "\"}";

        assertError(call(api.create(), NoteEvents.as(ALICE).post(body)), 413, "larger than");
        String encoded = Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        assertError(call(api.create(), NoteEvents.as(ALICE).post("").rawBody(encoded, true)), 413, "larger than");
        assertThat(partition(ALICE)).isEmpty();
    }

    static Stream<Arguments> callersWithoutIdentity() {
        RequestContext.Authorizer jwt = RequestContext.Authorizer.builder()
                .withJwt(RequestContext.Authorizer.JWT
                        .builder()
                        .withClaims(Map.of("sub", "6418b458-d091-705e-122e-04bf2945fcdf"))
                        .build())
                .build();
        RequestContext.Authorizer plainIam = RequestContext.Authorizer.builder()
                .withIam(RequestContext.IAM
                        .builder()
                        .withAccessKey("AKIAXXXXXXXXXXXXXXXX")
                        .withUserArn("arn:aws:iam::123456789012:user/admin")
                        .build())
                .build();
        return Stream.of(
                Arguments.of("no authorizer (a NONE route)", null),
                Arguments.of("a JWT authorizer", jwt),
                Arguments.of("an IAM user without Cognito identity", plainIam),
                Arguments.of("an empty identity id", NoteEvents.iam("")),
                Arguments.of("a blank identity id", NoteEvents.iam("  ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callersWithoutIdentity")
    void everyHandlerWhenNoCognitoIdentityThen403AndNothingWritten(
            String label, RequestContext.@Nullable Authorizer authorizer) {
        String own = createNote(ALICE, "alice's");
        assertError(
                call(
                        api.create(),
                        NoteEvents.as(ALICE).post("{\"content\":\"x\"}").authorizer(authorizer)),
                403,
                "Cognito identity");
        assertError(call(api.get(), NoteEvents.as(ALICE).getOne(own).authorizer(authorizer)), 403, "Cognito identity");
        assertError(
                call(
                        api.update(),
                        NoteEvents.as(ALICE).put(own, "{\"content\":\"x\"}").authorizer(authorizer)),
                403,
                "Cognito identity");
        assertError(
                call(api.delete(), NoteEvents.as(ALICE).deleteOne(own).authorizer(authorizer)),
                403,
                "Cognito identity");
        assertError(call(api.list(), NoteEvents.as(ALICE).list().authorizer(authorizer)), 403, "Cognito identity");

        assertThat(partition(ALICE)).hasSize(1);
        assertThat(stored(ALICE, own).orElseThrow().attribute("content")).contains("alice's");
    }

    @Test
    void everyHandlerWhenEventHasNoRequestContextThen403() {
        APIGatewayV2HTTPEvent event =
                NoteEvents.as(ALICE).post("{\"content\":\"x\"}").build();
        event.setRequestContext(null);

        assertError(call(api.create(), event), 403, "Cognito identity");
        assertError(call(api.list(), event), 403, "Cognito identity");
    }

    // --- get ---

    @Test
    void getWhenOwnNoteThenSameNoteAsCreated() {
        APIGatewayV2HTTPResponse created =
                call(api.create(), NoteEvents.as(ALICE).post(body("hello", "hello.jpg")));
        String noteId = json(created).get("noteId").asText();

        APIGatewayV2HTTPResponse response = call(api.get(), NoteEvents.as(ALICE).getOne(noteId));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(json(created));
        assertThat(response.getHeaders())
                .containsEntry("etag", created.getHeaders().get("etag"));
    }

    @Test
    void getWhenAnotherUsersNoteThenExactlyAsMissing() {
        String alices = createNote(ALICE, "secret");

        APIGatewayV2HTTPResponse foreign = call(api.get(), NoteEvents.as(BOB).getOne(alices));
        APIGatewayV2HTTPResponse missing = call(api.get(), NoteEvents.as(BOB).getOne(MISSING_ID));

        assertError(foreign, 404, "Note not found.");
        assertThat(foreign.getStatusCode()).isEqualTo(missing.getStatusCode());
        assertThat(foreign.getHeaders()).isEqualTo(missing.getHeaders());
        assertThat(foreign.getBody()).isEqualTo(missing.getBody()).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "123",
                "not-a-uuid",
                "01890A5D-AC96-774B-BCCE-B302099A8057",
                "01890a5dac96774bbcceb302099a8057",
                "01890a5d-ac96-774b-bcce-b302099a8057 ",
                "../01890a5d-ac96-774b-bcce-b302099a8057",
                "%2e%2e",
                "\u0000"
            })
    void getWhenNoteIdInvalidThen404(String noteId) {
        createNote(ALICE, "a note");

        assertError(call(api.get(), NoteEvents.as(ALICE).getOne(noteId)), 404, "Note not found.");
    }

    @Test
    void getWhenNoPathParameterThen404() {
        assertError(call(api.get(), NoteEvents.as(ALICE).list()), 404, "Note not found.");
    }

    // --- update ---

    @Test
    void updateWhenOwnNoteThenStatusTrueAndContentReplaced() {
        JsonNode created = json(call(api.create(), NoteEvents.as(ALICE).post(body("first", "a.jpg"))));
        String noteId = created.get("noteId").asText();
        clock.advance(Duration.ofMinutes(5));

        APIGatewayV2HTTPResponse response =
                call(api.update(), NoteEvents.as(ALICE).put(noteId, body("second", "b.png")));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().put("status", true));
        JsonNode note = json(call(api.get(), NoteEvents.as(ALICE).getOne(noteId)));
        assertThat(note.get("content").asText()).isEqualTo("second");
        assertThat(note.get("attachment").asText()).isEqualTo("b.png");
        assertThat(note.get("createdAt")).isEqualTo(created.get("createdAt"));
        assertThat(note.get("userId").asText()).isEqualTo(ALICE);
    }

    @Test
    void updateWhenAttachmentLeftOutThenNoteHasNone() {
        String noteId = json(call(api.create(), NoteEvents.as(ALICE).post(body("first", "a.jpg"))))
                .get("noteId")
                .asText();

        call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"second\"}"));

        assertThat(fieldNames(json(call(api.get(), NoteEvents.as(ALICE).getOne(noteId)))))
                .containsExactly("userId", "noteId", "content", "createdAt");
    }

    @Test
    void updateWhenAnotherUsersNoteThen404AndOwnersNoteUnchanged() {
        String alices = createNote(ALICE, "alice's");
        Item before = stored(ALICE, alices).orElseThrow();

        APIGatewayV2HTTPResponse foreign = call(
                api.update(),
                NoteEvents.as(BOB).put(alices, "{\"content\":\"bob was here\",\"userId\":\"" + ALICE + "\"}"));
        APIGatewayV2HTTPResponse missing =
                call(api.update(), NoteEvents.as(BOB).put(MISSING_ID, "{\"content\":\"x\"}"));

        assertError(foreign, 404, "Note not found.");
        assertThat(foreign.getBody()).isEqualTo(missing.getBody());
        assertThat(stored(ALICE, alices)).contains(before);
        assertThat(partition(BOB)).isEmpty();
    }

    @Test
    void updateWhenBodyInvalidThen400AndNoteUnchanged() {
        String noteId = createNote(ALICE, "kept");
        Item before = stored(ALICE, noteId).orElseThrow();

        assertError(call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":")), 400, "not valid JSON");
        assertError(call(api.update(), NoteEvents.as(ALICE).put(noteId, body("x", "../x"))), 400, "plain file name");
        assertError(call(api.update(), NoteEvents.as(ALICE).put(noteId, "{}")), 400, "\"content\" is required");

        assertThat(stored(ALICE, noteId)).contains(before);
    }

    @Test
    void updateWhenNoteIdInvalidThen404() {
        assertError(
                call(api.update(), NoteEvents.as(ALICE).put("nope", "{\"content\":\"x\"}")), 404, "Note not found.");
    }

    @Test
    void updateWhenNoteDeletedThen404AndNotResurrected() {
        String noteId = createNote(ALICE, "gone soon");
        call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId));

        assertError(
                call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"back?\"}")),
                404,
                "Note not found.");

        assertThat(stored(ALICE, noteId)).isEmpty();
    }

    @Test
    void updateWhenNoteDeletedBetweenReadAndWriteThen404AndNotResurrected() {
        String noteId = createNote(ALICE, "gone soon");
        store.beforeNextWrite(
                () -> memory.delete(NotesApi.TABLE, Key.of(ALICE, noteId), dev.gatehouse.store.Condition.none()));

        assertError(
                call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"back?\"}")),
                404,
                "Note not found.");

        assertThat(stored(ALICE, noteId)).isEmpty();
    }

    @Test
    void updateWhenAnotherUpdateWinsTheRaceThenAppliedAfterItNotLost() {
        String noteId = createNote(ALICE, "v1");
        store.beforeNextWrite(() -> call(api.update(), NoteEvents.as(ALICE).put(noteId, body("from B", "b.jpg"))));

        APIGatewayV2HTTPResponse response =
                call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"from A\"}"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        Item item = stored(ALICE, noteId).orElseThrow();
        assertThat(item.attribute("content")).contains("from A");
        // v1, then B's write (2), then A's retry on top of it (3): two acknowledged updates, two versions.
        assertThat(item.attribute("version")).contains("3");
    }

    @Test
    void updateWhenConflictsNeverEndThen409AndNoteHasTheWinnersContent() {
        String noteId = createNote(ALICE, "v1");
        for (int i = 0; i < 5; i++) {
            int n = i;
            store.beforeNextWrite(
                    () -> call(api.update(), NoteEvents.as(ALICE).put(noteId, body("winner " + n, null))));
        }

        assertError(call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"loser\"}")), 409, "retry");

        assertThat(stored(ALICE, noteId).orElseThrow().attribute("content")).contains("winner 4");
    }

    @Test
    void updateWhenManyClientsConcurrentlyThenEveryAcknowledgedUpdateIsAVersion() throws Exception {
        String noteId = createNote(ALICE, "v1");
        int writers = 8;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Callable<Integer> task = () -> {
                    int acknowledged = 0;
                    for (int i = 0; i < perWriter; i++) {
                        APIGatewayV2HTTPResponse r = call(
                                api.update(),
                                NoteEvents.as(ALICE).put(noteId, body("writer " + writer + " #" + i, null)));
                        assertThat(r.getStatusCode()).isIn(200, 409);
                        acknowledged += r.getStatusCode() == 200 ? 1 : 0;
                    }
                    return acknowledged;
                };
                results.add(pool.submit(task));
            }
            int acknowledged = 0;
            for (Future<Integer> result : results) {
                acknowledged += result.get();
            }
            assertThat(acknowledged).isPositive();
            assertThat(stored(ALICE, noteId).orElseThrow().attribute("version"))
                    .contains(Integer.toString(1 + acknowledged));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updateWhenIfMatchIsStaleThen412AndNoteUnchanged() {
        APIGatewayV2HTTPResponse created =
                call(api.create(), NoteEvents.as(ALICE).post("{\"content\":\"v1\"}"));
        String noteId = json(created).get("noteId").asText();
        String etag = created.getHeaders().get("etag");
        APIGatewayV2HTTPResponse first = call(
                api.update(),
                NoteEvents.as(ALICE).put(noteId, "{\"content\":\"v2\"}").header("if-match", etag));
        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(first.getHeaders().get("etag")).isNotEqualTo(etag);

        assertError(
                call(
                        api.update(),
                        NoteEvents.as(ALICE)
                                .put(noteId, "{\"content\":\"v2 from a stale copy\"}")
                                .header("if-match", etag)),
                412,
                "If-Match");

        assertThat(stored(ALICE, noteId).orElseThrow().attribute("content")).contains("v2");
        assertThat(call(
                                api.update(),
                                NoteEvents.as(ALICE)
                                        .put(noteId, "{\"content\":\"v3\"}")
                                        .header(
                                                "if-match",
                                                "\"nope\", "
                                                        + first.getHeaders().get("etag")))
                        .getStatusCode())
                .isEqualTo(200);
        assertThat(call(
                                api.update(),
                                NoteEvents.as(ALICE)
                                        .put(noteId, "{\"content\":\"v4\"}")
                                        .header("if-match", "*"))
                        .getStatusCode())
                .isEqualTo(200);
    }

    // --- delete ---

    @Test
    void deleteWhenOwnNoteThenStatusTrueGoneAndAttachmentDeleted() {
        String noteId = json(call(api.create(), NoteEvents.as(ALICE).post(body("bye", "hello.jpg"))))
                .get("noteId")
                .asText();

        APIGatewayV2HTTPResponse response =
                call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().put("status", true));
        assertError(call(api.get(), NoteEvents.as(ALICE).getOne(noteId)), 404, "Note not found.");
        assertThat(attachments.deletions()).containsExactly(new RecordingAttachments.Deletion(ALICE, "hello.jpg"));
    }

    @Test
    void deleteWhenNoAttachmentThenNoObjectDeleted() {
        String noteId = createNote(ALICE, "plain");

        assertThat(call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId)).getStatusCode())
                .isEqualTo(200);

        assertThat(attachments.deletions()).isEmpty();
    }

    @Test
    void deleteWhenTwiceThenSecond404() {
        String noteId = createNote(ALICE, "once");
        call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId));

        assertError(call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId)), 404, "Note not found.");
    }

    @Test
    void deleteWhenAnotherUsersNoteThen404AndNothingDeleted() {
        String alices = json(call(api.create(), NoteEvents.as(ALICE).post(body("alice's", "a.jpg"))))
                .get("noteId")
                .asText();
        Item before = stored(ALICE, alices).orElseThrow();

        APIGatewayV2HTTPResponse foreign = call(api.delete(), NoteEvents.as(BOB).deleteOne(alices));

        assertError(foreign, 404, "Note not found.");
        assertThat(foreign.getBody())
                .isEqualTo(call(api.delete(), NoteEvents.as(BOB).deleteOne(MISSING_ID))
                        .getBody());
        assertThat(stored(ALICE, alices)).contains(before);
        assertThat(attachments.deletions()).isEmpty();
    }

    @Test
    void deleteWhenAttachmentDeletionFailsThenStillDeleted() {
        String noteId = json(call(api.create(), NoteEvents.as(ALICE).post(body("bye", "hello.jpg"))))
                .get("noteId")
                .asText();
        attachments.failEveryDelete();

        APIGatewayV2HTTPResponse response =
                call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(stored(ALICE, noteId)).isEmpty();
        assertThat(attachments.deletions()).hasSize(1);
    }

    @Test
    void deleteWhenAnotherOwnNoteNamesTheSameAttachmentThenObjectKeptUntilTheLast() {
        String first = json(call(api.create(), NoteEvents.as(ALICE).post(body("1", "hello.jpg"))))
                .get("noteId")
                .asText();
        String second = json(call(api.create(), NoteEvents.as(ALICE).post(body("2", "hello.jpg"))))
                .get("noteId")
                .asText();
        // Bob's note naming the same file is in Bob's prefix: it does not keep Alice's object.
        call(api.create(), NoteEvents.as(BOB).post(body("bob", "other.jpg")));

        call(api.delete(), NoteEvents.as(ALICE).deleteOne(first));
        assertThat(attachments.deletions()).isEmpty();
        call(api.delete(), NoteEvents.as(ALICE).deleteOne(second));

        assertThat(attachments.deletions()).containsExactly(new RecordingAttachments.Deletion(ALICE, "hello.jpg"));
    }

    @Test
    void deleteWhenNoteUpdatedBetweenReadAndDeleteThenDeletesTheNewAttachment() {
        String noteId = json(call(api.create(), NoteEvents.as(ALICE).post(body("1", "old.jpg"))))
                .get("noteId")
                .asText();
        store.beforeNextWrite(() -> call(api.update(), NoteEvents.as(ALICE).put(noteId, body("2", "new.jpg"))));

        assertThat(call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId)).getStatusCode())
                .isEqualTo(200);

        assertThat(stored(ALICE, noteId)).isEmpty();
        assertThat(attachments.deletions()).containsExactly(new RecordingAttachments.Deletion(ALICE, "new.jpg"));
    }

    @Test
    void deleteWhenIfMatchIsStaleThen412AndNoteKept() {
        String noteId = createNote(ALICE, "v1");
        call(api.update(), NoteEvents.as(ALICE).put(noteId, "{\"content\":\"v2\"}"));

        assertError(
                call(api.delete(), NoteEvents.as(ALICE).deleteOne(noteId).header("if-match", "\"1\"")),
                412,
                "If-Match");

        assertThat(stored(ALICE, noteId)).isPresent();
    }

    // --- list ---

    @Test
    void listWhenNoParametersThenRecipeArrayOfOwnNotesNewestFirst() {
        List<String> alices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alices.add(createNote(ALICE, "alice " + i));
            createNote(BOB, "bob " + i);
            clock.advance(Duration.ofSeconds(1));
        }

        APIGatewayV2HTTPResponse response =
                call(api.list(), NoteEvents.as(ALICE).list());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).doesNotContainKey(NotesApi.NEXT_CURSOR_HEADER);
        JsonNode body = json(response);
        assertThat(body.isArray()).isTrue();
        assertThat(ids(body)).containsExactly(alices.get(2), alices.get(1), alices.get(0));
        body.forEach(note -> {
            assertThat(note.get("userId").asText()).isEqualTo(ALICE);
            assertThat(fieldNames(note)).containsExactly("userId", "noteId", "content", "createdAt");
        });
    }

    @Test
    void listWhenNoNotesThenEmptyArray() {
        createNote(BOB, "bob's");

        assertThat(json(call(api.list(), NoteEvents.as(ALICE).list())).toString())
                .isEqualTo("[]");
    }

    @Test
    void listWhenCreatedInTheSameMillisecondOrClockStepsBackThenStillNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            created.add(createNote(ALICE, "burst " + i));
        }
        clock.advance(Duration.ofSeconds(-30));
        created.add(createNote(ALICE, "after the clock stepped back"));

        List<String> listed = ids(json(call(api.list(), NoteEvents.as(ALICE).list())));

        assertThat(listed).containsExactlyElementsOf(reversed(created));
    }

    @Test
    void listWhenPagedThenObjectWithCursorsWalkingEveryNoteOnce() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createNote(ALICE, "note " + i));
            clock.advance(Duration.ofMillis(1));
        }
        createNote(BOB, "bob's");

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = "";
        do {
            APIGatewayV2HTTPResponse response = call(
                    api.list(), NoteEvents.as(ALICE).list().query("limit", "2").query("cursor", cursor));
            assertThat(response.getStatusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(fieldNames(body)).containsExactly("notes", "nextCursor");
            seen.addAll(ids(body.get("notes")));
            sizes.add(body.get("notes").size());
            JsonNode next = body.get("nextCursor");
            assertThat(Optional.ofNullable(response.getHeaders().get(NotesApi.NEXT_CURSOR_HEADER)))
                    .isEqualTo(next.isNull() ? Optional.empty() : Optional.of(next.asText()));
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);

        assertThat(seen).containsExactlyElementsOf(reversed(created));
        assertThat(sizes.subList(0, 2)).containsExactly(2, 2);
    }

    @Test
    void listWhenMoreThanADefaultPageThenArrayOfTheFirstPageAndCursorHeader() {
        for (int i = 0; i < Requests.DEFAULT_LIMIT + 1; i++) {
            createNote(ALICE, "n" + i);
        }

        APIGatewayV2HTTPResponse response =
                call(api.list(), NoteEvents.as(ALICE).list());
        JsonNode body = json(response);
        assertThat(body.size()).isEqualTo(Requests.DEFAULT_LIMIT);
        String cursor = response.getHeaders().get(NotesApi.NEXT_CURSOR_HEADER);
        assertThat(cursor).isNotBlank();

        JsonNode rest = json(call(api.list(), NoteEvents.as(ALICE).list().query("cursor", cursor)));
        assertThat(rest.get("notes").size()).isEqualTo(1);
        assertThat(rest.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void listWhenNewNotesArriveBetweenPagesThenNoRepeatsOrLosses() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(createNote(ALICE, "n" + i));
        }
        JsonNode first = json(call(api.list(), NoteEvents.as(ALICE).list().query("limit", "2")));
        createNote(ALICE, "newer than the walk");

        JsonNode second = json(call(
                api.list(),
                NoteEvents.as(ALICE)
                        .list()
                        .query("limit", "2")
                        .query("cursor", first.get("nextCursor").asText())));

        List<String> seen = new ArrayList<>(ids(first.get("notes")));
        seen.addAll(ids(second.get("notes")));
        assertThat(seen).containsExactlyElementsOf(reversed(created));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "1,2", "99999", " 5"})
    void listWhenLimitInvalidThen400(String limit) {
        assertError(call(api.list(), NoteEvents.as(ALICE).list().query("limit", limit)), 400, "\"limit\"");
    }

    @Test
    void listWhenCursorIssuedToAnotherUserThen400AndNothingOfTheirsShown() {
        createNote(BOB, "bob 1");
        createNote(BOB, "bob 2");
        String bobsCursor = json(call(api.list(), NoteEvents.as(BOB).list().query("limit", "1")))
                .get("nextCursor")
                .asText();

        APIGatewayV2HTTPResponse response =
                call(api.list(), NoteEvents.as(ALICE).list().query("cursor", bobsCursor));

        assertError(response, 400, "\"cursor\"");
        assertThat(response.getBody()).doesNotContain("bob");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "AQ", "x"})
    void listWhenCursorMalformedThen400(String cursor) {
        assertError(call(api.list(), NoteEvents.as(ALICE).list().query("cursor", cursor)), 400, "\"cursor\"");
    }

    @Test
    void listWhenCursorTooLongThen400() {
        assertError(call(api.list(), NoteEvents.as(ALICE).list().query("cursor", "A".repeat(5000))), 400, "\"cursor\"");
    }

    // --- helpers ---

    private String createNote(String identityId, String content) {
        APIGatewayV2HTTPResponse response =
                call(api.create(), NoteEvents.as(identityId).post(body(content, null)));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return json(response).get("noteId").asText();
    }

    private static APIGatewayV2HTTPResponse call(
            com.amazonaws.services.lambda.runtime.RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>
                    handler,
            NoteEvents event) {
        return call(handler, event.build());
    }

    private static APIGatewayV2HTTPResponse call(
            com.amazonaws.services.lambda.runtime.RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>
                    handler,
            APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    private Optional<Item> stored(String identityId, String noteId) {
        return memory.get(NotesApi.TABLE, Key.of(identityId, noteId));
    }

    private List<Item> partition(String identityId) {
        return memory.query(NotesApi.TABLE, Query.partition(identityId).withLimit(Query.MAX_LIMIT))
                .items();
    }

    private static String body(String content, @Nullable String attachment) {
        try {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("content", content);
            if (attachment != null) {
                body.put("attachment", attachment);
            }
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(String content) {
        return body(content, null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode notes) {
        List<String> ids = new ArrayList<>();
        notes.forEach(note -> ids.add(note.get("noteId").asText()));
        return ids;
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static void assertError(APIGatewayV2HTTPResponse response, int status, String message) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("status", "error");
        assertThat(body.get("status").asBoolean(true)).isFalse();
        assertThat(body.get("error").asText()).contains(message);
    }
}
