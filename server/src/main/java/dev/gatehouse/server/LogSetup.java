package dev.gatehouse.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Locale;

/**
 * The server's logging, set up in code (it was a {@code logback.xml}: logback's XML reading took 0.6-1.5 s of a start
 * on the loaded 2-core machine, this 0.15-0.6 s). Logs go to stderr, so that stdout carries only the stack outputs;
 * libraries at WARN; the root at {@code GATEHOUSE_LOG_LEVEL}, default INFO; the access logs' lines written in batches
 * ({@link StderrAppender}). Found by logback through
 * {@code META-INF/services}. A {@code -Dlogback.configurationFile} (the ITs', the bench's, an operator's) still wins:
 * then logback reads that file.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";
    static final List<String> QUIET = List.of(
            "io.netty",
            "io.vertx",
            "org.sqlite",
            "com.nimbusds",
            "org.eclipse.angus",
            "jakarta.mail",
            "software.amazon");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        StderrAppender console = new StderrAppender();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = System.getenv("GATEHOUSE_LOG_LEVEL");
        root.setLevel(Level.toLevel(level == null ? "INFO" : level.toUpperCase(Locale.ROOT), Level.INFO));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
