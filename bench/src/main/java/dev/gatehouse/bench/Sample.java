package dev.gatehouse.bench;

/**
 * What one slice of one target measured: each success's latency (µs), or only the slice's own percentiles (-1 when
 * the latencies are given), and this JVM's CPU time over the slice (-1 when not measured: with the in-JVM client).
 */
record Sample(
        long[] latencies,
        long requests,
        double perSecond,
        long errors,
        String firstError,
        long p50Micros,
        long p99Micros,
        long cpuNanos) {}
