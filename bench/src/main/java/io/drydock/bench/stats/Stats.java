package io.drydock.bench.stats;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.Arrays;

/** Statistics of benchmark samples. Pure functions; the confidence level is 95 % throughout. */
public final class Stats {
    private Stats() {}

    /** Two-sided confidence level of every interval this class computes. */
    public static final double CONFIDENCE = 0.95;

    /** The Student-t quantile for a two-sided 95 % interval with {@code df} degrees of freedom (df ≥ 1). */
    public static double tQuantile(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be ≥ 1, was " + df);
        return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }

    /** Summarises {@code values} (not modified). Throws {@link IllegalArgumentException} when empty. */
    public static Summary summarize(double[] values) {
        int n = values.length;
        if (n == 0) throw new IllegalArgumentException("no values to summarise");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / n;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        if (n == 1) return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN, median, mean, mean);
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        double stdev = Math.sqrt(squares / (n - 1));
        double half = tQuantile(n - 1) * stdev / Math.sqrt(n);
        double cv = mean == 0 ? Double.NaN : stdev / Math.abs(mean);
        return new Summary(n, mean, mean - half, mean + half, stdev, cv, median, sorted[0], sorted[n - 1]);
    }

    public static Summary summarize(long[] values) {
        return summarize(Arrays.stream(values).asDoubleStream().toArray());
    }

    /**
     * The paired ratio {@code variant[i] / baseline[i]} summarised as a geometric mean with a 95 % interval.
     * Pairs where either value is ≤ 0 are skipped.
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static Ratio pairedRatio(double[] baseline, double[] variant) {
        if (baseline.length != variant.length) {
            throw new IllegalArgumentException("paired samples differ in length: baseline " + baseline.length
                    + ", variant " + variant.length);
        }
        double[] logs = new double[baseline.length];
        int n = 0;
        for (int i = 0; i < baseline.length; i++) {
            if (baseline[i] > 0 && variant[i] > 0) logs[n++] = Math.log(variant[i] / baseline[i]);
        }
        if (n == 0) return new Ratio(0, Double.NaN, Double.NaN, Double.NaN);
        Summary s = summarize(Arrays.copyOf(logs, n));
        return new Ratio(n, Math.exp(s.mean()), Math.exp(s.ciLow()), Math.exp(s.ciHigh()));
    }
}
