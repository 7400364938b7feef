package dev.gatehouse.functions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/** Copies a worker's output, line by line, into Gatehouse's log with the request id it ran at the time. */
final class LogPump {

    /** Log lines longer than this are cut (a handler printing a megabyte on one line). */
    static final int MAX_LOG_LINE = 256 * 1024;

    private LogPump() {}

    /** Starts a daemon thread that pumps until the process's output ends. */
    static void start(Logger log, Worker worker, WorkerProcess process, String threadName) {
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(process.output(), StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            log.info(
                                    "{} {}",
                                    worker.logRequestId,
                                    line.length() > MAX_LOG_LINE ? line.substring(0, MAX_LOG_LINE) + "… (cut)" : line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                threadName);
        pump.setDaemon(true);
        pump.start();
    }
}
