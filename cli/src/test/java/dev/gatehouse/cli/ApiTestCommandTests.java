package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTestCommandTests {

    private static final String OUTPUTS =
            """
      {
        "Region" : "eu-west-1",
        "AwsEndpoint" : "http://127.0.0.1:9229",
        "ApiEndpoint" : "http://127.0.0.1:9230",
        "UserPoolId" : "eu-west-1_AbCdEf123",
        "UserPoolClientId" : "1example23456789abcdefghij",
        "IdentityPoolId" : "eu-west-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        "AdminCredentialsFile" : "data/admin-credentials"
      }
      """;

    @TempDir
    Path dir;

    private static ApiTestCommand parse(String... args) {
        ApiTestCommand command = new ApiTestCommand();
        Main.commandLine(command).parseArgs(args);
        return command;
    }

    private Path outputs() throws IOException {
        return Files.writeString(dir.resolve("outputs.json"), OUTPUTS);
    }

    @Test
    void resolveWhenTheRecipesOptionsThenEveryValueAsGiven() {
        ApiTestCommand.Invocation run = parse(
                        "--username=admin@example.com",
                        "--password=Passw0rd!",
                        "--user-pool-id=us-east-1_Pool1",
                        "--app-client-id=client1",
                        "--cognito-region=us-east-1",
                        "--identity-pool-id=us-east-1:pool",
                        "--invoke-url=https://abc.execute-api.us-east-1.amazonaws.com",
                        "--api-gateway-region=us-east-1",
                        "--path-template=/notes",
                        "--method=POST",
                        "--body={\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}")
                .resolve();

        assertThat(run.username()).isEqualTo("admin@example.com");
        assertThat(run.password()).isEqualTo("Passw0rd!");
        assertThat(run.userPoolId()).isEqualTo("us-east-1_Pool1");
        assertThat(run.appClientId()).isEqualTo("client1");
        assertThat(run.identityPoolId()).isEqualTo("us-east-1:pool");
        assertThat(run.endpoint()).isEmpty();
        assertThat(run.request().method()).isEqualTo("POST");
        assertThat(run.request().uri()).isEqualTo(URI.create("https://abc.execute-api.us-east-1.amazonaws.com/notes"));
        assertThat(new String(run.request().body().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}");
        assertThat(run.toString()).doesNotContain("Passw0rd!");
    }

    @Test
    void resolveWhenSpaceSeparatedValuesThenSameAsEquals() {
        ApiTestCommand.Invocation run = parse(
                        "--username",
                        "u",
                        "--password",
                        "p",
                        "--user-pool-id",
                        "us-east-1_P",
                        "--app-client-id",
                        "c",
                        "--identity-pool-id",
                        "i",
                        "--invoke-url",
                        "http://127.0.0.1:9230",
                        "--path-template",
                        "/private")
                .resolve();

        assertThat(run.request().method()).isEqualTo("GET");
        assertThat(run.cognitoRegion()).isEqualTo("us-east-1");
        assertThat(run.apiGatewayRegion()).isEqualTo("us-east-1");
        // the tool's default body, '{}', is sent as it is
        assertThat(new String(run.request().body().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    @Test
    void resolveWhenOutputsFileThenFillsIdsEndpointsAndRegions() throws IOException {
        ApiTestCommand.Invocation run = parse(
                        "--outputs-file",
                        outputs().toString(),
                        "--username",
                        "u",
                        "--password",
                        "p",
                        "--path-template",
                        "/private")
                .resolve();

        assertThat(run.userPoolId()).isEqualTo("eu-west-1_AbCdEf123");
        assertThat(run.appClientId()).isEqualTo("1example23456789abcdefghij");
        assertThat(run.identityPoolId()).isEqualTo("eu-west-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        assertThat(run.cognitoRegion()).isEqualTo("eu-west-1");
        assertThat(run.apiGatewayRegion()).isEqualTo("eu-west-1");
        assertThat(run.endpoint()).contains(URI.create("http://127.0.0.1:9229"));
        assertThat(run.request().uri()).isEqualTo(URI.create("http://127.0.0.1:9230/private"));
    }

    @Test
    void resolveWhenOptionAndOutputsFileThenTheOptionWins() throws IOException {
        ApiTestCommand.Invocation run = parse(
                        "--outputs-file",
                        outputs().toString(),
                        "--username",
                        "u",
                        "--password",
                        "p",
                        "--path-template",
                        "/private",
                        "--user-pool-id",
                        "us-east-1_Other",
                        "--endpoint",
                        "http://127.0.0.1:1234",
                        "--invoke-url",
                        "http://127.0.0.1:4321/prod",
                        "--cognito-region",
                        "us-west-2")
                .resolve();

        assertThat(run.userPoolId()).isEqualTo("us-east-1_Other");
        assertThat(run.endpoint()).contains(URI.create("http://127.0.0.1:1234"));
        assertThat(run.request().uri()).isEqualTo(URI.create("http://127.0.0.1:4321/prod/private"));
        assertThat(run.cognitoRegion()).isEqualTo("us-west-2");
        assertThat(run.apiGatewayRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void resolveWhenOptionsMissingThenNamesEveryOne() {
        assertThatThrownBy(
                        () -> parse("--username", "u", "--path-template", "/x").resolve())
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("--password, --user-pool-id, --app-client-id, --identity-pool-id, --invoke-url")
                .hasMessageContaining("--outputs-file");
    }

    @Test
    void resolveWhenBodyNotJsonThenUsageError() {
        assertThatThrownBy(() -> parse(
                                "--username",
                                "u",
                                "--password",
                                "p",
                                "--user-pool-id",
                                "us-east-1_P",
                                "--app-client-id",
                                "c",
                                "--identity-pool-id",
                                "i",
                                "--invoke-url",
                                "http://127.0.0.1:9230",
                                "--path-template",
                                "/notes",
                                "--body",
                                "{bad")
                        .resolve())
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageStartingWith("--body is not valid JSON");
    }

    @Test
    void resolveWhenBodyFromFileThenReadsIt() throws IOException {
        Path body = Files.writeString(dir.resolve("create.json"), "{ \"content\": \"from a file\" }\n");
        ApiTestCommand.Invocation run = parse(
                        "--username",
                        "u",
                        "--password",
                        "p",
                        "--user-pool-id",
                        "us-east-1_P",
                        "--app-client-id",
                        "c",
                        "--identity-pool-id",
                        "i",
                        "--invoke-url",
                        "http://127.0.0.1:9230",
                        "--path-template",
                        "/notes",
                        "--method",
                        "post",
                        "--body",
                        "@" + body)
                .resolve();

        assertThat(run.request().method()).isEqualTo("POST");
        assertThat(new String(run.request().body().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":\"from a file\"}");
    }

    @Test
    void resolveWhenParamsAndAdditionalParamsThenPathQueryAndHeaders() {
        ApiTestCommand.Invocation run = parse(
                        "--username",
                        "u",
                        "--password",
                        "p",
                        "--user-pool-id",
                        "us-east-1_P",
                        "--app-client-id",
                        "c",
                        "--identity-pool-id",
                        "i",
                        "--invoke-url",
                        "http://127.0.0.1:9230/",
                        "--path-template",
                        "/notes/{id}",
                        "--params",
                        "{\"id\":\"a b/c\"}",
                        "--api-key",
                        "k1",
                        "--additional-params",
                        "{\"headers\":{\"X-Extra\":\"1\"},\"queryParams\":{\"z\":\"2\",\"a\":\"x y\"}}")
                .resolve();

        assertThat(run.request().uri().toString()).isEqualTo("http://127.0.0.1:9230/notes/a%20b%2Fc?a=x%20y&z=2");
        assertThat(run.request().headers())
                .containsEntry("X-Extra", "1")
                .containsEntry("x-api-key", "k1")
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Accept", "application/json");
    }

    @Test
    void resolveWhenParamsNotAnObjectThenUsageError() {
        assertThatThrownBy(() -> parse(
                                "--username",
                                "u",
                                "--password",
                                "p",
                                "--user-pool-id",
                                "us-east-1_P",
                                "--app-client-id",
                                "c",
                                "--identity-pool-id",
                                "i",
                                "--invoke-url",
                                "http://127.0.0.1:9230",
                                "--path-template",
                                "/notes",
                                "--params",
                                "[1]")
                        .resolve())
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void resolveWhenUnknownMethodThenUsageError() {
        assertThatThrownBy(() -> parse(
                                "--username",
                                "u",
                                "--password",
                                "p",
                                "--user-pool-id",
                                "us-east-1_P",
                                "--app-client-id",
                                "c",
                                "--identity-pool-id",
                                "i",
                                "--invoke-url",
                                "http://127.0.0.1:9230",
                                "--path-template",
                                "/notes",
                                "--method",
                                "FETCH")
                        .resolve())
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageStartingWith("--method must be one of");
    }

    @Test
    void resolveWhenInvokeUrlNotHttpThenUsageError() {
        assertThatThrownBy(() -> parse(
                                "--username",
                                "u",
                                "--password",
                                "p",
                                "--user-pool-id",
                                "us-east-1_P",
                                "--app-client-id",
                                "c",
                                "--identity-pool-id",
                                "i",
                                "--invoke-url",
                                "127.0.0.1:9230",
                                "--path-template",
                                "/notes")
                        .resolve())
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("--invoke-url");
    }

    @Test
    void renderWhenResponseThenConsoleDirShape() {
        ApiInvoker.ApiResponse response = new ApiInvoker.ApiResponse(
                200, "OK", ApiInvoker.data("Hello us-east-1:1!".getBytes(StandardCharsets.UTF_8)));

        assertThat(ApiTestCommand.render(response))
                .isEqualTo("{ status: 200, statusText: 'OK', data: 'Hello us-east-1:1!' }");
    }

    @Test
    void dataWhenJsonThenParsedElseText() {
        assertThat(ApiInvoker.data("{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                        .path("a")
                        .asInt())
                .isEqualTo(1);
        assertThat(ApiInvoker.data("123 abc".getBytes(StandardCharsets.UTF_8)).asText())
                .isEqualTo("123 abc");
        assertThat(ApiInvoker.data(new byte[0]).asText()).isEmpty();
    }

    @Test
    void firstWhenBlankOptionThenFallsBack() {
        assertThat(ApiTestCommand.first(" ", Optional.of("x"))).contains("x");
        assertThat(ApiTestCommand.first(null, Optional.empty())).isEmpty();
    }
}
