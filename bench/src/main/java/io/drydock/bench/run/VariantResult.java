package io.drydock.bench.run;

import io.drydock.bench.stats.LatencySummary;
import io.drydock.bench.stats.Ratio;
import io.drydock.bench.stats.Summary;

import java.util.List;
import java.util.Map;

/**
 * A variant's measured runs and their statistics.
 *
 * @param wall         wall time in nanoseconds
 * @param metrics      per metric with a non-zero delta in some variant, the summary of its deltas
 * @param wallRatio    paired wall-time ratio to the baseline (the first variant); null for the baseline
 * @param metricRatios paired ratios to the baseline per metric (only where both have non-zero values)
 * @param latency      percentiles of {@code latency(...)} records, or null when the variant recorded none
 */
public record VariantResult(String name, List<RunRecord> runs, Summary wall, Map<String, Summary> metrics,
                            Ratio wallRatio, Map<String, Ratio> metricRatios, LatencySummary latency) {
    public VariantResult {
        runs = List.copyOf(runs);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        metricRatios = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metricRatios));
    }

    public boolean baseline() { return wallRatio == null; }
}
