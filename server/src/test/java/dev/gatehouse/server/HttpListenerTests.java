package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listeners bound with several instances share one port and spread connections over event loops. */
class HttpListenerTests {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void bindWhenTwoInstancesOnFreePortThenBothServeOnOnePortFromTwoEventLoops() throws Exception {
        HttpListener listener = HttpListener.bind(vertx, "127.0.0.1", 0, 2);
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        listener.serve(request -> {
            threads.add(Thread.currentThread().getName());
            request.response().end("ok");
        });

        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            answers.add(get(listener.port()));
        }

        assertThat(listener.instances()).isEqualTo(2);
        assertThat(listener.port()).isPositive();
        assertThat(answers).containsExactly("HTTP/1.1 200 OK");
        assertThat(threads).hasSize(2);
        listener.close(Duration.ofSeconds(5));
    }

    @Test
    void bindWhenOneInstanceThenStartingAnswerUntilServed() throws Exception {
        HttpListener listener = HttpListener.bind(vertx, "127.0.0.1", 0);

        assertThat(get(listener.port())).isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(listener.instances()).isEqualTo(1);
        listener.close(Duration.ofSeconds(5));
    }

    @Test
    void bindWhenPortTakenThenBindExceptionWithTheSameWordsOnEveryTransport() throws Exception {
        Vertx nativeTransport = EventLoops.start(1);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (Vertx runtime : List.of(vertx, nativeTransport)) {
                assertThatThrownBy(() -> HttpListener.bind(runtime, "127.0.0.1", taken.getLocalPort()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use")
                        .cause()
                        .isInstanceOf(BindException.class)
                        .hasMessage("Address already in use");
            }
        } finally {
            nativeTransport.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One request on a new connection; the status line. */
    private static String get(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return in.readLine();
        }
    }
}
