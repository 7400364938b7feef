package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The notes API against the real jar, for two users who each went through the recipe's whole journey: sign up,
 * confirm with the emailed code, sign in, identity-pool credentials, then SigV4-signed calls to the notes routes.
 * Every attempt on the other user's notes answers as for a missing note and changes nothing. Attachments are uploaded
 * to the stack's bucket with the AWS SDK's S3 client; deleting a note deletes its object.
 */
class NotesIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("notes");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String MISSING_ID = "01890a5d-ac96-774b-bcce-b302099a8057";

    private static @Nullable CognitoIdentityClient identityClient;
    private static @Nullable User alice;
    private static @Nullable User bob;

    /** A signed-up, confirmed, signed-in user of the default pool, with its identity id and temporary credentials. */
    private record User(String email, String identityId, Credentials credentials) {

        AwsSessionCredentialsIdentity signingIdentity() {
            return AwsSessionCredentialsIdentity.create(
                    credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken());
        }
    }

    /** A response: status, lower-case headers, body. */
    private record Answer(int status, Map<String, List<String>> headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name))
                    .flatMap(values -> values.stream().findFirst());
        }
    }

    @BeforeAll
    static void signUpAndSignIn() {
        identityClient = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create());
        alice = journey("alice");
        bob = journey("bob");
    }

    @AfterAll
    static void closeClients() {
        if (identityClient != null) {
            identityClient.close();
        }
    }

    /** Sign up, confirm with the code from the outbox, sign in, GetId, GetCredentialsForIdentity. */
    private static User journey(String label) {
        String email = TestUsers.email(label);
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        String idToken = journeys.signIn(email, TestUsers.PASSWORD).idToken();
        Map<String, String> logins = Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId(), idToken);
        CognitoIdentityClient identity = Optional.ofNullable(identityClient).orElseThrow();
        String identityId = identity.getId(r ->
                        r.identityPoolId(GATEHOUSE.output("IdentityPoolId")).logins(logins))
                .identityId();
        Credentials credentials = identity.getCredentialsForIdentity(
                        r -> r.identityId(identityId).logins(logins))
                .credentials();
        return new User(email, identityId, credentials);
    }

    private static User alice() {
        return Optional.ofNullable(alice).orElseThrow(() -> new IllegalStateException("not signed in"));
    }

    private static User bob() {
        return Optional.ofNullable(bob).orElseThrow(() -> new IllegalStateException("not signed in"));
    }

    // --- the journey ---

    @Test
    void recipeCommandWhenSignedByTheUserThenNoteOfTheCallersIdentity() {
        Answer created = call(alice(), "POST", "/notes", "{\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode note = created.json();
        assertThat(fieldNames(note)).containsExactly("userId", "noteId", "content", "attachment", "createdAt");
        assertThat(note.get("userId").asText()).isEqualTo(alice().identityId()).startsWith("us-east-1:");
        assertThat(note.get("noteId").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(note.get("content").asText()).isEqualTo("hello world");
        assertThat(note.get("attachment").asText()).isEqualTo("hello.jpg");
        assertThat(note.get("createdAt").asLong())
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void journeyWhenTwoUsersThenEachCreatesReadsUpdatesListsAndDeletesOnlyTheirOwnNotes() {
        for (User user : List.of(alice(), bob())) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Answer answer = call(user, "POST", "/notes", body(user.email() + " note " + i, "file-" + i + ".jpg"));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                created.add(answer.json().get("noteId").asText());
            }
            String noteId = created.get(2);

            Answer read = call(user, "GET", "/notes/" + noteId, null);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("content").asText()).isEqualTo(user.email() + " note 2");

            Answer updated = call(user, "PUT", "/notes/" + noteId, body("updated by " + user.email(), "new.png"));
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
            assertThat(updated.json()).isEqualTo(JSON.createObjectNode().put("status", true));
            JsonNode after = call(user, "GET", "/notes/" + noteId, null).json();
            assertThat(after.get("content").asText()).isEqualTo("updated by " + user.email());
            assertThat(after.get("attachment").asText()).isEqualTo("new.png");
            assertThat(after.get("createdAt")).isEqualTo(read.json().get("createdAt"));

            List<String> listed = listAll(user, 2);
            List<String> newestFirst = new ArrayList<>(created);
            Collections.reverse(newestFirst);
            assertThat(listed).containsSubsequence(newestFirst).doesNotHaveDuplicates();
            assertThat(listed).containsAll(created);

            Answer deleted = call(user, "DELETE", "/notes/" + noteId, null);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.json()).isEqualTo(JSON.createObjectNode().put("status", true));
            assertThat(call(user, "GET", "/notes/" + noteId, null).status()).isEqualTo(404);
            assertThat(listAll(user, 100)).doesNotContain(noteId).contains(created.get(0));
        }
        assertThat(listAll(alice(), 100)).doesNotContainAnyElementsOf(listAll(bob(), 100));
    }

    @Test
    void listWhenNoParametersThenRecipeArrayOfOnlyTheCallersNotes() {
        String alices = create(alice(), "alice's list note");
        String bobs = create(bob(), "bob's list note");

        Answer answer = call(alice(), "GET", "/notes", null);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode notes = answer.json();
        assertThat(notes.isArray()).isTrue();
        List<String> ids = ids(notes);
        assertThat(ids).contains(alices).doesNotContain(bobs);
        notes.forEach(note -> assertThat(note.get("userId").asText()).isEqualTo(alice().identityId()));
        assertThat(ids.get(0)).isEqualTo(alices);
    }

    @Test
    void attachWhenNoteDeletedThenItsObjectIsDeletedAndNobodyElseCanDeleteIt() {
        String file = "photo-" + TestUsers.suffix() + ".jpg";
        String key = "private/" + alice().identityId() + "/" + file;
        try (S3Client alices = s3(alice())) {
            alices.putObject(
                    r -> r.bucket(bucket()).key(key).contentType("image/jpeg"), RequestBody.fromString("pixels"));
            String noteId = call(alice(), "POST", "/notes", body("with a photo", file))
                    .json()
                    .get("noteId")
                    .asText();
            String sameFile = call(alice(), "POST", "/notes", body("same photo", file))
                    .json()
                    .get("noteId")
                    .asText();

            // Bob can neither delete Alice's note nor, with a note of his own naming the same file, her object.
            assertThat(call(bob(), "DELETE", "/notes/" + noteId, null).status()).isEqualTo(404);
            String bobs = call(bob(), "POST", "/notes", body("bob's", file))
                    .json()
                    .get("noteId")
                    .asText();
            assertThat(call(bob(), "DELETE", "/notes/" + bobs, null).status()).isEqualTo(200);
            assertThat(alices.getObjectAsBytes(r -> r.bucket(bucket()).key(key)).asUtf8String())
                    .isEqualTo("pixels");

            // Another of Alice's notes still names the file: the object stays until the last one goes.
            assertThat(call(alice(), "DELETE", "/notes/" + sameFile, null).status())
                    .isEqualTo(200);
            assertThat(alices.headObject(r -> r.bucket(bucket()).key(key)).contentLength())
                    .isEqualTo(6L);

            assertThat(call(alice(), "GET", "/notes/" + noteId, null)
                            .json()
                            .get("attachment")
                            .asText())
                    .isEqualTo(file);
            assertThat(call(alice(), "DELETE", "/notes/" + noteId, null).status())
                    .isEqualTo(200);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                            () -> alices.headObject(r -> r.bucket(bucket()).key(key))))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    // --- every cross-user attempt ---

    @Test
    void crossUserWhenBobGetsUpdatesOrDeletesAlicesNoteThen404LikeAMissingNoteAndNothingChanges() {
        Answer created = call(alice(), "POST", "/notes", body("alice's secret", "secret.jpg"));
        String alicesId = created.json().get("noteId").asText();
        JsonNode before = call(alice(), "GET", "/notes/" + alicesId, null).json();

        Answer get = call(bob(), "GET", "/notes/" + alicesId, null);
        Answer update = call(
                bob(),
                "PUT",
                "/notes/" + alicesId,
                "{\"content\":\"bob was here\",\"userId\":\"" + alice().identityId() + "\"}");
        Answer delete = call(bob(), "DELETE", "/notes/" + alicesId, null);

        assertNotFoundLikeMissing(get, call(bob(), "GET", "/notes/" + MISSING_ID, null));
        assertNotFoundLikeMissing(update, call(bob(), "PUT", "/notes/" + MISSING_ID, "{\"content\":\"x\"}"));
        assertNotFoundLikeMissing(delete, call(bob(), "DELETE", "/notes/" + MISSING_ID, null));
        assertThat(get.body() + update.body() + delete.body()).doesNotContain("secret");
        assertThat(call(alice(), "GET", "/notes/" + alicesId, null).json()).isEqualTo(before);
        assertThat(listAll(bob(), 100)).doesNotContain(alicesId);
    }

    @Test
    void crossUserWhenBodyForgesAnotherUserIdThenIgnored() {
        Answer forged = call(
                bob(),
                "POST",
                "/notes",
                "{\"content\":\"planted\",\"userId\":\"" + alice().identityId() + "\",\"noteId\":\"" + MISSING_ID
                        + "\"}");

        assertThat(forged.status()).as(forged.body()).isEqualTo(200);
        assertThat(forged.json().get("userId").asText()).isEqualTo(bob().identityId());
        String noteId = forged.json().get("noteId").asText();
        assertThat(noteId).isNotEqualTo(MISSING_ID);
        assertThat(listAll(alice(), 100)).doesNotContain(noteId);
        assertThat(call(alice(), "GET", "/notes/" + noteId, null).status()).isEqualTo(404);
        assertThat(call(alice(), "GET", "/notes/" + MISSING_ID, null).status()).isEqualTo(404);
    }

    @Test
    void crossUserWhenAliceUsesBobsCursorThen400AndNoneOfBobsNotes() {
        create(bob(), "bob 1");
        create(bob(), "bob 2");
        String bobsCursor = call(bob(), "GET", "/notes?limit=1", null)
                .json()
                .get("nextCursor")
                .asText();

        Answer answer =
                call(alice(), "GET", "/notes?cursor=" + URLEncoder.encode(bobsCursor, StandardCharsets.UTF_8), null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("status").asBoolean(true)).isFalse();
    }

    // --- refusals ---

    @Test
    void createWhenUnsignedThenForbiddenAndNothingCreated() {
        int before = listAll(alice(), 100).size();
        HttpRequest unsigned = HttpRequest.newBuilder(URI.create(api() + "/notes"))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"anonymous\"}"))
                .build();

        Answer answer = send(unsigned);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json()).isEqualTo(JSON.createObjectNode().put("message", "Forbidden"));
        assertThat(listAll(alice(), 100)).hasSize(before);
    }

    @Test
    void createWhenBodyMalformedOrInvalidThen400WithClearError() {
        Answer malformed = call(alice(), "POST", "/notes", "{\"content\":");
        Answer traversal = call(alice(), "POST", "/notes", body("x", "../../private/other/file.jpg"));
        Answer noContent = call(alice(), "POST", "/notes", "{\"attachment\":\"a.jpg\"}");

        assertError(malformed, 400, "not valid JSON");
        assertError(traversal, 400, "plain file name");
        assertError(noContent, 400, "\"content\" is required");
    }

    @Test
    void getWhenNoteIdIsNotAUuidThen404() {
        assertError(call(alice(), "GET", "/notes/123", null), 404, "Note not found.");
    }

    // --- helpers ---

    private static void assertNotFoundLikeMissing(Answer foreign, Answer missing) {
        assertError(foreign, 404, "Note not found.");
        assertThat(foreign.status()).isEqualTo(missing.status());
        assertThat(foreign.body()).isEqualTo(missing.body());
        assertThat(foreign.header("content-type")).isEqualTo(missing.header("content-type"));
    }

    private static void assertError(Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(fieldNames(body)).containsExactly("status", "error");
        assertThat(body.get("status").asBoolean(true)).isFalse();
        assertThat(body.get("error").asText()).contains(message);
    }

    private static String create(User user, String content) {
        Answer answer = call(user, "POST", "/notes", body(content, null));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("noteId").asText();
    }

    /** Walks {@code GET /notes?limit=…&cursor=…} to the end; every page's body cursor equals its header cursor. */
    private static List<String> listAll(User user, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/notes?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            Answer page = call(user, "GET", path, null);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            ids.addAll(ids(body.get("notes")));
            JsonNode next = body.get("nextCursor");
            assertThat(page.header("x-next-cursor"))
                    .isEqualTo(next.isNull() ? Optional.empty() : Optional.of(next.asText()));
            body.get("notes")
                    .forEach(note -> assertThat(note.get("userId").asText()).isEqualTo(user.identityId()));
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        return ids;
    }

    private static List<String> ids(JsonNode notes) {
        List<String> ids = new ArrayList<>();
        notes.forEach(note -> ids.add(note.get("noteId").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String body(String content, @Nullable String attachment) {
        ObjectNode body = JSON.createObjectNode().put("content", content);
        if (attachment != null) {
            body.put("attachment", attachment);
        }
        return body.toString();
    }

    private static String api() {
        return GATEHOUSE.output("ApiEndpoint");
    }

    private static String bucket() {
        return GATEHOUSE.output("AttachmentsBucket");
    }

    /** The S3 client of the recipe's browser app: the user's identity-pool credentials, path-style, the AWS endpoint. */
    private static S3Client s3(User user) {
        Credentials c = user.credentials();
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(GATEHOUSE.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** {@code method <api><pathAndQuery>} with a JSON body (or none), SigV4-signed for execute-api in us-east-1. */
    private static Answer call(User user, String method, String pathAndQuery, @Nullable String json) {
        return send(RawAws.executeApi(URI.create(api() + pathAndQuery), method, json, user.signingIdentity()));
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
