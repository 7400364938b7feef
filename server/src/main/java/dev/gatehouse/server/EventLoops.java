package dev.gatehouse.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The server's Vert.x: its event loops, and two small pools for Vert.x's own blocking work (Gatehouse's blocking work
 * runs on {@link WorkerPool}). On Linux x86-64 its sockets use Netty's epoll transport (the jar carries its native
 * library): fewer system calls and allocations per request than the JDK's selector (issue 19). Where the library is
 * missing or does not load, Vert.x uses NIO, as before; {@link Vertx#isNativeTransportEnabled()} tells which.
 */
final class EventLoops {

    private EventLoops() {}

    /** A Vert.x with {@code count} event loops, on the native transport where there is one. */
    static Vertx start(int count) {
        return Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(count)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setPreferNativeTransport(true));
    }
}
