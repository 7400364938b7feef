package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopsTests {

    @Test
    void startWhenLinuxX8664ThenEpollTransport() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"));
        assumeTrue(System.getProperty("os.arch").equals("amd64"));

        Vertx vertx = EventLoops.start(1);
        try {
            assertThat(vertx.isNativeTransportEnabled()).isTrue();
            assertThat(vertx.unavailableNativeTransportCause()).isNull();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
