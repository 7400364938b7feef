package dev.gatehouse.server;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One bound HTTP listener. It binds before the stack behind it is wired (a port of 0 is only known after binding, and
 * the issuer URL needs it), answering 503 until {@link #serve} installs the real handler.
 *
 * <p>A Vert.x server created outside a verticle runs all its connections on one event loop. A listener bound with
 * several {@code instances} binds that many servers on the same port, each on its own event loop, and Vert.x spreads
 * the accepted connections over them round-robin: the handler must then be thread-safe.
 */
final class HttpListener {

    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicReference<@Nullable Handler<HttpServerRequest>> handler = new AtomicReference<>();

    private HttpListener() {}

    /** Binds {@code host:port} (0 = a free port) on one event loop; blocks until bound or fails. Call it off the event loop. */
    static HttpListener bind(Vertx vertx, String host, int port) {
        return bind(vertx, host, port, 1);
    }

    /**
     * Binds {@code host:port} (0 = a free port) with {@code instances} servers, one per event loop (at most as many as
     * Vert.x has); blocks until all are bound or fails. Call it off the event loop.
     */
    static HttpListener bind(Vertx vertx, String host, int port, int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be positive");
        }
        HttpListener listener = new HttpListener();
        if (instances == 1) {
            listener.servers.add(listener.listen(listener.server(vertx, host, port), host, port));
            return listener;
        }
        // Vert.x shares one socket among the servers of an instance with the same host and port; for a free port, the
        // same
        // negative value asks for one random port shared by all (0 would give each server a port of its own). Each
        // verticle instance runs on its own event loop, and so do its server's connections.
        int shared = port == 0 ? -1 : port;
        List<HttpServer> bound = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            await(
                    vertx.deployVerticle(
                            () -> new AbstractVerticle() {
                                @Override
                                public void start(Promise<Void> started) {
                                    listener.server(vertx, host, shared)
                                            .listen()
                                            .onSuccess(server -> {
                                                bound.add(server);
                                                started.complete();
                                            })
                                            .onFailure(started::fail);
                                }
                            },
                            new DeploymentOptions().setInstances(instances)),
                    host,
                    port);
            listener.servers.addAll(bound);
        } catch (RuntimeException e) {
            bound.forEach(server -> server.close());
            throw e;
        }
        if (listener.servers.stream().anyMatch(server -> server.actualPort() != listener.port())) {
            listener.close(Duration.ofSeconds(5));
            throw new IllegalStateException("server instances of " + host + ":" + port + " bound different ports");
        }
        return listener;
    }

    private static <T> T await(io.vertx.core.Future<T> future, String host, int port) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = asBindException(e.getCause() == null ? e : e.getCause());
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("binding " + host + ":" + port + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        }
    }

    /**
     * A failed bind as the JDK's transport reports it, whichever transport ran: NIO throws a {@link BindException}
     * ("Address already in use"), the epoll transport a plain {@link IOException} ("bind(..) failed: Address already in
     * use"). Callers (the command line's one-line hint for a taken port) see the same exception and words either way.
     */
    static Throwable asBindException(Throwable cause) {
        if (!(cause instanceof IOException) || cause instanceof BindException) {
            return cause;
        }
        String message = String.valueOf(cause.getMessage()).replaceFirst("^[A-Za-z_]+\\(\\.\\.\\) failed: ", "");
        BindException bind = new BindException(message);
        bind.addSuppressed(cause);
        return bind;
    }

    private HttpServer listen(HttpServer server, String host, int port) {
        return await(server.listen(), host, port);
    }

    private HttpServer server(Vertx vertx, String host, int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                // HTTP/1.1 only, as Cognito's endpoints: no cleartext HTTP/2 upgrade.
                .setHttp2ClearTextEnabled(false)
                // Clients that send "Expect: 100-continue" (curl for larger bodies, some SDKs) wait for it before the
                // body.
                .setHandle100ContinueAutomatically(true)
                .setMaxInitialLineLength(8 * 1024)
                .setMaxHeaderSize(32 * 1024)
                // S3 browser uploads: a form field (the policy document) may be up to 20 KiB, as on S3.
                .setMaxFormAttributeSize(20 * 1024)
                .setMaxFormBufferedBytes(20 * 1024)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        HttpServer server = vertx.createHttpServer(options);
        server.requestHandler(request -> {
            Handler<HttpServerRequest> current = handler.get();
            if (current == null) {
                request.response()
                        .setStatusCode(503)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                        .end("{\"message\":\"Service is starting.\"}");
            } else {
                current.handle(request);
            }
        });
        return server;
    }

    /** The bound port: the requested one, or the one picked for 0. */
    int port() {
        return servers.get(0).actualPort();
    }

    /** {@code http://host:port} as clients reach it, for a listener bound to {@code host}. */
    String url(String host) {
        return "http://" + urlHost(host) + ":" + port();
    }

    /** The host clients use in URLs: a wildcard bind address is reached over loopback; IPv6 literals get brackets. */
    static String urlHost(String host) {
        if ("0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** How many servers (event loops) share the port. */
    int instances() {
        return servers.size();
    }

    /** From now on requests go to {@code requestHandler}. */
    void serve(Handler<HttpServerRequest> requestHandler) {
        handler.set(requestHandler);
    }

    /** Stops accepting and closes the listener's connections; waits up to {@code timeout}. */
    void close(Duration timeout) {
        for (HttpServer server : servers) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Closing is best effort: Vert.x itself is closed right after.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
