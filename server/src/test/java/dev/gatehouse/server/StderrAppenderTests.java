package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StderrAppenderTests {

    private static final Duration DELAY = Duration.ofMillis(200);

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(written, true, StandardCharsets.UTF_8);
    private final LineBuffer lines = new LineBuffer(() -> stream, DELAY, 64);
    private final LoggerContext context = new LoggerContext();
    private final StderrAppender appender = new StderrAppender(lines);

    StderrAppenderTests() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%logger %msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    @Test
    void accessLineWhenLoggedThenHeldAndWrittenWithinTheDelay() throws Exception {
        context.getLogger(StderrAppender.AWS_ACCESS).info("GET / 200 0ms id1");

        assertThat(text()).isEmpty();
        awaitText("dev.gatehouse.access GET / 200 0ms id1\n", Duration.ofSeconds(5));
    }

    @Test
    void otherLineWhenLoggedThenWrittenAtOnceAfterTheHeldAccessLines() {
        context.getLogger(StderrAppender.API_ACCESS).info("a");
        context.getLogger(StderrAppender.AWS_ACCESS).info("b");
        context.getLogger("dev.gatehouse.server.X").info("c");

        assertThat(text())
                .isEqualTo("dev.gatehouse.gateway.access a\ndev.gatehouse.access b\ndev.gatehouse.server.X c\n");
    }

    @Test
    void accessWarningWhenLoggedThenWrittenAtOnce() {
        context.getLogger(StderrAppender.AWS_ACCESS).warn("w");

        assertThat(text()).isEqualTo("dev.gatehouse.access w\n");
    }

    @Test
    void accessLinesWhenMoreThanTheBufferHoldsThenWrittenInOrderWithoutLoss() {
        for (int i = 0; i < 10; i++) {
            context.getLogger(StderrAppender.AWS_ACCESS).info("line-" + i);
        }
        context.getLogger(StderrAppender.AWS_ACCESS).info("x".repeat(100));
        appender.stop();

        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            expected.append("dev.gatehouse.access line-").append(i).append('\n');
        }
        expected.append("dev.gatehouse.access ").append("x".repeat(100)).append('\n');
        assertThat(text()).isEqualTo(expected.toString());
    }

    @Test
    void accessLineWhenShuttingDownThenWrittenAtOnce() {
        context.getLogger(StderrAppender.AWS_ACCESS).info("before");
        lines.writeAtOnceFromNowOn();

        assertThat(text()).isEqualTo("dev.gatehouse.access before\n");
        context.getLogger(StderrAppender.AWS_ACCESS).info("after");
        assertThat(text()).isEqualTo("dev.gatehouse.access before\ndev.gatehouse.access after\n");
    }

    private String text() {
        return written.toString(StandardCharsets.UTF_8);
    }

    private void awaitText(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(text()).isEqualTo(expected);
    }
}
