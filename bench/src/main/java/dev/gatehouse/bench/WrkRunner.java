package dev.gatehouse.bench;

import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one target with {@code wrk} (Debian's package: a C load generator, several times cheaper per request than the
 * driver's own Vert.x client, so more of the machine's two cores go to the server and the ratios between routes show
 * the server's costs rather than the client's). One child process per slice, {@code --latency}, stopped by its pid if
 * it overruns; its summary is parsed into a {@link Sample} without per-request latencies.
 */
final class WrkRunner {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final int connections;
    private final int threads;

    WrkRunner(int connections, int threads) {
        this.connections = connections;
        this.threads = Math.min(threads, connections);
    }

    /** Runs wrk on {@code http://127.0.0.1:port + pathAndQuery} for {@code seconds} (at least 1). */
    Sample run(String host, int port, String pathAndQuery, MultiMap headers, long seconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "wrk",
                "-t",
                Integer.toString(threads),
                "-c",
                Integer.toString(connections),
                "-d",
                Math.max(1, seconds) + "s",
                "--latency"));
        for (Map.Entry<String, String> header : headers) {
            command.add("-H");
            command.add(header.getKey() + ": " + header.getValue());
        }
        command.add("http://" + host + ":" + port + pathAndQuery);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = wrk.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!wrk.waitFor(seconds + 30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk exited with " + wrk.exitValue() + ": " + output);
        }
        return parse(output);
    }

    /** The summary wrk prints: requests and their time, the 50th and 99th percentiles, non-2xx and socket errors. */
    static Sample parse(String output) {
        Matcher requests = REQUESTS.matcher(output);
        if (!requests.find()) {
            throw new IllegalStateException("no request count in wrk's output: " + output);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = micros(requests.group(2), requests.group(3)) / 1e6;
        long p50 = -1;
        long p99 = -1;
        for (String line : output.split("\n")) {
            Matcher percentile = PERCENTILE.matcher(line);
            if (percentile.matches()) {
                long value = Math.round(micros(percentile.group(2), percentile.group(3)));
                if (percentile.group(1).equals("50")) {
                    p50 = value;
                } else {
                    p99 = value;
                }
            }
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        String firstError = errors > 0 ? "wrk: " + errors + " errors (non-2xx or socket)" : "";
        return new Sample(new long[0], count, count / seconds, errors, firstError, p50, p99, -1);
    }

    private static double micros(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> number;
            case "ms" -> number * 1e3;
            case "s" -> number * 1e6;
            case "m" -> number * 60e6;
            default -> throw new IllegalStateException("unknown unit " + unit);
        };
    }
}
