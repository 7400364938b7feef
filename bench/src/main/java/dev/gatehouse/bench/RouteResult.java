package dev.gatehouse.bench;

import java.util.List;

/** What one target measured over all rounds. */
record RouteResult(
        String name,
        long requests,
        double perSecond,
        double minRound,
        double maxRound,
        long p50Micros,
        long p99Micros,
        long errors,
        String firstError,
        double cpuMicrosPerRequest) {

    static RouteResult of(String name, List<Sample> samples, long measuredNanos) {
        if (samples.stream().allMatch(sample -> sample.latencies().length == 0 && sample.p50Micros() >= 0)) {
            return ofSummaries(name, samples);
        }
        long[] all = new long
                [samples.stream().mapToInt(sample -> sample.latencies().length).sum()];
        int at = 0;
        long errors = 0;
        String firstError = "";
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Sample sample : samples) {
            System.arraycopy(sample.latencies(), 0, all, at, sample.latencies().length);
            at += sample.latencies().length;
            errors += sample.errors();
            if (firstError.isEmpty()) {
                firstError = sample.firstError();
            }
            min = Math.min(min, sample.perSecond());
            max = Math.max(max, sample.perSecond());
        }
        Percentiles percentiles = new Percentiles(all);
        return new RouteResult(
                name,
                all.length,
                all.length * 1e9 / measuredNanos,
                min,
                max,
                percentiles.at(50),
                percentiles.at(99),
                errors,
                firstError,
                -1);
    }

    /** From slices that report only their own percentiles (wrk): the worst slice's p50 and p99. */
    private static RouteResult ofSummaries(String name, List<Sample> samples) {
        long requests = samples.stream().mapToLong(Sample::requests).sum();
        double seconds = samples.stream()
                .mapToDouble(sample -> sample.perSecond() > 0 ? sample.requests() / sample.perSecond() : 0)
                .sum();
        return new RouteResult(
                name,
                requests,
                seconds > 0 ? requests / seconds : 0,
                samples.stream().mapToDouble(Sample::perSecond).min().orElse(0),
                samples.stream().mapToDouble(Sample::perSecond).max().orElse(0),
                samples.stream().mapToLong(Sample::p50Micros).max().orElse(0),
                samples.stream().mapToLong(Sample::p99Micros).max().orElse(0),
                samples.stream().mapToLong(Sample::errors).sum(),
                samples.stream()
                        .map(Sample::firstError)
                        .filter(e -> !e.isEmpty())
                        .findFirst()
                        .orElse(""),
                samples.stream().mapToLong(Sample::cpuNanos).sum() / 1000.0 / Math.max(1, requests));
    }
}
