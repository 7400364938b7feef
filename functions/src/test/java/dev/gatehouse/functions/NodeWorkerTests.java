package dev.gatehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.iam.TemporaryCredentials;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node.js functions (examples/nodejs-functions) on Gatehouse's bootstrap, with the machine's node. */
class NodeWorkerTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES =
            Path.of("..", "examples", "nodejs-functions").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static FunctionRegistry registry;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        registry = FunctionRegistry.builder(vertx, dir)
                .credentials(function -> Optional.of(new TemporaryCredentials(
                        "ASIANODE", "secret", "node-token", Instant.now().plus(Duration.ofHours(1)))))
                .build();
        registry.deploy(node("esm", "hello.main", EXAMPLES.resolve("esm"), 3));
        registry.deploy(node("cjs", "handler.hello", EXAMPLES.resolve("cjs"), 3));
        registry.deploy(node("callback", "handler.callback", EXAMPLES.resolve("cjs"), 3));
        registry.deploy(node("nothing", "handler.nothing", EXAMPLES.resolve("cjs"), 3));
        registry.deploy(node("missing", "handler.absent", EXAMPLES.resolve("cjs"), 3));
        registry.deploy(node("short", "hello.main", EXAMPLES.resolve("esm"), 1));
    }

    private static FunctionSpec node(String name, String handler, Path code, int timeoutSeconds) {
        return FunctionSpec.builder(name, "nodejs20.x", handler, code)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .build();
    }

    @AfterAll
    static void stop() {
        registry.close();
        vertx.close();
    }

    @Test
    void esModuleAsyncHandlerWhenInvokedThenSeesItsEnvironmentContextAndIdentity() throws Exception {
        InvokeRequest request = new InvokeRequest(
                UUID.randomUUID().toString(),
                bytes("{\"a\":1}"),
                Optional.of(new InvokeRequest.CognitoIdentity("us-east-1:node", "us-east-1:pool")),
                Optional.empty(),
                Optional.empty());

        JsonNode out = JSON.readTree(success(registry.invoke("esm", request)));

        assertThat(out.get("env").get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("esm");
        assertThat(out.get("env").get("_HANDLER").asText()).isEqualTo("hello.main");
        assertThat(out.get("env").get("AWS_SESSION_TOKEN").asText()).isEqualTo("node-token");
        assertThat(out.get("requestId").asText()).isEqualTo(request.requestId());
        assertThat(out.get("memoryLimitInMB").asText()).isEqualTo("128");
        assertThat(out.get("remaining").asLong()).isBetween(1L, 3000L);
        assertThat(out.get("identityId").asText()).isEqualTo("us-east-1:node");
        assertThat(out.get("input").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void commonJsHandlersWhenInvokedThenAsyncCallbackAndSilentAnswersArrive() throws Exception {
        assertThat(success(registry.invoke("cjs", InvokeRequest.of(bytes("{\"name\":\"ann\"}")))))
                .isEqualTo("{\"statusCode\":200,\"body\":\"Hello ann!\"}");
        assertThat(success(registry.invoke("callback", InvokeRequest.of(bytes("{}")))))
                .isEqualTo("{\"waited\":true,\"remainingPositive\":true}");
        assertThat(success(registry.invoke("nothing", InvokeRequest.of(bytes("{}")))))
                .isEqualTo("null");
    }

    @Test
    void handlerWhenThrowingThenErrorWithTraceAndWhenMissingThenInitError() throws Exception {
        InvocationResult thrown = await(registry.invoke("esm", InvokeRequest.of(bytes("{\"throw\":\"boom\"}"))));
        InvocationResult missing = await(registry.invoke("missing", InvokeRequest.of(bytes("{}"))));

        assertThat(thrown).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Error");
            assertThat(error.bodyText()).contains("\"errorMessage\":\"boom\"").contains("\"trace\"");
        });
        assertThat(missing)
                .isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> assertThat(error.errorType())
                        .isEqualTo("Runtime.HandlerNotFound"));
    }

    @Test
    void handlerWhenHangingOrExitingThenTimedOutOrExitErrorAndTheNextIsServed() throws Exception {
        InvocationResult hung = await(registry.invoke("short", InvokeRequest.of(bytes("{\"sleep\":5000}"))));
        InvocationResult exited = await(registry.invoke("esm", InvokeRequest.of(bytes("{\"exit\":2}"))));

        assertThat(hung).isInstanceOf(InvocationResult.TimedOut.class);
        assertThat(exited)
                .isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> assertThat(error.errorType())
                        .isEqualTo("Runtime.ExitError"));
        assertThat(success(registry.invoke("short", InvokeRequest.of(bytes("{}")))))
                .contains("\"short\"");
    }

    @Test
    void handlerFileWhenEditedThenTheNextInvocationRunsTheNewCodeInANewWorker() throws Exception {
        Path code = java.nio.file.Files.createDirectories(dir.resolve("live"));
        Path file = code.resolve("live.js");
        java.nio.file.Files.writeString(file, "exports.main = async () => 'first';\n");
        registry.deploy(node("live", "live.main", code, 3));
        assertThat(success(registry.invoke("live", InvokeRequest.of(bytes("{}")))))
                .isEqualTo("\"first\"");
        java.util.List<Long> firstWorkers = registry.workerPids("live");

        java.nio.file.Files.writeString(file, "exports.main = async () => 'second, edited';\n");

        assertThat(success(registry.invoke("live", InvokeRequest.of(bytes("{}")))))
                .isEqualTo("\"second, edited\"");
        assertThat(registry.workerPids("live")).doesNotContainAnyElementsOf(firstWorkers);
    }

    @Test
    void handlerFileWhenUnchangedThenTheWarmWorkerIsReused() throws Exception {
        success(registry.invoke("cjs", InvokeRequest.of(bytes("{\"name\":\"warm\"}"))));
        java.util.List<Long> workers = registry.workerPids("cjs");

        success(registry.invoke("cjs", InvokeRequest.of(bytes("{\"name\":\"again\"}"))));

        assertThat(registry.workerPids("cjs")).containsAnyElementsOf(workers);
    }

    private static String success(CompletionStage<InvocationResult> stage) throws Exception {
        InvocationResult result = await(stage);
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) result).payloadText();
    }

    private static InvocationResult await(CompletionStage<InvocationResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
