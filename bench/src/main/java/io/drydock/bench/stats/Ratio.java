package io.drydock.bench.stats;

/**
 * The ratio of a variant to the baseline, from paired runs: {@code ratio_i = variant_i / baseline_i} for
 * each round i, summarised by the geometric mean with a 95 % interval (a Student-t interval on the logs,
 * transformed back), so ratios of 2 and 0.5 average to 1 and a drifting machine, which moves both runs of
 * a round alike, cancels out.
 *
 * @param n     pairs used (pairs with a zero or negative value are skipped: a ratio of them means nothing)
 * @param geomean the geometric mean ratio; {@code NaN} when n = 0
 */
public record Ratio(int n, double geomean, double ciLow, double ciHigh) {

    /** True when the interval contains 1: no difference was shown. */
    public boolean straddlesOne() { return ciLow <= 1 && ciHigh >= 1; }

    /** The interval is known (n ≥ 2). */
    public boolean hasInterval() { return !Double.isNaN(ciLow) && !Double.isNaN(ciHigh); }
}
