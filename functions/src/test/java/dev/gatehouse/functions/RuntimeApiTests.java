package dev.gatehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Runtime API against its documented protocol (2018-06-01), with the test playing the runtime over HTTP/1.1 in
 * place of a worker process.
 */
class RuntimeApiTests {

    private static final String NEXT = "/2018-06-01/runtime/invocation/next";

    @TempDir
    Path dir;

    private Vertx vertx;
    private FunctionRegistry registry;
    /** One entry per started "worker": its environment; the test then plays that runtime. */
    private final BlockingQueue<FakeProcess> started = new LinkedBlockingQueue<>();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A worker process that is the test itself. */
    static final class FakeProcess implements WorkerProcess {
        final Map<String, String> environment;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        FakeProcess(Map<String, String> environment) {
            this.environment = environment;
        }

        String base() {
            return "http://" + environment.get("AWS_LAMBDA_RUNTIME_API");
        }

        @Override
        public long pid() {
            return 0;
        }

        @Override
        public InputStream output() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void destroy() {
            exit.complete(143);
        }
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = FunctionRegistry.builder(vertx, dir)
                .maxQueuePerFunction(1)
                .launcher((function, environment, taskRoot) -> {
                    FakeProcess process = new FakeProcess(environment);
                    started.add(process);
                    return process;
                })
                .build();
        registry.deploy(spec("fn", 3));
    }

    @AfterEach
    void stop() {
        registry.close();
        vertx.close();
    }

    private FunctionSpec spec(String name, int timeoutSeconds) {
        return FunctionSpec.builder(name, "java17", "example.Hello", dir)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .build();
    }

    @Test
    void nextWhenNoEventYetThenHeldOpenUntilAnInvocationArrivesWithLambdasHeaders() throws Exception {
        CompletionStage<InvocationResult> result = registry.invoke(
                "fn",
                new InvokeRequest(
                        "req-1",
                        bytes("{\"a\":1}"),
                        Optional.of(new InvokeRequest.CognitoIdentity("us-east-1:id", "us-east-1:pool")),
                        Optional.of("{\"custom\":{}}"),
                        Optional.empty()));
        FakeProcess runtime = worker();

        HttpResponse<String> next = get(runtime, NEXT);

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(next.headers().firstValue("content-type")).contains("application/json");
        assertThat(next.headers().firstValue("lambda-runtime-aws-request-id")).contains("req-1");
        assertThat(next.headers().firstValue("lambda-runtime-invoked-function-arn"))
                .contains("arn:aws:lambda:us-east-1:000000000000:function:fn");
        long deadline = Long.parseLong(
                next.headers().firstValue("lambda-runtime-deadline-ms").orElseThrow());
        assertThat(deadline - System.currentTimeMillis()).isBetween(1000L, 3000L);
        assertThat(next.headers().firstValue("lambda-runtime-trace-id").orElseThrow())
                .matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        assertThat(next.headers().firstValue("lambda-runtime-cognito-identity"))
                .contains("{\"cognitoIdentityId\":\"us-east-1:id\",\"cognitoIdentityPoolId\":\"us-east-1:pool\"}");
        assertThat(next.headers().firstValue("lambda-runtime-client-context")).contains("{\"custom\":{}}");
        assertThat(next.body()).isEqualTo("{\"a\":1}");
        assertThat(result.toCompletableFuture().isDone()).isFalse();
    }

    @Test
    void nextWhenWarmWorkerWaitsThenNotAnsweredBeforeAnEvent() throws Exception {
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        HttpResponse<String> first = get(runtime, NEXT);
        post(runtime, "/2018-06-01/runtime/invocation/" + id(first) + "/response", "{}");

        CompletableFuture<HttpResponse<String>> second =
                http.sendAsync(request(runtime, NEXT).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(second).isNotDone();

        registry.invoke(
                "fn",
                new InvokeRequest(
                        "req-2",
                        bytes("{}"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("Root=1-5e1b4151-5ac6c58f3d5f1a2b3c4d5e6f;Parent=0123456789abcdef;Sampled=1")));
        HttpResponse<String> next = second.get(5, TimeUnit.SECONDS);
        assertThat(id(next)).isEqualTo("req-2");
        assertThat(next.headers().firstValue("lambda-runtime-trace-id"))
                .contains("Root=1-5e1b4151-5ac6c58f3d5f1a2b3c4d5e6f;Parent=0123456789abcdef;Sampled=1");
        assertThat(next.headers().firstValue("lambda-runtime-cognito-identity")).isEmpty();
    }

    @Test
    void nextWhenAskedAgainWhileWaitingThenTheLatestRequestGetsTheEvent() throws Exception {
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        post(runtime, "/2018-06-01/runtime/invocation/" + id(get(runtime, NEXT)) + "/response", "{}");
        HttpClient other =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> abandoned =
                other.sendAsync(request(runtime, NEXT).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        CompletableFuture<HttpResponse<String>> retried =
                http.sendAsync(request(runtime, NEXT).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);

        registry.invoke(
                "fn", new InvokeRequest("req-3", bytes("{}"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(id(retried.get(5, TimeUnit.SECONDS))).isEqualTo("req-3");
        assertThat(abandoned).isNotDone();
    }

    @Test
    void responseWhenPostedThen202StatusOkAndTheInvocationSucceedsWithTheBytes() throws Exception {
        Dispatched dispatched = dispatch();
        FakeProcess runtime = dispatched.runtime();
        String id = dispatched.id();
        CompletionStage<InvocationResult> result = dispatched.result();

        HttpResponse<String> accepted =
                post(runtime, "/2018-06-01/runtime/invocation/" + id + "/response", "{\"statusCode\":200}");
        HttpResponse<String> again = post(runtime, "/2018-06-01/runtime/invocation/" + id + "/response", "{}");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("content-type")).contains("application/json");
        assertThat(accepted.body()).isEqualTo("{\"status\":\"OK\"}\n");
        assertThat(await(result))
                .isInstanceOfSatisfying(InvocationResult.Success.class, success -> assertThat(success.payloadText())
                        .isEqualTo("{\"statusCode\":200}"));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body())
                .isEqualTo("{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}\n");
    }

    @Test
    void responseWhenIdIsNotTheOneInFlightThen400InvalidRequestId() throws Exception {
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        get(runtime, NEXT);

        HttpResponse<String> wrong = post(runtime, "/2018-06-01/runtime/invocation/other-id/response", "{}");

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    void errorWhenPostedThen202AndTheInvocationFailsWithTheBodyAndType() throws Exception {
        Dispatched dispatched = dispatch();
        FakeProcess runtime = dispatched.runtime();
        String id = dispatched.id();
        CompletionStage<InvocationResult> result = dispatched.result();
        String body = "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}";

        HttpResponse<String> accepted =
                postError(runtime, "/2018-06-01/runtime/invocation/" + id + "/error", "Runtime.UserException", body);

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(await(result)).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Runtime.UserException");
            assertThat(error.bodyText()).isEqualTo(body);
        });
    }

    @Test
    void initErrorWhenPostedThen202AndTheWaitingInvocationFailsWithIt() throws Exception {
        CompletionStage<InvocationResult> result = registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        String body =
                "{\"errorMessage\":\"Class not found: example.Missing\",\"errorType\":\"java.lang.ClassNotFoundException\"}";

        HttpResponse<String> accepted =
                postError(runtime, "/2018-06-01/runtime/init/error", "Runtime.ImportModuleError", body);
        runtime.exit.complete(1);

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(await(result)).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Runtime.ImportModuleError");
            assertThat(error.bodyText()).isEqualTo(body);
        });
    }

    @Test
    void protocolWhenOutOfStateThen403InvalidStateTransitionAndUnknownPathsThen404Json() throws Exception {
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        get(runtime, NEXT);

        HttpResponse<String> nextWhileBusy = get(runtime, NEXT);
        HttpResponse<String> lateInitError = post(runtime, "/2018-06-01/runtime/init/error", "{}");
        HttpResponse<String> unknown = get(runtime, "/2018-06-01/runtime/nothing");

        assertThat(nextWhileBusy.statusCode()).isEqualTo(403);
        assertThat(nextWhileBusy.body()).contains("InvalidStateTransition");
        assertThat(lateInitError.statusCode()).isEqualTo(403);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    void responseWhenLargerThanSixMegabytesThen413AndFunctionError() throws Exception {
        Dispatched dispatched = dispatch();
        FakeProcess runtime = dispatched.runtime();
        String id = dispatched.id();
        CompletionStage<InvocationResult> result = dispatched.result();

        HttpResponse<String> tooLarge = post(
                runtime,
                "/2018-06-01/runtime/invocation/" + id + "/response",
                "x".repeat(RuntimeApi.MAX_RESPONSE_BYTES + 1));

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("RequestEntityTooLarge");
        assertThat(await(result))
                .isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> assertThat(error.errorType())
                        .isEqualTo("Function.ResponseSizeTooLarge"));
    }

    @Test
    void invocationWhenRunningPastTimeoutThenTimedOutAndTheWorkerEnded() throws Exception {
        registry.deploy(spec("short", 1));
        CompletionStage<InvocationResult> result = registry.invoke("short", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        get(runtime, NEXT);

        assertThat(await(result))
                .isInstanceOfSatisfying(InvocationResult.TimedOut.class, timedOut -> assertThat(timedOut.message())
                        .isEqualTo("Task timed out after 1.00 seconds"));
        assertThat(runtime.exit.get(5, TimeUnit.SECONDS)).isEqualTo(143);
    }

    @Test
    void workerWhenExitingMidInvocationThenExitErrorAndAReplacementStartsForWaitingWork() throws Exception {
        CompletionStage<InvocationResult> first = registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        get(runtime, NEXT);

        runtime.exit.complete(137);

        assertThat(await(first)).isInstanceOfSatisfying(InvocationResult.FunctionError.class, error -> {
            assertThat(error.errorType()).isEqualTo("Runtime.ExitError");
            assertThat(error.bodyText()).contains("Runtime exited with error: exit status 137");
        });
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        assertThat(worker()).isNotSameAs(runtime);
    }

    @Test
    void workerWhenIdleLongerThanTheIdleTimeoutThenEnded() throws Exception {
        FunctionRegistry quick = FunctionRegistry.builder(vertx, dir.resolve("quick"))
                .idleTimeout(Duration.ofMillis(500))
                .launcher((function, environment, taskRoot) -> {
                    FakeProcess process = new FakeProcess(environment);
                    started.add(process);
                    return process;
                })
                .build();
        try {
            quick.deploy(spec("idle", 3));
            quick.invoke("idle", InvokeRequest.of(bytes("{}")));
            FakeProcess runtime = worker();
            post(runtime, "/2018-06-01/runtime/invocation/" + id(get(runtime, NEXT)) + "/response", "{}");
            http.sendAsync(request(runtime, NEXT).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(runtime.exit.get(10, TimeUnit.SECONDS)).isEqualTo(143);
        } finally {
            quick.close();
        }
    }

    @Test
    void invokeWhenReservedConcurrencyZeroOrQueueFullThenThrottled() throws Exception {
        registry.deploy(FunctionSpec.builder("off", "java17", "example.Hello", dir)
                .reservedConcurrency(0)
                .build());
        registry.deploy(FunctionSpec.builder("one", "java17", "example.Hello", dir)
                .reservedConcurrency(1)
                .build());

        InvocationResult off = await(registry.invoke("off", InvokeRequest.of(bytes("{}"))));
        registry.invoke("one", InvokeRequest.of(bytes("{}")));
        InvocationResult queueFull = await(registry.invoke("one", InvokeRequest.of(bytes("{}"))));

        assertThat(off).isInstanceOf(InvocationResult.Throttled.class);
        assertThat(queueFull).isInstanceOf(InvocationResult.Throttled.class);
    }

    @Test
    void workerEnvironmentWhenStartedThenLambdasVariablesAndNothingElseOfGatehouse() throws Exception {
        registry.invoke("fn", InvokeRequest.of(bytes("{}")));

        Map<String, String> env = worker().environment;

        assertThat(env)
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "fn")
                .containsEntry("_HANDLER", "example.Hello")
                .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java17")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
                .containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                .containsEntry("LAMBDA_TASK_ROOT", dir.toString())
                .containsKey("PATH")
                .doesNotContainKey("AWS_ACCESS_KEY_ID")
                .doesNotContainKey("HOME");
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME")).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]{32}");
    }

    /** An invocation delivered to a new worker's {@code /next}. */
    private record Dispatched(FakeProcess runtime, String id, CompletionStage<InvocationResult> result) {}

    private Dispatched dispatch() throws Exception {
        CompletionStage<InvocationResult> result = registry.invoke("fn", InvokeRequest.of(bytes("{}")));
        FakeProcess runtime = worker();
        return new Dispatched(runtime, id(get(runtime, NEXT)), result);
    }

    private FakeProcess worker() throws InterruptedException {
        FakeProcess process = started.poll(10, TimeUnit.SECONDS);
        assertThat(process).as("a worker was started").isNotNull();
        return process;
    }

    private HttpRequest.Builder request(FakeProcess runtime, String path) {
        return HttpRequest.newBuilder(URI.create(runtime.base() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(FakeProcess runtime, String path) throws Exception {
        return http.send(request(runtime, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(FakeProcess runtime, String path, String body) throws Exception {
        return http.send(
                request(runtime, path)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postError(FakeProcess runtime, String path, String errorType, String body)
            throws Exception {
        return http.send(
                request(runtime, path)
                        .header("Lambda-Runtime-Function-Error-Type", errorType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> next) {
        return next.headers().firstValue("lambda-runtime-aws-request-id").orElseThrow();
    }

    private static InvocationResult await(CompletionStage<InvocationResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
