package dev.gatehouse.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over recorded latencies. */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(this.sorted);
    }

    /** The nearest-rank value for {@code p} in (0, 100]; 0 when nothing was recorded. */
    long at(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    int count() {
        return sorted.length;
    }
}
