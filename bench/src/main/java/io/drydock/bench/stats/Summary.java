package io.drydock.bench.stats;

/**
 * Descriptive statistics of one sample (the wall times of a variant's measured runs, or one metric's
 * deltas): n, mean with a two-sided 95 % Student-t confidence interval, sample standard deviation (n − 1),
 * coefficient of variation, median, min and max.
 *
 * <p>With n = 1 the spread is unknown: stdev, cv and the interval are NaN. With a mean of 0 the cv is NaN.
 */
public record Summary(int n, double mean, double ciLow, double ciHigh, double stdev, double cv,
                      double median, double min, double max) {

    /** Half the width of the confidence interval (NaN when unknown). */
    public double ciHalfWidth() { return (ciHigh - ciLow) / 2; }

    /** The interval's half width relative to the mean: 0.02 means "mean ± 2 %". NaN when unknown. */
    public double relativeCi() { return mean == 0 ? Double.NaN : ciHalfWidth() / Math.abs(mean); }

    /** True when every value was zero (a metric this variant never touched). */
    public boolean allZero() { return n > 0 && min == 0 && max == 0; }
}
