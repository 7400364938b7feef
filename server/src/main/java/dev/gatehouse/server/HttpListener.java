package dev.gatehouse.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One bound HTTP listener. It binds before the stack behind it is wired (a port of 0 is only known after binding, and
 * the issuer URL needs it), answering 503 until {@link #serve} installs the real handler.
 */
final class HttpListener {

  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  private final HttpServer server;
  private final AtomicReference<@Nullable Handler<HttpServerRequest>> handler = new AtomicReference<>();

  private HttpListener(HttpServer server) {
    this.server = server;
  }

  /** Binds {@code host:port} (0 = a free port); blocks until bound or fails. Call it off the event loop. */
  static HttpListener bind(Vertx vertx, String host, int port) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        // HTTP/1.1 only, as Cognito's endpoints: no cleartext HTTP/2 upgrade.
        .setHttp2ClearTextEnabled(false)
        // Clients that send "Expect: 100-continue" (curl for larger bodies, some SDKs) wait for it before the body.
        .setHandle100ContinueAutomatically(true)
        .setMaxInitialLineLength(8 * 1024)
        .setMaxHeaderSize(32 * 1024)
        .setIdleTimeout(120)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    HttpServer server = vertx.createHttpServer(options);
    HttpListener listener = new HttpListener(server);
    server.requestHandler(request -> {
      Handler<HttpServerRequest> current = listener.handler.get();
      if (current == null) {
        request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
            .end("{\"message\":\"Service is starting.\"}");
      } else {
        current.handle(request);
      }
    });
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("binding " + host + ":" + port + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
    }
    return listener;
  }

  /** The bound port: the requested one, or the one picked for 0. */
  int port() {
    return server.actualPort();
  }

  /** From now on requests go to {@code requestHandler}. */
  void serve(Handler<HttpServerRequest> requestHandler) {
    handler.set(requestHandler);
  }

  /** Stops accepting and closes the listener's connections; waits up to {@code timeout}. */
  void close(Duration timeout) {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Closing is best effort: Vert.x itself is closed right after.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
