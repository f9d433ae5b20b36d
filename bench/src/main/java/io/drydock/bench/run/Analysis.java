package io.drydock.bench.run;

import io.drydock.bench.stats.LatencySummary;
import io.drydock.bench.stats.Ratio;
import io.drydock.bench.stats.Stats;
import io.drydock.bench.stats.Summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns measured runs into statistics: summaries per variant and metric, paired ratios to the baseline,
 * and the noisy-machine warnings. Pure: the same runs give the same result (JSON readers rely on it).
 */
public final class Analysis {
    private Analysis() {}

    /** A variant whose wall-time coefficient of variation is above this is called noisy (10 %). */
    public static final double NOISY_CV = 0.10;
    /** A ratio interval that contains 1 and reaches further than this from 1 is called inconclusive (±5 %). */
    public static final double WIDE_RATIO = 0.05;

    /**
     * @param runs      per variant name in bench order (the first is the baseline), its runs; every variant
     *                  must have the same rounds
     * @param latencies per variant name, its latency summary or null
     */
    public static List<VariantResult> analyze(Map<String, List<RunRecord>> runs, Map<String, LatencySummary> latencies) {
        List<String> names = new ArrayList<>(runs.keySet());
        if (names.isEmpty()) throw new IllegalArgumentException("no variants to analyse");
        Map<String, List<RunRecord>> byRound = new LinkedHashMap<>();
        for (String name : names) {
            List<RunRecord> sorted = new ArrayList<>(runs.get(name));
            sorted.sort(Comparator.comparingInt(RunRecord::round));
            byRound.put(name, sorted);
        }
        int n = byRound.get(names.getFirst()).size();
        for (String name : names) {
            if (byRound.get(name).size() != n) {
                throw new IllegalArgumentException("variant '" + name + "' has " + byRound.get(name).size()
                        + " runs but the baseline has " + n + ": runs must be paired by round");
            }
        }
        TreeSet<String> metricNames = new TreeSet<>();
        for (List<RunRecord> list : byRound.values()) {
            for (RunRecord r : list) {
                r.metrics().forEach((k, v) -> { if (v != 0) metricNames.add(k); });
            }
        }
        List<RunRecord> baseRuns = byRound.get(names.getFirst());
        double[] baseWall = wall(baseRuns);
        List<VariantResult> out = new ArrayList<>();
        for (String name : names) {
            List<RunRecord> list = byRound.get(name);
            double[] w = wall(list);
            Map<String, Summary> metrics = new LinkedHashMap<>();
            Map<String, Ratio> metricRatios = new LinkedHashMap<>();
            boolean baseline = name.equals(names.getFirst());
            for (String metric : metricNames) {
                double[] values = metric(list, metric);
                if (values.length > 0) metrics.put(metric, Stats.summarize(values));
                if (!baseline && values.length > 0) {
                    Ratio r = Stats.pairedRatio(metric(baseRuns, metric), values);
                    if (r.n() > 0) metricRatios.put(metric, r);
                }
            }
            Ratio wallRatio = baseline ? null : Stats.pairedRatio(baseWall, w);
            out.add(new VariantResult(name, list, Stats.summarize(w), metrics, wallRatio, metricRatios,
                    latencies.get(name)));
        }
        return out;
    }

    /** Warnings a reader should see before trusting the numbers. */
    public static List<String> warnings(List<VariantResult> variants) {
        List<String> warnings = new ArrayList<>();
        for (VariantResult v : variants) {
            if (v.wall().n() < 2) {
                warnings.add(String.format(Locale.ROOT, "variant '%s' has %d run: no confidence interval", v.name(), v.wall().n()));
            } else if (v.wall().cv() > NOISY_CV) {
                warnings.add(String.format(Locale.ROOT,
                        "noisy machine: variant '%s' wall time varies by %.1f%% (cv > %.0f%%); close other work or add runs",
                        v.name(), v.wall().cv() * 100, NOISY_CV * 100));
            }
            Ratio r = v.wallRatio();
            if (r != null && r.hasInterval() && r.straddlesOne()
                    && (r.ciLow() < 1 - WIDE_RATIO || r.ciHigh() > 1 + WIDE_RATIO)) {
                warnings.add(String.format(Locale.ROOT,
                        "inconclusive: '%s' / '%s' = %.3f with 95%% CI [%.3f, %.3f], which contains 1 and is wide",
                        v.name(), variants.getFirst().name(), r.geomean(), r.ciLow(), r.ciHigh()));
            }
        }
        return warnings;
    }

    private static double[] wall(List<RunRecord> runs) {
        return runs.stream().mapToDouble(RunRecord::wallNs).toArray();
    }

    private static double[] metric(List<RunRecord> runs, String metric) {
        return runs.stream().mapToDouble(r -> r.metrics().getOrDefault(metric, 0L)).toArray();
    }
}
