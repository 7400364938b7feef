package dev.gatehouse.functions;

import dev.gatehouse.iam.TemporaryCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one function and the invocations waiting for them.
 *
 * <p>Design: an invocation goes to an idle worker (one holding a {@code /next}); without one it waits in a bounded
 * queue and a worker is started when fewer are starting than wait, up to the function's bound (the registry's, or
 * {@code ReservedConcurrentExecutions}). A worker that answers is reused (warm). The function's {@code Timeout} runs
 * from delivery: past it the worker is ended and the invocation is {@link InvocationResult.TimedOut}. A worker whose
 * process exits is noticed (its in-flight invocation fails with {@code Runtime.ExitError}) and, while invocations
 * wait, replaced. An init error fails one waiting invocation, so a broken function cannot restart forever. An
 * invocation whose result the caller cancels while it waits (the gateway's integration timeout answered first) is
 * withdrawn: no worker ever runs it. All state is guarded by this object; results are completed outside the lock.
 */
final class FunctionPool {

    /** What the pool needs of its registry. */
    record Settings(
            Vertx vertx,
            WorkerProcess.Launcher launcher,
            Runtimes runtimes,
            TaskRoots taskRoots,
            ExecutionRoleCredentials credentials,
            Optional<String> endpointUrl,
            Executor blocking,
            Clock clock,
            int maxWorkers,
            int maxQueue,
            Duration initTimeout,
            Duration credentialMargin,
            Duration idleTimeout) {}

    private final FunctionSpec spec;
    private final CodeStamp codeStamp;
    private final Settings settings;
    private final Logger log;
    private final int bound;
    private final Deque<Worker.Pending> queue = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private int starting;
    private int nextWorkerId = 1;
    private boolean retiring;
    private final long sweeper;

    FunctionPool(FunctionSpec spec, CodeStamp codeStamp, Settings settings) {
        this.spec = spec;
        this.codeStamp = codeStamp;
        this.settings = settings;
        this.log = LoggerFactory.getLogger("dev.gatehouse.functions." + spec.name());
        this.bound = Math.min(settings.maxWorkers(), spec.reservedConcurrency().orElse(Integer.MAX_VALUE));
        long period = Math.max(1000, settings.idleTimeout().toMillis() / 4);
        this.sweeper = settings.vertx().setPeriodic(period, id -> endIdle());
    }

    /** Ends workers idle for longer than the idle timeout, as Lambda reclaims an unused sandbox. */
    private void endIdle() {
        long cutoff = System.nanoTime() - settings.idleTimeout().toNanos();
        List<Worker> idle = new ArrayList<>();
        synchronized (this) {
            for (Worker worker : workers) {
                if (worker.state == Worker.State.IDLE && worker.idleSince - cutoff < 0) {
                    worker.state = Worker.State.DEAD;
                    idle.add(worker);
                }
            }
        }
        idle.forEach(worker -> end(worker, "idle for " + settings.idleTimeout().toMinutes() + " min"));
    }

    FunctionSpec spec() {
        return spec;
    }

    /** What the code looked like when this pool was made; its workers run that code. */
    CodeStamp codeStamp() {
        return codeStamp;
    }

    /** Workers alive (starting, idle or busy). */
    synchronized int workerCount() {
        return workers.size();
    }

    /** Process ids of the live workers, for tests and diagnostics. */
    synchronized List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        for (Worker worker : workers) {
            WorkerProcess process = worker.process;
            if (process != null) {
                pids.add(process.pid());
            }
        }
        return pids;
    }

    CompletionStage<InvocationResult> invoke(InvokeRequest request) {
        Worker.Pending pending = new Worker.Pending(request);
        boolean throttled = false;
        List<Worker> expiredIdle;
        synchronized (this) {
            if (retiring) {
                throw new IllegalStateException("function " + spec.name() + " was replaced or removed");
            }
            for (Worker worker : workers) {
                if (worker.state == Worker.State.IDLE && !expired(worker) && dispatch(worker, pending)) {
                    return pending.result;
                }
            }
            expiredIdle = workers.stream()
                    .filter(w -> w.state == Worker.State.IDLE && expired(w))
                    .toList();
            expiredIdle.forEach(w -> w.state = Worker.State.DEAD);
            if (bound == 0 || queue.size() >= settings.maxQueue()) {
                throttled = true;
            } else {
                queue.addLast(pending);
                startWorkersAsNeeded();
            }
        }
        if (!throttled) {
            withdrawWhenCancelled(pending);
        }
        // Workers whose role credentials are about to expire are ended; a successor starts with fresh ones.
        expiredIdle.forEach(worker -> end(worker, "its credentials expire"));
        if (throttled) {
            log.warn(
                    "{} throttled: {} workers busy and {} invocations waiting",
                    request.requestId(),
                    bound,
                    queue.size());
            pending.result.complete(new InvocationResult.Throttled());
        }
        return pending.result;
    }

    /** Moves the invocations still waiting to {@code successor}; called when this pool is replaced. */
    List<Worker.Pending> retire() {
        List<Worker> idle = new ArrayList<>();
        List<Worker.Pending> waiting;
        settings.vertx().cancelTimer(sweeper);
        synchronized (this) {
            retiring = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
            for (Worker worker : workers) {
                if (worker.state == Worker.State.IDLE
                        || worker.state == Worker.State.STARTING
                        || worker.state == Worker.State.ANSWERED) {
                    idle.add(worker);
                }
            }
        }
        idle.forEach(worker -> end(worker, "the function was replaced"));
        return waiting;
    }

    /** Takes over invocations a replaced pool had waiting. */
    void adopt(List<Worker.Pending> waiting) {
        synchronized (this) {
            queue.addAll(waiting);
            startWorkersAsNeeded();
        }
        waiting.forEach(this::withdrawWhenCancelled);
    }

    /** A waiting invocation whose caller cancels its result leaves the queue (it may have been delivered by then). */
    private void withdrawWhenCancelled(Worker.Pending pending) {
        CompletableFuture<InvocationResult> unused = pending.result.whenComplete((result, failure) -> {
            if (pending.result.isCancelled()) {
                boolean withdrawn;
                synchronized (this) {
                    withdrawn = queue.remove(pending);
                }
                if (withdrawn) {
                    log.info(
                            "{} withdrawn: its caller stopped waiting before a worker took it",
                            pending.request.requestId());
                }
            }
        });
    }

    /** The first waiting invocation whose caller still waits; cancelled ones are dropped. Under the lock. */
    private Worker.@Nullable Pending pollWaiting() {
        Worker.Pending next = queue.pollFirst();
        while (next != null && next.result.isDone()) {
            next = queue.pollFirst();
        }
        return next;
    }

    /** Ends every worker and fails what waits; used when the registry stops. */
    void close() {
        List<Worker.Pending> waiting;
        List<Worker> all;
        settings.vertx().cancelTimer(sweeper);
        synchronized (this) {
            retiring = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
            all = new ArrayList<>(workers);
        }
        waiting.forEach(p -> p.result.complete(LambdaValues.exitError(p.request.requestId(), "Gatehouse is stopping")));
        all.forEach(worker -> end(worker, "Gatehouse is stopping"));
    }

    // ---- scheduling (under the lock) ----

    private boolean expired(Worker worker) {
        return settings.clock().instant().isAfter(worker.retireAt);
    }

    private void startWorkersAsNeeded() {
        // A worker that has just answered asks for its next event within moments: count it as one about to be idle.
        long soonIdle = starting
                + workers.stream().filter(w -> w.state == Worker.State.ANSWERED).count();
        while (!retiring && soonIdle < queue.size() && workers.size() < bound) {
            soonIdle++;
            Worker worker = new Worker(nextWorkerId++, LambdaValues.logStream(settings.clock()));
            workers.add(worker);
            starting++;
            settings.vertx().runOnContext(v -> listen(worker));
        }
    }

    /** Sends {@code pending} to {@code worker}'s held {@code /next}; false when that connection is gone. */
    private boolean dispatch(Worker worker, Worker.Pending pending) {
        HttpServerResponse next = worker.heldNext;
        worker.heldNext = null;
        if (next == null) {
            worker.state = Worker.State.ANSWERED;
            return false;
        }
        long deadline = settings.clock().millis() + spec.timeout().toMillis();
        InvokeRequest request = pending.request;
        RuntimeApi.Delivery delivery = new RuntimeApi.Delivery(
                request.requestId(),
                deadline,
                spec.arn(),
                request.traceId().orElseGet(LambdaValues::traceId),
                request.clientContext(),
                request.identity().map(LambdaValues::identityJson),
                request.payload());
        if (!RuntimeApi.deliver(next, delivery)) {
            worker.state = Worker.State.ANSWERED; // its /next connection is gone: wait for the runtime to ask again
            return false;
        }
        worker.state = Worker.State.BUSY;
        worker.current = pending;
        worker.logRequestId = request.requestId();
        pending.dispatchedNanos = System.nanoTime();
        log.info("START RequestId: {} Version: $LATEST", request.requestId());
        pending.timerId = settings.vertx().setTimer(spec.timeout().toMillis(), id -> timedOut(worker, pending));
        return true;
    }

    // ---- the Runtime API of one worker ----

    private final class Sandbox implements RuntimeApi.Sandbox {
        private final Worker worker;

        Sandbox(Worker worker) {
            this.worker = worker;
        }

        @Override
        public void next(HttpServerResponse next) {
            boolean retire;
            synchronized (FunctionPool.this) {
                if (worker.state == Worker.State.BUSY) {
                    RuntimeApi.reply(next, RuntimeApi.Reply.invalidStateTransition());
                    return;
                }
                if (worker.state == Worker.State.DEAD) {
                    return; // being ended: leave the request unanswered
                }
                retire = becomeIdle(worker, next);
            }
            if (retire) {
                end(worker, "retired");
                synchronized (FunctionPool.this) {
                    startWorkersAsNeeded();
                }
            }
        }

        @Override
        public RuntimeApi.Reply response(String requestId, byte[] body) {
            return finish(worker, requestId, new InvocationResult.Success(body));
        }

        @Override
        public RuntimeApi.Reply error(String requestId, Optional<String> errorType, byte[] body) {
            InvocationResult.FunctionError error =
                    new InvocationResult.FunctionError(errorType.orElse("Unhandled"), body);
            RuntimeApi.Reply reply = finish(worker, requestId, error);
            if (reply.status() == 202) {
                log.error("{} {} {}", requestId, error.errorType(), error.bodyText());
            }
            return reply;
        }

        @Override
        public RuntimeApi.Reply initError(Optional<String> errorType, byte[] body) {
            Worker.Pending failed;
            synchronized (FunctionPool.this) {
                if (worker.state != Worker.State.STARTING || worker.initErrorReported) {
                    return RuntimeApi.Reply.invalidStateTransition();
                }
                worker.initErrorReported = true;
                failed = pollWaiting();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            log.error("INIT_REPORT Status: error Error Type: {} {}", errorType.orElse("Runtime.Unknown"), text);
            if (failed != null) {
                failed.result.complete(new InvocationResult.FunctionError(errorType.orElse("Runtime.Unknown"), body));
            }
            return RuntimeApi.Reply.ACCEPTED;
        }

        @Override
        public RuntimeApi.Reply responseTooLarge(String requestId) {
            String message = "Response payload size exceeded maximum allowed payload size (6291556 bytes).";
            return finish(
                    worker,
                    requestId,
                    new InvocationResult.FunctionError(
                            "Function.ResponseSizeTooLarge",
                            LambdaValues.errorJson("Function.ResponseSizeTooLarge", message)));
        }
    }

    /**
     * A worker's {@code /next}, under the lock: it gets the first waiting invocation or holds the request; true when the
     * worker should be ended instead (its pool is retiring, or its credentials expire).
     */
    private boolean becomeIdle(Worker worker, HttpServerResponse next) {
        if (worker.state == Worker.State.IDLE) {
            // The runtime asks again (its earlier request's connection is gone): this request is the one to answer.
            worker.heldNext = next;
            return false;
        }
        if (worker.state == Worker.State.STARTING) {
            starting--;
            settings.vertx().cancelTimer(worker.initTimerId);
        }
        worker.state = Worker.State.IDLE;
        worker.idleSince = System.nanoTime();
        worker.logRequestId = "-";
        worker.heldNext = next;
        if (retiring || expired(worker)) {
            return true;
        }
        Worker.Pending waiting = pollWaiting();
        if (waiting != null && !dispatch(worker, waiting)) {
            queue.addFirst(waiting);
        }
        return false;
    }

    private RuntimeApi.Reply finish(Worker worker, String requestId, InvocationResult result) {
        Worker.Pending pending;
        synchronized (this) {
            pending = worker.current;
            if (worker.state != Worker.State.BUSY
                    || pending == null
                    || !pending.request.requestId().equals(requestId)) {
                return RuntimeApi.Reply.invalidRequestId();
            }
            settings.vertx().cancelTimer(pending.timerId);
            worker.current = null;
            worker.state = Worker.State.ANSWERED;
        }
        report(pending);
        pending.result.complete(result);
        return RuntimeApi.Reply.ACCEPTED;
    }

    private void report(Worker.Pending pending) {
        double millis = (System.nanoTime() - pending.dispatchedNanos) / 1e6;
        log.info("END RequestId: {}", pending.request.requestId());
        log.info(
                "REPORT RequestId: {}\tDuration: {} ms\tBilled Duration: {} ms\tMemory Size: {} MB",
                pending.request.requestId(),
                String.format(Locale.ROOT, "%.2f", millis),
                (long) Math.ceil(millis),
                spec.memoryMb());
    }

    private void timedOut(Worker worker, Worker.Pending pending) {
        synchronized (this) {
            if (worker.current != pending) {
                return;
            }
            worker.current = null;
            worker.state = Worker.State.DEAD;
        }
        String message = String.format(
                Locale.ROOT,
                "Task timed out after %d.00 seconds",
                spec.timeout().toSeconds());
        log.error("{} {}", pending.request.requestId(), message);
        report(pending);
        pending.result.complete(new InvocationResult.TimedOut(message));
        end(worker, "timed out");
    }

    // ---- worker lifecycle ----

    private void listen(Worker worker) {
        HttpServer server = settings.vertx()
                .createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0).setIdleTimeout(0));
        worker.server = server;
        server.requestHandler(RuntimeApi.handler(new Sandbox(worker))).listen().onComplete(bound -> {
            if (bound.failed()) {
                startFailed(worker, "its Runtime API could not listen: " + bound.cause());
                return;
            }
            settings.blocking().execute(() -> launch(worker, bound.result().actualPort()));
        });
    }

    private void launch(Worker worker, int port) {
        WorkerProcess process;
        try {
            Path taskRoot = settings.taskRoots().taskRoot(spec);
            Optional<TemporaryCredentials> credentials = settings.credentials().mint(spec);
            credentials.ifPresent(keys -> worker.retireAt = keys.expiration().minus(settings.credentialMargin()));
            Map<String, String> env = WorkerEnvironment.of(
                    spec,
                    "127.0.0.1:" + port,
                    taskRoot,
                    settings.runtimes().runtimeDir(spec),
                    worker.logStream,
                    credentials,
                    settings.endpointUrl());
            process = settings.launcher().launch(spec, env, taskRoot);
        } catch (IOException | RuntimeException e) {
            startFailed(worker, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        boolean stop;
        synchronized (this) {
            worker.process = process;
            stop = worker.state == Worker.State.DEAD;
            if (!stop) {
                worker.initTimerId =
                        settings.vertx().setTimer(settings.initTimeout().toMillis(), id -> initTimedOut(worker));
            }
        }
        log.debug("{} started for {}", worker, spec.name());
        LogPump.start(log, worker, process, "function-" + spec.name() + "-" + worker.id + "-log");
        process.exit().thenAccept(status -> exited(worker, status));
        if (stop) {
            process.destroy();
        }
    }

    private void initTimedOut(Worker worker) {
        synchronized (this) {
            if (worker.state != Worker.State.STARTING) {
                return;
            }
        }
        log.error(
                "{} did not ask for an event within {} s: ended",
                worker,
                settings.initTimeout().toSeconds());
        end(worker, "init timed out");
    }

    private void startFailed(Worker worker, String why) {
        log.error("function {}: a worker could not start: {}", spec.name(), why);
        Worker.Pending failed;
        synchronized (this) {
            workers.remove(worker);
            starting--;
            worker.state = Worker.State.DEAD;
            failed = pollWaiting();
        }
        closeServer(worker);
        if (failed != null) {
            failed.result.complete(new InvocationResult.FunctionError(
                    "Runtime.Unknown",
                    LambdaValues.errorJson(
                            "Runtime.Unknown", "RequestId: " + failed.request.requestId() + " Error: " + why)));
        }
    }

    private void exited(Worker worker, int status) {
        Worker.Pending inFlight;
        Worker.Pending failedStart = null;
        synchronized (this) {
            workers.remove(worker);
            if (worker.state == Worker.State.STARTING) {
                starting--;
                settings.vertx().cancelTimer(worker.initTimerId);
                if (!worker.initErrorReported) {
                    failedStart = pollWaiting();
                }
            }
            inFlight = worker.current;
            worker.current = null;
            if (inFlight != null) {
                settings.vertx().cancelTimer(inFlight.timerId);
            }
            worker.state = Worker.State.DEAD;
            startWorkersAsNeeded();
        }
        closeServer(worker);
        String reason = "Runtime exited with error: exit status " + status;
        if (inFlight != null || failedStart != null) {
            log.error("{} exited: {}", worker, reason);
        } else {
            log.debug("{} exited with status {}", worker, status);
        }
        for (Worker.Pending pending : new Worker.Pending[] {inFlight, failedStart}) {
            if (pending != null) {
                pending.result.complete(LambdaValues.exitError(pending.request.requestId(), reason));
            }
        }
    }

    /** Ends a worker: marks it dead, kills its process off the event loop; {@link #exited} then cleans up. */
    private void end(Worker worker, String why) {
        WorkerProcess process;
        synchronized (this) {
            worker.state = Worker.State.DEAD;
            process = worker.process;
        }
        log.debug("{} ended: {}", worker, why);
        if (process != null) {
            settings.blocking().execute(process::destroy);
        }
    }

    private void closeServer(Worker worker) {
        HttpServer server = worker.server;
        if (server != null) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "FunctionPool[" + spec.name() + "]";
    }
}
