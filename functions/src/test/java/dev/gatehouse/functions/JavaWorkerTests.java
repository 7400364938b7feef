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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Java functions (examples/java-functions) in worker JVMs with Amazon's runtime interface client, on this
 * module's Runtime API.
 */
class JavaWorkerTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static FunctionRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        ExampleFunctions.build(dir);
        vertx = Vertx.vertx();
        registry = FunctionRegistry.builder(vertx, dir.resolve("work"))
                .credentials(function -> Optional.of(new TemporaryCredentials(
                        "ASIAEXAMPLE",
                        "secret-" + function.name(),
                        "sealed-token",
                        Instant.now().plus(Duration.ofHours(1)))))
                .endpointUrl("http://127.0.0.1:4566")
                .build();
        registry.deploy(FunctionSpec.builder("hello", "java17", "example.Hello", dir.resolve("classes"))
                .memoryMb(256)
                .timeout(Duration.ofSeconds(3))
                .environment(Map.of("GREETING", "hi"))
                .roleArn("arn:aws:iam::000000000000:role/hello")
                .build());
        registry.deploy(FunctionSpec.builder("shout", "java17", "example.Shout", dir.resolve("java-functions.jar"))
                .build());
        registry.deploy(FunctionSpec.builder("greet", "java17", "example.Greeter::greet", dir.resolve("classes"))
                .build());
    }

    @AfterAll
    static void stop() {
        List<Long> pids = new ArrayList<>();
        registry.names().forEach(name -> pids.addAll(registry.workerPids(name)));
        registry.close();
        // No orphans: every worker process has ended once close returns.
        assertThat(pids).allSatisfy(pid -> assertThat(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("worker %d alive after close", pid)
                .isFalse());
        vertx.close();
    }

    @Test
    void requestHandlerWhenInvokedThenSeesLambdasEnvironmentContextAndIdentity() throws Exception {
        InvokeRequest request = new InvokeRequest(
                UUID.randomUUID().toString(),
                "{\"name\":\"alice\"}".getBytes(StandardCharsets.UTF_8),
                Optional.of(new InvokeRequest.CognitoIdentity("us-east-1:identity", "us-east-1:pool")),
                Optional.empty(),
                Optional.empty());

        JsonNode out = success(registry.invoke("hello", request));

        JsonNode env = out.get("env");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("hello");
        assertThat(env.get("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.get("_HANDLER").asText()).isEqualTo("example.Hello");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.get("AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/hello");
        assertThat(env.get("LAMBDA_TASK_ROOT").asText())
                .isEqualTo(dir.resolve("classes").toString());
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API").asText()).startsWith("127.0.0.1:");
        assertThat(env.get("AWS_ACCESS_KEY_ID").asText()).isEqualTo("ASIAEXAMPLE");
        assertThat(env.get("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo("secret-hello");
        assertThat(env.get("AWS_SESSION_TOKEN").asText()).isEqualTo("sealed-token");
        assertThat(env.get("AWS_ENDPOINT_URL").asText()).isEqualTo("http://127.0.0.1:4566");
        assertThat(env.get("GREETING").asText()).isEqualTo("hi");
        assertThat(out.get("requestId").asText()).isEqualTo(request.requestId());
        assertThat(out.get("invokedFunctionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:hello");
        assertThat(out.get("memoryLimitInMB").asInt()).isEqualTo(256);
        assertThat(out.get("remainingTimeInMillis").asInt()).isBetween(1, 3000);
        assertThat(out.get("identityId").asText()).isEqualTo("us-east-1:identity");
        assertThat(out.get("maxHeapMb").asLong()).isBetween(200L, 256L);
        assertThat(out.get("input").get("name").asText()).isEqualTo("alice");
    }

    @Test
    void streamHandlerFromJarWhenInvokedThenAnswersItsBytes() throws Exception {
        InvocationResult result = await(registry.invoke("shout", InvokeRequest.of(bytes("\"quiet\""))));

        assertThat(result)
                .isInstanceOfSatisfying(InvocationResult.Success.class, success -> assertThat(success.payloadText())
                        .isEqualTo("\"QUIET\""));
    }

    @Test
    void methodHandlerWhenInvokedThenItsReturnValueIsTheJsonAnswer() throws Exception {
        InvocationResult result = await(registry.invoke("greet", InvokeRequest.of(bytes("{\"name\":\"bob\"}"))));

        assertThat(result)
                .isInstanceOfSatisfying(InvocationResult.Success.class, success -> assertThat(success.payloadText())
                        .isEqualTo("\"Hello bob!\""));
    }

    @Test
    void workerWhenInvokedAgainThenWarmWorkerIsReused() throws Exception {
        success(registry.invoke("hello", InvokeRequest.of(bytes("{}"))));
        List<Long> before = registry.workerPids("hello");

        JsonNode out = success(registry.invoke("hello", InvokeRequest.of(bytes("{}"))));

        assertThat(registry.workerPids("hello")).containsAll(before);
        assertThat(out.get("invocations").asInt()).isGreaterThan(1);
    }

    @Test
    void handlerWhenThrowingThenFunctionErrorWithTheTraceAndTheWorkerServesOn() throws Exception {
        InvocationResult result = await(registry.invoke("hello", InvokeRequest.of(bytes("{\"throw\":\"boom\"}"))));

        assertThat(result).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.bodyText())
                    .contains("\"errorMessage\":\"boom\"")
                    .contains("java.lang.IllegalStateException")
                    .contains("stackTrace");
        });
        success(registry.invoke("hello", InvokeRequest.of(bytes("{}"))));
    }

    @Test
    void handlerWhenRunningPastTimeoutThenTimedOutAndWorkerReplaced() throws Exception {
        registry.deploy(FunctionSpec.builder("slow", "java17", "example.Hello", dir.resolve("classes"))
                .timeout(Duration.ofSeconds(2))
                .build());
        success(registry.invoke("slow", InvokeRequest.of(bytes("{}"))));
        List<Long> before = registry.workerPids("slow");

        InvocationResult result = await(registry.invoke("slow", InvokeRequest.of(bytes("{\"sleep\":10000}"))));

        assertThat(result)
                .isInstanceOfSatisfying(InvocationResult.TimedOut.class, timedOut -> assertThat(timedOut.message())
                        .isEqualTo("Task timed out after 2.00 seconds"));
        success(registry.invoke("slow", InvokeRequest.of(bytes("{}"))));
        assertThat(registry.workerPids("slow")).hasSize(1).doesNotContainAnyElementsOf(before);
    }

    @Test
    void workerWhenExitingMidInvocationThenExitErrorAndNextInvocationServed() throws Exception {
        InvocationResult result = await(registry.invoke("hello", InvokeRequest.of(bytes("{\"exit\":3}"))));

        assertThat(result).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Runtime.ExitError");
            assertThat(error.bodyText()).contains("Runtime exited with error: exit status 3");
        });
        success(registry.invoke("hello", InvokeRequest.of(bytes("{}"))));
    }

    @Test
    void workerWhenKilledThenNoticedAndReplaced() throws Exception {
        success(registry.invoke("greet", InvokeRequest.of(bytes("{}"))));
        long pid = registry.workerPids("greet").get(0);

        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.workerPids("greet").contains(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(registry.workerPids("greet")).doesNotContain(pid);
        InvocationResult result = await(registry.invoke("greet", InvokeRequest.of(bytes("{\"name\":\"carol\"}"))));
        assertThat(result)
                .isInstanceOfSatisfying(InvocationResult.Success.class, success -> assertThat(success.payloadText())
                        .isEqualTo("\"Hello carol!\""));
    }

    @Test
    void invocationsWhenOverlappingThenMoreWorkersStart() throws Exception {
        registry.deploy(FunctionSpec.builder("parallel", "java17", "example.Hello", dir.resolve("classes"))
                .build());
        List<CompletableFuture<InvocationResult>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(registry.invoke("parallel", InvokeRequest.of(bytes("{\"sleep\":1500}")))
                    .toCompletableFuture());
        }
        for (CompletableFuture<InvocationResult> call : calls) {
            assertThat(await(call)).isInstanceOf(InvocationResult.Success.class);
        }
        assertThat(registry.workerCount("parallel")).isEqualTo(2);
    }

    private static JsonNode success(java.util.concurrent.CompletionStage<InvocationResult> stage) throws Exception {
        InvocationResult result = await(stage);
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return JSON.readTree(((InvocationResult.Success) result).payload());
    }

    private static InvocationResult await(java.util.concurrent.CompletionStage<InvocationResult> stage)
            throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
