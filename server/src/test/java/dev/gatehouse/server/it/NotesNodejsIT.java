package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * examples/notes-nodejs, the recipes' notes API as five Node.js handlers on the AWS SDK for JavaScript v3
 * ({@code DynamoDBDocumentClient}, installed by {@code npm ci}), run from the jar with {@code --template}: a signed-in
 * user creates, reads, updates, lists and deletes notes through the AWS_IAM HTTP API; each handler reaches the
 * template's table with its execution role, keyed by the caller's identity id.
 */
class NotesNodejsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path APP = prepareApp();

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "notes-nodejs", "--template", APP.resolve("template.yaml").toString());

    private static Journeys.@Nullable IdentityCredentials alice;

    /** The example copied as it is committed, then {@code npm ci} in it, as a user does. */
    private static Path prepareApp() {
        Path source = Path.of("..", "examples", "notes-nodejs");
        Path root = Path.of("target", "it", "notes-nodejs-src").toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file :
                    files.filter(f -> !f.toString().contains("node_modules")).toList()) {
                Path target = root.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve("npm-ci.log").toFile())
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed: " + Files.readString(root.resolve("npm-ci.log")));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void signIn() {
        alice = new Journeys(GATEHOUSE).identityCredentials(TestUsers.email("alice"), TestUsers.PASSWORD);
    }

    @AfterAll
    static void forget() {
        alice = null;
    }

    private static Journeys.IdentityCredentials alice() {
        Journeys.IdentityCredentials caller = alice;
        if (caller == null) {
            throw new IllegalStateException("not signed in");
        }
        return caller;
    }

    @Test
    void notesWhenSignedInUserCreatesReadsUpdatesListsAndDeletesThenEachHandlerSeesItsOwnNotes() throws IOException {
        HttpResponse<String> created =
                call(SdkHttpMethod.POST, "/notes", "{\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode note = JSON.readTree(created.body());
        assertThat(note.path("userId").asText()).isEqualTo(alice().identityId());
        assertThat(note.path("content").asText()).isEqualTo("hello world");
        String path = "/notes/" + note.path("noteId").asText();

        assertThat(JSON.readTree(call(SdkHttpMethod.GET, path, null).body())
                        .path("attachment")
                        .asText())
                .isEqualTo("hello.jpg");
        HttpResponse<String> updated = call(SdkHttpMethod.PUT, path, "{\"content\":\"changed\"}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(JSON.readTree(call(SdkHttpMethod.GET, path, null).body())
                        .path("content")
                        .asText())
                .isEqualTo("changed");
        JsonNode listed = JSON.readTree(call(SdkHttpMethod.GET, "/notes", null).body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("noteId").asText())
                .isEqualTo(note.path("noteId").asText());
        assertThat(call(SdkHttpMethod.DELETE, path, null).statusCode()).isEqualTo(200);

        HttpResponse<String> gone = call(SdkHttpMethod.GET, path, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("Item not found.");
    }

    @Test
    void apigTestWhenRecipesCreateNoteCommandThenTheNoteIsStoredUnderTheCallersIdentity() throws Exception {
        // recipe 002's command: npx aws-api-gateway-cli-test … --path-template='/notes' --method='POST' --body='{…}'
        String email = TestUsers.email("apig");
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);

        String printed = ApiGatewayCliTest.run(
                GATEHOUSE,
                "ApiUrl",
                email,
                "--path-template=/notes",
                "--method=POST",
                "--body={\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}");

        assertThat(printed)
                .contains("status: 200")
                .contains("content: 'hello world'")
                .contains("attachment: 'hello.jpg'")
                .containsPattern("userId: 'us-east-1:[0-9a-f-]{36}'");
    }

    @Test
    void notesWhenUnsignedThenForbiddenBeforeAnyHandler() {
        HttpResponse<String> response =
                ApiCalls.send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("ApiUrl") + "/notes"))
                        .GET()
                        .build());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    private static HttpResponse<String> call(SdkHttpMethod method, String path, @Nullable String body) {
        AwsSessionCredentials credentials = alice().credentials();
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(method)
                .uri(URI.create(GATEHOUSE.output("ApiUrl") + path))
                .putHeader("Content-Type", "application/json")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsSessionCredentialsIdentity.create(
                                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
                .request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri())
                .timeout(Duration.ofSeconds(40))
                .method(
                        method.name(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return ApiCalls.send(request.build());
    }
}
