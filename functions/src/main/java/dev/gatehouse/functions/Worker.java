package dev.gatehouse.functions;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** One sandbox: its Runtime API server, its process and where it is in Lambda's lifecycle. Guarded by its pool. */
final class Worker {

    enum State {
        /** Started, has not asked for an event yet (initialising). */
        STARTING,
        /** Holds a {@code /next} and waits for an event. */
        IDLE,
        /** Runs {@link #current}. */
        BUSY,
        /** Answered its invocation; its next {@code /next} makes it idle again. */
        ANSWERED,
        /** Ended or being ended. */
        DEAD
    }

    /** An invocation and where its result goes. */
    static final class Pending {
        final InvokeRequest request;
        final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
        long dispatchedNanos;
        long timerId = -1;

        Pending(InvokeRequest request) {
            this.request = request;
        }
    }

    final int id;
    final String logStream;
    State state = State.STARTING;

    @Nullable
    HttpServer server;

    @Nullable
    WorkerProcess process;

    @Nullable
    HttpServerResponse heldNext;

    @Nullable
    Pending current;

    long initTimerId = -1;
    boolean initErrorReported;
    Instant retireAt = Instant.MAX;
    /** {@link System#nanoTime()} when it last became idle. */
    long idleSince;
    /** The request id log lines are attributed to. */
    volatile String logRequestId = "-";

    Worker(int id, String logStream) {
        this.id = id;
        this.logStream = logStream;
    }

    @Override
    public String toString() {
        WorkerProcess running = process;
        return "worker " + id + (running == null ? "" : " (pid " + running.pid() + ")");
    }
}
