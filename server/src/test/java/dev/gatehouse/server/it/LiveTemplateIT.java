package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A template edited while the jar runs (issue 15, "Live"): the next calls see the change with no restart, users and
 * items stay; a broken template leaves the last good stack serving and says why on {@code GET /_gatehouse/stack};
 * fixed, it is applied. The steps run in order on one server, as a developer edits one file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveTemplateIT {

    private static final String PASSWORD = "Passw0rd!"; // 9 characters: enough for 8, too short for 12
    private static final Path APP = app();
    private static final Path TEMPLATE = APP.resolve("template.yaml");

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE =
            GatehouseProcess.create("live-template", "--template", TEMPLATE.toString());

    private static final String EMAIL = TestUsers.email("live");

    /**
     * The app: a Node.js function on an HTTP API, a pool whose users sign in with their email, its client, a table.
     * {@code %1$s} is the greeting, {@code %2$d} the password's minimum length, {@code %3$d} the access token's
     * validity in minutes, {@code %4$s} the pool's username attributes, {@code %5$s} more resources.
     */
    private static final String TEMPLATE_TEXT =
            """
      Transform: AWS::Serverless-2016-10-31
      Globals:
        Function: {Runtime: nodejs20.x, CodeUri: ., Timeout: 10}
      Resources:
        Hello:
          Type: AWS::Serverless::Function
          Properties:
            Handler: hello.main
            Environment: {Variables: {GREETING: %1$s}}
            Events:
              Get: {Type: HttpApi, Properties: {Path: /hello, Method: GET}}
        Users:
          Type: AWS::Cognito::UserPool
          Properties:
            UsernameAttributes: [%4$s]
            Policies:
              PasswordPolicy: {MinimumLength: %2$d, RequireNumbers: true}
        Client:
          Type: AWS::Cognito::UserPoolClient
          Properties:
            UserPoolId: !Ref Users
            ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH]
            AccessTokenValidity: %3$d
            TokenValidityUnits: {AccessToken: minutes}
        Items:
          Type: AWS::Serverless::SimpleTable
      %5$s
      Outputs:
        Region: {Value: !Ref AWS::Region}
        ApiEndpoint: {Value: !Sub "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com"}
        UserPoolId: {Value: !Ref Users}
        UserPoolClientId: {Value: !Ref Client}
        ItemsTable: {Value: !Ref Items}
        Greeting: {Value: %1$s}
      """;

    private static final String BYE =
            """
        Bye:
          Type: AWS::Serverless::Function
          Properties:
            Handler: bye.main
            Events:
              Get: {Type: HttpApi, Properties: {Path: /bye, Method: GET}}
      """;

    private static Path app() {
        Path dir = GatehouseProcess.itRoot()
                .resolve("live-template-app-" + UUID.randomUUID().toString().substring(0, 6));
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("hello.js"),
                    "exports.main = async () => ({statusCode: 200, body: process.env.GREETING});\n");
            Files.writeString(dir.resolve("bye.js"), "exports.main = async () => ({statusCode: 200, body: 'bye'});\n");
            write(dir.resolve("template.yaml"), template("hello", 8, 60, "email", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static String template(String greeting, int minLength, int accessMinutes, String usernames, String more) {
        return TEMPLATE_TEXT.formatted(greeting, minLength, accessMinutes, usernames, more);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void startWhenTemplateAppliedThenRouteAnswersAndUserAndItemAreStored() {
        assertThat(get("/hello").body()).isEqualTo("hello");
        new Journeys(GATEHOUSE).signUpAdminConfirmed(EMAIL, PASSWORD);
        try (DynamoDbClient dynamoDb = adminDynamoDb()) {
            dynamoDb.putItem(r -> r.tableName(GATEHOUSE.output("ItemsTable"))
                    .item(Map.of("id", AttributeValue.fromS("kept"), "note", AttributeValue.fromS("still here"))));
        }
        assertThat(stack().path("status").asText()).isEqualTo("applied");
    }

    @Test
    @Order(2)
    void editWhenRouteFunctionPolicyAndTokenValidityChangeThenTheNextCallsSeeThemWithoutRestart() throws Exception {
        write(TEMPLATE, template("bonjour", 12, 30, "email", BYE));

        // No wait: the request itself finds the template changed and meets the new stack.
        assertThat(get("/hello").body()).isEqualTo("bonjour");
        assertThat(get("/bye").body()).isEqualTo("bye");
        assertThatThrownBy(() -> new Journeys(GATEHOUSE).signUp(TestUsers.email("short"), PASSWORD))
                .isInstanceOf(InvalidPasswordException.class);
        String accessToken = new Journeys(GATEHOUSE).signIn(EMAIL, PASSWORD).accessToken();
        JsonNode claims = claims(accessToken);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(30 * 60);
        try (DynamoDbClient dynamoDb = adminDynamoDb()) {
            assertThat(dynamoDb.getItem(r -> r.tableName(GATEHOUSE.output("ItemsTable"))
                                    .key(Map.of("id", AttributeValue.fromS("kept"))))
                            .item())
                    .containsEntry("note", AttributeValue.fromS("still here"));
        }
        assertThat(outputsFile().path("Greeting").asText()).isEqualTo("bonjour");
    }

    @Test
    @Order(3)
    void editWhenYamlBrokenThenOldRoutesKeepAnsweringAndTheReasonIsShown() {
        write(TEMPLATE, template("broken", 12, 30, "email", BYE).replace("Items:", "Items: [unclosed"));

        assertThat(get("/hello").body()).isEqualTo("bonjour");
        assertThat(get("/bye").statusCode()).isEqualTo(200);
        JsonNode stack = stack();
        assertThat(stack.path("status").asText()).isEqualTo("failed");
        assertThat(stack.path("error").asText()).startsWith("template.yaml:").contains("not valid YAML");
    }

    @Test
    @Order(4)
    void editWhenUsernameAttributesChangeThenRefusedNamingLineAndPropertyAndUsersKept() throws Exception {
        String refused = template("changed", 12, 30, "phone_number", BYE);
        write(TEMPLATE, refused);

        assertThat(get("/hello").body()).isEqualTo("bonjour");
        JsonNode stack = stack();
        int line = lineOf(refused, "UsernameAttributes");
        assertThat(stack.path("error").asText())
                .startsWith("template.yaml:" + line + ": resource Users, property UsernameAttributes: ")
                .contains("Replacement");
        assertThat(new Journeys(GATEHOUSE).signIn(EMAIL, PASSWORD).idToken()).isNotBlank();
    }

    @Test
    @Order(5)
    void editWhenFixedAndRouteRemovedThenAppliedAndTheRouteIsGone() {
        write(TEMPLATE, template("fixed", 12, 30, "email", ""));

        assertThat(get("/hello").body()).isEqualTo("fixed");
        assertThat(get("/bye").statusCode()).isEqualTo(404);
        assertThat(stack().path("status").asText()).isEqualTo("applied");
        assertThat(new Journeys(GATEHOUSE).signIn(EMAIL, PASSWORD).idToken()).isNotBlank();
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " is not in the template");
    }

    private static HttpResponse<String> get(String path) {
        return ApiCalls.send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("ApiEndpoint") + path))
                .GET()
                .build());
    }

    private static JsonNode stack() {
        HttpResponse<String> response =
                ApiCalls.send(HttpRequest.newBuilder(GATEHOUSE.endpoint().resolve("/_gatehouse/stack"))
                        .GET()
                        .build());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response.body());
    }

    private static JsonNode outputsFile() throws IOException {
        return json(Files.readString(GATEHOUSE.dataDir().resolveSibling("outputs.json")));
    }

    private static JsonNode claims(String jwt) {
        return json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DynamoDbClient adminDynamoDb() {
        return GATEHOUSE.newAdminDynamoDb();
    }
}
