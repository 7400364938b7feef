package dev.gatehouse.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The server's log on stderr, line for line as logback's {@code ConsoleAppender} wrote it, but the access logs' lines
 * (INFO of {@value #AWS_ACCESS} and {@value #API_ACCESS}, one per request) are written together, at the latest
 * {@link #ACCESS_DELAY} after the first of them, instead of one {@code write} each: under load that call was about 5%
 * of an event loop's time (issue 19). Every other line is written at once, after the access lines before it, so the
 * order of the lines is the order they were logged. At the JVM's shutdown (a shutdown hook) and when the appender
 * stops, the lines held are written, and from then on every line at once.
 */
final class StderrAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final String AWS_ACCESS = "dev.gatehouse.access";
    static final String API_ACCESS = "dev.gatehouse.gateway.access";
    static final Duration ACCESS_DELAY = Duration.ofMillis(50);
    private static final Set<String> ACCESS_LOGS = Set.of(AWS_ACCESS, API_ACCESS);
    private static final int HELD_BYTES = 32 * 1024;

    private final LineBuffer lines;
    private @Nullable Encoder<ILoggingEvent> encoder;

    StderrAppender() {
        this(new LineBuffer(() -> System.err, ACCESS_DELAY, HELD_BYTES));
    }

    StderrAppender(LineBuffer lines) {
        this.lines = Objects.requireNonNull(lines, "lines cannot be null");
    }

    void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder cannot be null");
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(lines::writeAtOnceFromNowOn, "log-writer-at-exit"));
        super.start();
    }

    @Override
    public void stop() {
        lines.writeAtOnceFromNowOn();
        super.stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        Encoder<ILoggingEvent> current = encoder;
        if (current == null) {
            return;
        }
        byte[] line = current.encode(event);
        if (event.getLevel() == Level.INFO && ACCESS_LOGS.contains(event.getLoggerName())) {
            lines.defer(line);
        } else {
            lines.write(line);
        }
    }
}
