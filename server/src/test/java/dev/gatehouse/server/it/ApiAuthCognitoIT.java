package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;

/**
 * examples/api-auth-cognito (recipe 004) run from the jar with {@code --template}: its Node.js handlers as the recipe
 * writes them, behind the HTTP API's default AWS_IAM; the recipe's own client, the unmodified
 * aws-api-gateway-cli-test (compat/'s copy, with compat/test/apig-endpoint-preload.cjs pointing its Cognito clients
 * here); and the recipe's "Making changes": src/private.js edited while the server runs, answered by the next call.
 */
class ApiAuthCognitoIT {

    private static final Path APP = copyOfTheExample();
    private static final String PRIVATE_SECOND_VERSION =
            """
      export async function main(event) {
        return {
          statusCode: 200,
          body: `Hello ${event.requestContext.authorizer.iam.cognitoIdentity.identityId}!`,
        };
      }
      """;

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "api-auth-cognito", "--template", APP.resolve("template.yaml").toString());

    /** The example copied under target/ (the test edits its handler), laid out as the recipe's project. */
    private static Path copyOfTheExample() {
        Path source =
                Path.of("..", "examples", "api-auth-cognito").toAbsolutePath().normalize();
        Path target = Path.of("target", "it", "api-auth-cognito-src").toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void getPublicWhenUnsignedThenHelloStranger() {
        HttpResponse<String> response = ApiCalls.send(
                HttpRequest.newBuilder(URI.create(api() + "/public")).GET().build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello stranger!");
    }

    @Test
    void getPrivateWhenUnsignedThenForbidden() {
        HttpResponse<String> response = ApiCalls.send(
                HttpRequest.newBuilder(URI.create(api() + "/private")).GET().build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void apigTestWhenPrivateThenHelloUserAndWhenHandlerEditedThenTheNextCallSeesTheIdentityId() throws Exception {
        String email = TestUsers.email("apig");
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);

        String first = apigTest(email);
        Files.writeString(APP.resolve("src").resolve("private.js"), PRIVATE_SECOND_VERSION, StandardCharsets.UTF_8);
        String second = apigTest(email);

        assertThat(first).endsWith("{ status: 200, statusText: 'OK', data: 'Hello user!' }");
        assertThat(second).endsWith("{ status: 200, statusText: 'OK', data: 'Hello " + identityId(email) + "!' }");
        assertThat(identityId(email)).matches("us-east-1:[0-9a-f-]{36}");
    }

    private static String api() {
        return GATEHOUSE.output("ApiEndpoint");
    }

    private static String identityId(String email) {
        String idToken =
                new Journeys(GATEHOUSE).signIn(email, TestUsers.PASSWORD).idToken();
        Map<String, String> logins =
                Map.of("cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.output("UserPoolId"), idToken);
        try (CognitoIdentityClient identity = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create())) {
            return identity.getId(r ->
                            r.identityPoolId(GATEHOUSE.output("IdentityPoolId")).logins(logins))
                    .identityId();
        }
    }

    /** The recipe's command, {@code npx aws-api-gateway-cli-test …}, with this stack's outputs; what it printed. */
    private static String apigTest(String email) throws IOException, InterruptedException {
        return ApiGatewayCliTest.run(GATEHOUSE, "ApiEndpoint", email, "--path-template=/private", "--method=GET");
    }
}
