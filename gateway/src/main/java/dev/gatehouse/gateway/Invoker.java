package dev.gatehouse.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.gatehouse.functions.InvocationResult;
import dev.gatehouse.functions.InvokeRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a route's integration under the integration timeout. In-process handlers run on their route's bounded worker
 * pool (one pool per handler instance, like one function's concurrency; 429 when full), or on the calling thread for
 * {@link Invocation#NON_BLOCKING}; functions are invoked through their {@link dev.gatehouse.functions.FunctionInvoker},
 * which bounds their workers itself. Failures map to the API type's answers: a throw, a null or malformed answer or a
 * function error to 500 (HTTP) / 502 (REST), the timeout to 503 / 504, a throttled function to 429.
 */
final class Invoker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final ApiType apiType;
    private final Duration timeout;
    private final Clock clock;
    private final Map<Object, ThreadPoolExecutor> pools;

    Invoker(String apiName, List<RouteTable.Entry> entries, ApiType apiType, Duration timeout, Clock clock) {
        this.apiType = apiType;
        this.timeout = timeout;
        this.clock = clock;
        Map<Object, ThreadPoolExecutor> byHandler = new IdentityHashMap<>();
        for (RouteTable.Entry entry : entries) {
            Api.Route route = entry.route();
            if (route.integration() instanceof Integration.Handler && route.invocation() == Invocation.WORKER_POOL) {
                Object handler = ((Integration.Handler) route.integration()).handler();
                byHandler.computeIfAbsent(handler, h -> pool(apiName, route));
            }
        }
        this.pools = byHandler;
    }

    /** Calls an in-process handler with its payload 2.0 event. */
    CompletionStage<IntegrationResult> handle(
            RouteTable.Entry entry,
            Integration.Handler handler,
            APIGatewayV2HTTPEvent event,
            String requestId,
            Instant now,
            IntegrationTimer timer) {
        LambdaContext context = new LambdaContext(requestId, entry.function(), now.plus(timeout), clock);
        ThreadPoolExecutor pool = pools.get(handler.handler());
        if (pool == null) {
            return CompletableFuture.completedFuture(callHere(entry, handler, event, context, requestId));
        }
        CompletableFuture<IntegrationResult> result = new CompletableFuture<>();
        Future<?> task;
        try {
            // A failure after the timeout answered is not logged: nobody waits for it any more.
            task = pool.submit(
                    () -> result.complete(call(entry, handler, event, context, requestId, () -> !result.isDone())));
        } catch (RejectedExecutionException e) {
            LOG.warn(
                    "request {}: handler pool of {} is full",
                    requestId,
                    entry.route().key());
            return failed(GatewayErrors.tooManyRequests());
        }
        return withTimeout(result, timer, requestId, entry, () -> task.cancel(true));
    }

    /** Invokes a function with its event (JSON in the route's payload format); the answer is read by that format. */
    CompletionStage<IntegrationResult> invoke(
            RouteTable.Entry entry,
            Integration.Function function,
            byte[] event,
            String requestId,
            IntegrationTimer timer) {
        InvokeRequest request = new InvokeRequest(
                UUID.randomUUID().toString(), event, Optional.empty(), Optional.empty(), Optional.empty());
        CompletableFuture<IntegrationResult> result = new CompletableFuture<>();
        CompletableFuture<InvocationResult> invocation;
        try {
            invocation =
                    function.invoker().invoke(function.functionName(), request).toCompletableFuture();
            CompletableFuture<InvocationResult> unused = invocation.whenComplete((outcome, failure) -> {
                if (failure instanceof CancellationException) {
                    return; // withdrawn by the timeout below, which answered already
                }
                if (failure != null) {
                    LOG.error(
                            "request {}: function {} could not be invoked",
                            requestId,
                            function.functionName(),
                            failure);
                    result.complete(new IntegrationResult.Failed(GatewayErrors.internalError()));
                } else {
                    result.complete(map(function, outcome, requestId));
                }
            });
        } catch (RuntimeException e) {
            LOG.error("request {}: function {} could not be invoked", requestId, function.functionName(), e);
            return failed(GatewayErrors.internalError());
        }
        // An invocation still waiting for a worker when the caller got its timeout answer must never run.
        return withTimeout(result, timer, requestId, entry, () -> invocation.cancel(false));
    }

    private IntegrationResult map(Integration.Function function, InvocationResult outcome, String requestId) {
        if (outcome instanceof InvocationResult.Success) {
            byte[] payload = ((InvocationResult.Success) outcome).payload();
            Optional<GatewayResponse> response = function.format() == PayloadFormat.V1_0
                    ? EventsV1.response(payload, apiType)
                    : FunctionResponses.v2(payload);
            if (response.isEmpty()) {
                LOG.error(
                        "request {}: Execution failed due to configuration error: Malformed Lambda proxy response "
                                + "from {}",
                        requestId,
                        function.functionName());
                return new IntegrationResult.Failed(GatewayErrors.integrationFailure(apiType));
            }
            return new IntegrationResult.Answered(response.get());
        }
        if (outcome instanceof InvocationResult.TimedOut) {
            return new IntegrationResult.Failed(GatewayErrors.integrationTimeout(apiType));
        }
        if (outcome instanceof InvocationResult.Throttled) {
            return new IntegrationResult.Failed(GatewayErrors.tooManyRequests());
        }
        // the function's log has the error with its trace; the caller gets API Gateway's generic answer only
        LOG.warn(
                "request {}: function {} failed: {}",
                requestId,
                function.functionName(),
                ((InvocationResult.FunctionError) outcome).errorType());
        return new IntegrationResult.Failed(GatewayErrors.integrationFailure(apiType));
    }

    private CompletionStage<IntegrationResult> withTimeout(
            CompletableFuture<IntegrationResult> result,
            IntegrationTimer timer,
            String requestId,
            RouteTable.Entry entry,
            Runnable onTimeout) {
        Runnable cancel = timer.schedule(timeout, () -> {
            if (result.complete(new IntegrationResult.Failed(GatewayErrors.integrationTimeout(apiType)))) {
                LOG.warn(
                        "request {}: integration of {} timed out after {}",
                        requestId,
                        entry.route().key(),
                        timeout);
                onTimeout.run();
            }
        });
        CompletableFuture<IntegrationResult> unused = result.whenComplete((r, e) -> cancel.run());
        return result;
    }

    /** Runs a {@link Invocation#NON_BLOCKING} handler on this thread; failures map as on a pool. */
    private IntegrationResult callHere(
            RouteTable.Entry entry,
            Integration.Handler handler,
            APIGatewayV2HTTPEvent event,
            LambdaContext context,
            String requestId) {
        long started = System.nanoTime();
        try {
            return call(entry, handler, event, context, requestId, () -> true);
        } finally {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (millis > Invocation.NON_BLOCKING_WARNING_MILLIS) {
                LOG.warn(
                        "request {}: non-blocking handler of {} ran {} ms on the calling thread; it should not block",
                        requestId,
                        entry.route().key(),
                        millis);
            }
        }
    }

    /**
     * Calls the route's handler and maps its answer: a null answer or a throw fail the integration, the throw logged
     * when {@code awaited} says someone still waits for this answer.
     */
    private IntegrationResult call(
            RouteTable.Entry entry,
            Integration.Handler handler,
            APIGatewayV2HTTPEvent event,
            LambdaContext context,
            String requestId,
            BooleanSupplier awaited) {
        try {
            APIGatewayV2HTTPResponse response = handler.handler().handleRequest(event, context);
            if (response == null) {
                LOG.error(
                        "request {}: handler of {} returned null",
                        requestId,
                        entry.route().key());
                return new IntegrationResult.Failed(GatewayErrors.integrationFailure(apiType));
            }
            return new IntegrationResult.Answered(Events.response(response));
        } catch (RuntimeException | Error e) {
            if (awaited.getAsBoolean()) {
                LOG.error(
                        "request {}: handler of {} failed",
                        requestId,
                        entry.route().key(),
                        e);
            }
            return new IntegrationResult.Failed(GatewayErrors.integrationFailure(apiType));
        }
    }

    private static CompletionStage<IntegrationResult> failed(GatewayError error) {
        return CompletableFuture.completedFuture(new IntegrationResult.Failed(error));
    }

    private static ThreadPoolExecutor pool(String apiName, Api.Route route) {
        Concurrency concurrency = route.concurrency();
        BlockingQueue<Runnable> queue = concurrency.queueCapacity() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(concurrency.queueCapacity());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                concurrency.maxConcurrency(),
                concurrency.maxConcurrency(),
                60,
                TimeUnit.SECONDS,
                queue,
                daemon("gateway-" + apiName + "-" + route.key().key().replace(' ', '-')),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the worker pools; running handlers are interrupted. */
    @Override
    public void close() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }
}
