package io.drydock.bench.stats;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of the latencies a variant recorded with {@code latency(nanos)} over all its measured runs,
 * read from an HdrHistogram (3 significant digits: a percentile is within 0.1 % of the recorded value).
 */
public record LatencySummary(long count, long minNs, double meanNs, long p50Ns, long p90Ns, long p99Ns,
                             long p999Ns, long maxNs) {

    /** A histogram covering 1 ns to 1 hour with 3 significant digits, as this module records latencies. */
    public static Histogram newHistogram() {
        return new Histogram(1, 3_600_000_000_000L, 3);
    }

    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        return new LatencySummary(h.getTotalCount(), h.getMinValue(), h.getMean(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
