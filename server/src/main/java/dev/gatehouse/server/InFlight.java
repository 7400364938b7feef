package dev.gatehouse.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a listener has accepted and not yet answered, and whether it has started draining for shutdown.
 * Shared by the AWS and API endpoints so that shutdown waits on both the same way.
 */
final class InFlight {

    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean draining;

    void enter() {
        count.incrementAndGet();
    }

    void leave() {
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }

    /** From now on, new requests are refused with 503 and their connections closed; accepted ones still finish. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }
}
