package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The recipes' own client, the unmodified aws-api-gateway-cli-test ({@code npx aws-api-gateway-cli-test …}): compat/'s
 * copy, with compat/test/apig-endpoint-preload.cjs pointing its Cognito clients at a running stack.
 */
final class ApiGatewayCliTest {

    private static final Path COMPAT = Path.of("..", "compat").toAbsolutePath().normalize();

    private ApiGatewayCliTest() {}

    /**
     * Runs the tool as the user {@code email} with the stack's outputs (the API's URL under {@code apiOutput}) and
     * {@code options} ({@code --path-template=…}, {@code --method=…}, {@code --body=…}); what it printed, whitespace
     * folded. Fails unless it exits with 0.
     */
    static String run(GatehouseProcess stack, String apiOutput, String email, String... options)
            throws IOException, InterruptedException {
        Path tool = COMPAT.resolve("node_modules")
                .resolve("aws-api-gateway-cli-test")
                .resolve("index.js");
        if (!Files.isRegularFile(tool)) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
        }
        List<String> command = new ArrayList<>(List.of(
                "node",
                "--require",
                COMPAT.resolve("test").resolve("apig-endpoint-preload.cjs").toString(),
                tool.toString(),
                "--username=" + email,
                "--password=" + TestUsers.PASSWORD,
                "--user-pool-id=" + stack.output("UserPoolId"),
                "--app-client-id=" + stack.output("UserPoolClientId"),
                "--cognito-region=us-east-1",
                "--identity-pool-id=" + stack.output("IdentityPoolId"),
                "--invoke-url=" + stack.output(apiOutput),
                "--api-gateway-region=us-east-1"));
        command.addAll(List.of(options));
        return run(command, Map.of("GATEHOUSE_AWS_ENDPOINT", stack.output("AwsEndpoint")))
                .strip();
    }

    private static String run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(COMPAT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + text)
                .isZero();
        return text.replaceAll("\\s+", " ");
    }
}
