package dev.gatehouse.gateway;

/**
 * Where the gateway runs a route's handler.
 *
 * <p>{@link #WORKER_POOL}, the default, is a function's sandbox: the handler runs on its own bounded pool
 * ({@link Concurrency}), may block (storage, mail, password hashing), and is cut off by the integration timeout.
 *
 * <p>{@link #NON_BLOCKING} is a promise made by the stack's author that the handler only computes its answer from the
 * event: no I/O, no locks, no waiting, microseconds of CPU (the recipe's hello functions). The gateway then calls it on
 * the thread that authorized the request (the server's event loop) and spares the two thread hand-offs a pool costs,
 * which on a small machine cost more than the handler itself. Such a route has no worker pool, so no
 * {@link Concurrency} and no integration timeout; throttling, authorization, CORS and the error mapping are unchanged.
 * A handler that breaks the promise holds up every request on its event loop: the gateway logs a warning when one runs
 * for longer than {@link #NON_BLOCKING_WARNING_MILLIS} ms.
 */
public enum Invocation implements RouteOption {
    WORKER_POOL,
    NON_BLOCKING;

    /** A non-blocking handler that runs longer than this is reported (logger {@code dev.gatehouse.gateway.Gateway}). */
    public static final long NON_BLOCKING_WARNING_MILLIS = 10;
}
