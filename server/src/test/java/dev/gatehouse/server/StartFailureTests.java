package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A start that fails (the port is taken) says only that, and leaves the data dir free for the next start. */
class StartFailureTests {

    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(GatehouseServer.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    @Test
    void startWhenPortTakenThenNoShuttingDownOrStoppedAndDataDirFreeAgain() throws Exception {
        ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withWorkers(2, 8);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GatehouseServer refused = new GatehouseServer(
                    config.withAwsPort(taken.getLocalPort()).withApiPort(0).withWebPort(0));

            assertThatThrownBy(refused::start).hasRootCauseInstanceOf(java.net.BindException.class);
        }
        assertThat(logged.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("shutting down") || m.contains("stopped"));

        GatehouseServer next =
                new GatehouseServer(config.withAwsPort(0).withApiPort(0).withWebPort(0));
        try {
            assertThat(next.start().get("AwsEndpoint")).isPresent();
        } finally {
            next.stop();
        }
    }
}
