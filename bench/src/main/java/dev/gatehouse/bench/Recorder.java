package dev.gatehouse.bench;

import java.util.Arrays;

/** What one client connection saw: the latencies of its successful requests (µs) and its failures. One thread. */
final class Recorder {

    private long[] latencies = new long[1024];
    private int count;
    private long errors;
    private String firstError = "";

    /** A request that took {@code micros}; {@code error} is empty for a success, else what went wrong. */
    void record(long micros, String error) {
        if (!error.isEmpty()) {
            errors++;
            if (firstError.isEmpty()) {
                firstError = error;
            }
            return;
        }
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = micros;
    }

    /** The successes' latencies, in recording order. */
    long[] latencies() {
        return Arrays.copyOf(latencies, count);
    }

    int count() {
        return count;
    }

    long errors() {
        return errors;
    }

    /** The first failure's description; empty when none. */
    String firstError() {
        return firstError;
    }
}
