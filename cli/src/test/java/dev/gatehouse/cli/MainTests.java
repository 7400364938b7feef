package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTests {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void runWhenOptionsMissingThenUsageExitCodeAndMessageOnStderr() {
        assertThat(run("--username", "u")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("Missing required options: --password");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runWhenUnknownOptionThenPicocliUsageError() {
        assertThat(run("--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void runWhenHelpThenListsTheToolsOptionsAndSubcommands() {
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains(
                        "--username",
                        "--password",
                        "--user-pool-id",
                        "--app-client-id",
                        "--cognito-region",
                        "--identity-pool-id",
                        "--invoke-url",
                        "--api-gateway-region",
                        "--path-template",
                        "--method",
                        "--body",
                        "--params",
                        "--additional-params",
                        "--endpoint",
                        "--outputs-file",
                        "create-user",
                        "confirm-user",
                        "outputs");
    }

    @Test
    void runWhenOutputsGetThenPrintsOneValue() throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), "{\"ApiEndpoint\":\"http://127.0.0.1:9230\"}");

        assertThat(run("outputs", "--outputs-file", file.toString(), "--get", "ApiEndpoint"))
                .isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).isEqualTo("http://127.0.0.1:9230\n");
    }

    @Test
    void outputsWhenNoOutputsFileGivenThenReadsOutputsJsonInTheWorkingDirectory() {
        OutputsCommand command = new OutputsCommand();
        new picocli.CommandLine(command).parseArgs("--get", "ApiEndpoint");

        assertThat(command.outputsFile).isEqualTo(Path.of("outputs.json"));
        // the module directory has no outputs.json: the error says how to make one, under the name README uses
        assertThat(run("outputs", "--get", "ApiEndpoint")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString())
                .contains("outputs.json does not exist")
                .contains("--outputs-file outputs.json")
                .doesNotContain("Missing");
    }

    @Test
    void runWhenOutputsGetUnknownNameThenUsageErrorListsTheNames() throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), "{\"ApiEndpoint\":\"http://127.0.0.1:9230\"}");

        assertThat(run("outputs", "--outputs-file", file.toString(), "--get", "Nope"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("has no Nope (it has: ApiEndpoint)");
    }

    @Test
    void runWhenCreateUserWithoutStackThenUsageErrorNamesTheMissingOption() {
        assertThat(run("create-user", "--username", "a@example.com", "--password", "Passw0rd!"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing --endpoint");
    }

    @Test
    void runWhenEndpointRefusesThenSignInExitCodeAndExplains() throws IOException {
        // port 1 on loopback: nothing listens there, so the connection is refused at once
        int code = run(
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
                "http://127.0.0.1:1",
                "--path-template",
                "/private",
                "--endpoint",
                "http://127.0.0.1:1");

        assertThat(code).isEqualTo(ExitCodes.SIGN_IN);
        assertThat(out.toString()).isEqualTo("Authenticating with User Pool" + System.lineSeparator());
        assertThat(err.toString())
                .contains("Sign-in failed: could not connect to http://127.0.0.1:1 (connection refused)");
    }
}
