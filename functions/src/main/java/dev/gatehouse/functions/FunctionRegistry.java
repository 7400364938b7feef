package dev.gatehouse.functions;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions of a stack, each run as Lambda runs it: worker processes speaking the Lambda Runtime API, which this
 * registry serves on loopback, one port per worker (a sandbox's own {@code AWS_LAMBDA_RUNTIME_API}).
 *
 * <pre>{@code
 * FunctionRegistry functions = FunctionRegistry.builder(vertx, dataDir.resolve("functions"))
 *     .credentials(roleCredentials).endpointUrl("http://127.0.0.1:4566").build();
 * functions.deploy(FunctionSpec.builder("hello", "java17", "example.Hello", Path.of("target/classes")).build());
 * functions.invoke("hello", InvokeRequest.of(json)).thenAccept(result -> …);
 * functions.close(); // every worker ended: no process outlives the registry
 * }</pre>
 *
 * <p>Workers start on demand (the first invocation pays the cold start), stay warm for the next, and more start while
 * invocations overlap, up to {@link Builder#maxWorkersPerFunction} or the function's
 * {@code ReservedConcurrentExecutions}; beyond that invocations wait in a bounded queue, then are
 * {@link InvocationResult.Throttled}. Thread-safe; nothing here blocks the caller's thread.
 */
public final class FunctionRegistry implements FunctionInvoker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionRegistry.class);

    private final FunctionPool.Settings settings;
    private final ExecutorService blocking;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final Map<String, CodeWatch> watches = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private FunctionRegistry(Builder builder) {
        AtomicInteger threads = new AtomicInteger();
        this.blocking = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "functions-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Runtimes runtimes = new Runtimes(builder.workDir, builder.javaCommand, builder.nodeCommand);
        this.settings = new FunctionPool.Settings(
                builder.vertx,
                builder.launcher != null ? builder.launcher : runtimes,
                runtimes,
                new TaskRoots(builder.workDir),
                builder.credentials,
                Optional.ofNullable(builder.endpointUrl),
                blocking,
                builder.clock,
                builder.maxWorkersPerFunction,
                builder.maxQueuePerFunction,
                builder.initTimeout,
                Duration.ofMinutes(5),
                builder.idleTimeout);
        // Belt and braces: a server stopped without close() (a signal) still ends its workers.
        this.shutdownHook = new Thread(this::stopWorkers, "functions-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry.
     *
     * @param vertx serves the Runtime API and runs the timers
     * @param workDir where runtime files are unpacked and jar/zip code is unpacked (one directory per version)
     */
    public static Builder builder(Vertx vertx, Path workDir) {
        return new Builder(vertx, workDir);
    }

    /**
     * Deploys {@code function}, or replaces the function of that name: the old version's idle workers end at once,
     * its busy ones when they answer, and invocations waiting for it move to the new version. No process starts here.
     *
     * @throws IllegalStateException when the registry is closed
     */
    public void deploy(FunctionSpec function) {
        Objects.requireNonNull(function, "function cannot be null");
        checkOpen();
        CodeWatch watch = CodeWatch.of(function.code().toAbsolutePath(), CodeStamp::of);
        FunctionPool fresh = new FunctionPool(function, stampOf(function, watch), settings);
        closeWatch(watches.put(function.name(), watch));
        FunctionPool old = pools.put(function.name(), fresh);
        if (old != null) {
            fresh.adopt(old.retire());
        }
    }

    private static CodeStamp stampOf(FunctionSpec function, CodeWatch watch) {
        try {
            return watch.stamp();
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("function {}: its code {} cannot be read: {}", function.name(), function.code(), e.getMessage());
            return CodeStamp.MISSING;
        }
    }

    /**
     * The pool of {@code name}, replaced first when its code changed since its workers started (live reload): the old
     * workers end as on {@link #deploy}, and this invocation is the new code's first.
     */
    private FunctionPool current(String name) {
        FunctionPool pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("function not found: " + name);
        }
        CodeWatch watch = watches.get(name);
        if (watch == null) {
            return pool; // removed meanwhile: the pool refuses the invocation
        }
        CodeStamp now = stampOf(pool.spec(), watch);
        return now.equals(pool.codeStamp()) ? pool : reload(name, pool, now);
    }

    private synchronized FunctionPool reload(String name, FunctionPool seen, CodeStamp now) {
        FunctionPool pool = pools.get(name);
        if (pool != seen) {
            return pool == null ? current(name) : pool; // another invocation reloaded it, or it was removed
        }
        LOG.info(
                "function {}: its code {} changed: the next invocations run the new code in new workers",
                name,
                seen.spec().code());
        FunctionPool fresh = new FunctionPool(seen.spec(), now, settings);
        pools.put(name, fresh);
        fresh.adopt(seen.retire());
        return fresh;
    }

    private static void closeWatch(@Nullable CodeWatch watch) {
        if (watch != null) {
            watch.close();
        }
    }

    /** Removes a function; its workers end as on replacement. Waiting invocations fail. False when unknown. */
    public boolean remove(String name) {
        FunctionPool old = pools.remove(name);
        closeWatch(watches.remove(name));
        if (old == null) {
            return false;
        }
        old.retire()
                .forEach(p -> p.result.complete(new InvocationResult.FunctionError(
                        "ResourceNotFoundException",
                        LambdaValues.errorJson(
                                "ResourceNotFoundException",
                                "Function not found: " + old.spec().arn()))));
        return true;
    }

    /** The deployed function of that name. */
    public Optional<FunctionSpec> function(String name) {
        return Optional.ofNullable(pools.get(name)).map(FunctionPool::spec);
    }

    /** The names of the deployed functions. */
    public List<String> names() {
        return List.copyOf(pools.keySet());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a function that is not deployed
     */
    @Override
    public CompletionStage<InvocationResult> invoke(String functionName, InvokeRequest request) {
        Objects.requireNonNull(request, "request cannot be null");
        checkOpen();
        FunctionPool pool = current(functionName);
        try {
            return pool.invoke(request);
        } catch (IllegalStateException replacedMeanwhile) {
            return invoke(functionName, request);
        }
    }

    /** How many workers {@code name} has alive (starting, idle or busy); 0 for an unknown function. */
    public int workerCount(String name) {
        FunctionPool pool = pools.get(name);
        return pool == null ? 0 : pool.workerCount();
    }

    /** The process ids of {@code name}'s live workers. */
    public List<Long> workerPids(String name) {
        FunctionPool pool = pools.get(name);
        return pool == null ? List.of() : pool.workerPids();
    }

    /** Ends every worker (waiting up to a grace each) and fails what waits. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopWorkers();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or ran
        }
    }

    private void stopWorkers() {
        closed = true;
        List<FunctionPool> all = List.copyOf(pools.values());
        pools.clear();
        all.forEach(FunctionPool::close);
        List.copyOf(watches.keySet()).forEach(name -> closeWatch(watches.remove(name)));
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the function registry is closed");
        }
    }

    /** Builds a {@link FunctionRegistry}. */
    public static final class Builder {
        private final Vertx vertx;
        private final Path workDir;
        private ExecutionRoleCredentials credentials = ExecutionRoleCredentials.NONE;
        private @Nullable String endpointUrl;
        private int maxWorkersPerFunction = 10;
        private int maxQueuePerFunction = 100;
        private Duration initTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();
        private String javaCommand = Runtimes.currentJava();
        private String nodeCommand = "node";
        private WorkerProcess.@Nullable Launcher launcher;

        private Builder(Vertx vertx, Path workDir) {
            this.vertx = Objects.requireNonNull(vertx, "vertx cannot be null");
            this.workDir =
                    Objects.requireNonNull(workDir, "workDir cannot be null").toAbsolutePath();
        }

        /** Mints each worker's execution-role credentials; default none. */
        public Builder credentials(ExecutionRoleCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials cannot be null");
            return this;
        }

        /** {@code AWS_ENDPOINT_URL} of every worker: Gatehouse's AWS endpoint; default unset. */
        public Builder endpointUrl(String endpointUrl) {
            this.endpointUrl = Objects.requireNonNull(endpointUrl, "endpointUrl cannot be null");
            return this;
        }

        /** The most workers one function runs at once; default 10. */
        public Builder maxWorkersPerFunction(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxWorkersPerFunction must be at least 1");
            }
            this.maxWorkersPerFunction = max;
            return this;
        }

        /** The most invocations that wait for a worker of one function; default 100. */
        public Builder maxQueuePerFunction(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxQueuePerFunction cannot be negative");
            }
            this.maxQueuePerFunction = max;
            return this;
        }

        /** How long a worker may initialise before it asks for its first event; default 30 s. */
        public Builder initTimeout(Duration initTimeout) {
            this.initTimeout = Objects.requireNonNull(initTimeout, "initTimeout cannot be null");
            return this;
        }

        /** How long a warm worker may wait for an event before it is ended; default 10 min. */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout cannot be null");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** The {@code java} launcher of Java workers; default the one running Gatehouse. */
        public Builder javaCommand(String javaCommand) {
            this.javaCommand = Objects.requireNonNull(javaCommand, "javaCommand cannot be null");
            return this;
        }

        /** The {@code node} of Node.js workers; default {@code node} on the {@code PATH}. */
        public Builder nodeCommand(String nodeCommand) {
            this.nodeCommand = Objects.requireNonNull(nodeCommand, "nodeCommand cannot be null");
            return this;
        }

        /** Tests: starts workers some other way (a test playing the runtime). */
        Builder launcher(WorkerProcess.Launcher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher cannot be null");
            return this;
        }

        public FunctionRegistry build() {
            return new FunctionRegistry(this);
        }
    }
}
