package dev.gatehouse.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invocation waiting for a worker of a function at its concurrency bound, whose caller gives up (the gateway's
 * integration timeout answered): cancelling it withdraws it, so it never runs, and the worker serves the next one.
 */
class QueuedInvocationTests {

    /** Records each event's id as it starts; waits for {@code release} to exist when the event names one. */
    private static final String HANDLER =
            """
            const fs = require('fs');
            exports.main = async (event) => {
              fs.appendFileSync(process.env.RAN_LOG, event.id + '\\n');
              while (event.release && !fs.existsSync(event.release)) {
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
              return event.id;
            };
            """;

    @TempDir
    Path dir;

    private Vertx vertx;
    private FunctionRegistry registry;
    private Path ran;

    @BeforeEach
    void start() throws IOException {
        Path code = Files.createDirectories(dir.resolve("code"));
        Files.writeString(code.resolve("serial.js"), HANDLER);
        ran = dir.resolve("ran.log");
        vertx = Vertx.vertx();
        registry = FunctionRegistry.builder(vertx, dir.resolve("work")).build();
        registry.deploy(FunctionSpec.builder("serial", "nodejs20.x", "serial.main", code)
                .timeout(Duration.ofSeconds(30))
                .reservedConcurrency(1)
                .environment(java.util.Map.of("RAN_LOG", ran.toString()))
                .build());
    }

    @AfterEach
    void stop() {
        registry.close();
        vertx.close();
    }

    @Test
    void invokeWhenWaitingInvocationIsCancelledThenItNeverRunsAndTheNextOneIs() throws Exception {
        Path release = dir.resolve("release");
        CompletableFuture<InvocationResult> first = invoke("{\"id\":\"first\",\"release\":\"" + release + "\"}");
        awaitRan(List.of("first"));

        CompletableFuture<InvocationResult> queued = invoke("{\"id\":\"queued\"}");
        boolean cancelled = queued.cancel(false);
        Files.createFile(release);

        assertThat(text(first.get(30, TimeUnit.SECONDS))).isEqualTo("\"first\"");
        assertThat(text(invoke("{\"id\":\"last\"}").get(30, TimeUnit.SECONDS))).isEqualTo("\"last\"");
        assertThat(cancelled).isTrue();
        assertThat(Files.readAllLines(ran)).containsExactly("first", "last");
    }

    private CompletableFuture<InvocationResult> invoke(String event) {
        return registry.invoke("serial", InvokeRequest.of(event.getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture();
    }

    /** Waits until the handler has recorded {@code ids} (the first invocation holds the only worker from then on). */
    private void awaitRan(List<String> ids) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(ran) && Files.readAllLines(ran).equals(ids))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the handler never recorded " + ids);
            }
            Thread.sleep(20);
        }
    }

    private static String text(InvocationResult result) {
        assertThat(result).isInstanceOf(InvocationResult.Success.class);
        return ((InvocationResult.Success) result).payloadText();
    }
}
