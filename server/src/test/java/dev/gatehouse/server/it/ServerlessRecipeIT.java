package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;

/**
 * examples/testauthsls (recipe 003's serverless.yml, in eu-west-1 as the recipe's default) run from the jar: REST
 * routes on the recipe's Node.js handlers, {@code helloWorldSecured} behind the Cognito user-pool authorizer answering
 * with the caller's email claim, and the template's gateway responses putting CORS headers on a 401. The
 * routes are under the Framework's {@code ServiceEndpoint} output (the stage, dev, in the path).
 */
class ServerlessRecipeIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "testauthsls",
            "--region",
            "eu-west-1",
            "--template",
            Path.of("..", "examples", "testauthsls", "serverless.yml")
                    .toAbsolutePath()
                    .normalize()
                    .toString());

    @Test
    void helloWorldWhenUnsignedThenTheUnsecuredGreetingWithCors() {
        HttpResponse<String> response = get("/api/helloWorld", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("\"Hello from an unsecured endpoint\"");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void helloWorldSecuredWhenIdTokenThenTheCallersEmailFromTheClaims() {
        String email = TestUsers.email("sls");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String client = journeys.passwordClient(PreventUserExistenceErrorTypes.ENABLED);
        String idToken = journeys.signIn(client, email, TestUsers.PASSWORD).idToken();

        HttpResponse<String> response = get("/api/helloWorldSecured", idToken);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("\"Hello from an secured endpoint -> " + email + "\"");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
                .contains("true");
    }

    @Test
    void helloWorldSecuredWhenNoTokenThenUnauthorizedWithTheGatewayResponsesCorsHeaders() {
        HttpResponse<String> response = get("/api/helloWorldSecured", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .contains("*");
    }

    private static HttpResponse<String> get(String path, @org.jspecify.annotations.Nullable String idToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(GATEHOUSE.output("ServiceEndpoint") + path))
                .GET();
        if (idToken != null) {
            request.header("Authorization", idToken);
        }
        return ApiCalls.send(request.build());
    }
}
