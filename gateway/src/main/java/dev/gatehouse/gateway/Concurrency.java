package dev.gatehouse.gateway;

/**
 * How many invocations of a route's handler run at once (like a function's reserved concurrency) and how many more
 * may wait. A request that finds both full is answered 429 {@code {"message":"Too Many Requests"}}, as API Gateway
 * does when Lambda throttles, instead of queueing without bound. Routes that share a handler instance share its pool,
 * sized by the first of those routes.
 *
 * @param maxConcurrency the worker threads of the handler's pool
 * @param queueCapacity the invocations that may wait for a worker
 */
public record Concurrency(int maxConcurrency, int queueCapacity) implements RouteOption {

    /** The default for routes that set none. */
    public static final Concurrency DEFAULT = new Concurrency(16, 256);

    public Concurrency {
        if (maxConcurrency < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1 and queueCapacity >= 0");
        }
    }

    public static Concurrency of(int maxConcurrency, int queueCapacity) {
        return new Concurrency(maxConcurrency, queueCapacity);
    }
}
