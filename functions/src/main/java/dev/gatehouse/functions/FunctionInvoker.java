package dev.gatehouse.functions;

import java.util.concurrent.CompletionStage;

/**
 * Invokes functions by name: what an API Gateway integration needs of Lambda. {@link FunctionRegistry} is the real
 * one; tests of the gateway may answer in-process.
 */
@FunctionalInterface
public interface FunctionInvoker {

    /**
     * Invokes {@code functionName} once. Never blocks the calling thread (an event loop may call it); the stage
     * completes when the function answered, failed, timed out or was throttled. It never completes exceptionally
     * except for an unknown function ({@link IllegalArgumentException}) or a stopped registry
     * ({@link IllegalStateException}).
     *
     * <p>Cancelling the returned stage ({@code toCompletableFuture().cancel(false)}) while the invocation still waits
     * for a worker withdraws it: it never runs. One already delivered runs on under its function's {@code Timeout}, as
     * a Lambda invocation does after API Gateway stopped waiting for it.
     */
    CompletionStage<InvocationResult> invoke(String functionName, InvokeRequest request);
}
