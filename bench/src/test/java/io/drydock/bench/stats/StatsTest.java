package io.drydock.bench.stats;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StatsTest {
    private static final double EPS = 1e-9;

    @Test
    void tQuantilesMatchTheTable() {
        // Two-sided 95 % critical values from any Student-t table.
        assertEquals(12.706204736, Stats.tQuantile(1), 1e-8);
        assertEquals(2.364624252, Stats.tQuantile(7), 1e-8);
        assertEquals(2.262157163, Stats.tQuantile(9), 1e-8);
        assertEquals(2.045229642, Stats.tQuantile(29), 1e-8);
        assertThrows(IllegalArgumentException.class, () -> Stats.tQuantile(0));
    }

    @Test
    void summaryOfTheTextbookSample() {
        // 2 4 4 4 5 5 7 9: mean 5, sum of squares 32, sample variance 32/7, median 4.5.
        Summary s = Stats.summarize(new double[]{9, 4, 2, 4, 5, 4, 7, 5});
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), EPS);
        assertEquals(Math.sqrt(32.0 / 7), s.stdev(), EPS);
        assertEquals(4.5, s.median(), EPS);
        assertEquals(2, s.min());
        assertEquals(9, s.max());
        double half = 2.364624252 * Math.sqrt(32.0 / 7) / Math.sqrt(8); // = 1.787488
        assertEquals(1.787488, half, 1e-6);
        assertEquals(5 - half, s.ciLow(), 1e-8);
        assertEquals(5 + half, s.ciHigh(), 1e-8);
        assertEquals(Math.sqrt(32.0 / 7) / 5, s.cv(), EPS);
        assertEquals(half / 5, s.relativeCi(), 1e-8);
    }

    @Test
    void oddMedianAndLongInput() {
        Summary s = Stats.summarize(new long[]{10, 30, 20});
        assertEquals(20, s.median());
        assertEquals(20, s.mean(), EPS);
        assertEquals(10, s.stdev(), EPS);
        // t(0.975, 2) = 4.302652730
        assertEquals(20 - 4.302652730 * 10 / Math.sqrt(3), s.ciLow(), 1e-7);
    }

    @Test
    void oneValueHasNoSpread() {
        Summary s = Stats.summarize(new double[]{7});
        assertEquals(7, s.mean());
        assertEquals(7, s.median());
        assertTrue(Double.isNaN(s.stdev()));
        assertTrue(Double.isNaN(s.ciLow()));
        assertTrue(Double.isNaN(s.cv()));
        assertThrows(IllegalArgumentException.class, () -> Stats.summarize(new double[0]));
    }

    @Test
    void constantSampleHasZeroWidthInterval() {
        Summary s = Stats.summarize(new double[]{3, 3, 3, 3});
        assertEquals(0, s.stdev());
        assertEquals(3, s.ciLow());
        assertEquals(3, s.ciHigh());
    }

    @Test
    void pairedRatioIsTheGeometricMeanOfPerRoundRatios() {
        // A drifting machine: both variants slow down together round by round; B is always half of A.
        Ratio r = Stats.pairedRatio(new double[]{10, 20, 40, 80}, new double[]{5, 10, 20, 40});
        assertEquals(4, r.n());
        assertEquals(0.5, r.geomean(), EPS);
        assertEquals(0.5, r.ciLow(), EPS);
        assertEquals(0.5, r.ciHigh(), EPS);
        assertFalse(r.straddlesOne());
        // Unpaired means would say 75/37.5 too, but their spread would hide the effect entirely:
        Summary a = Stats.summarize(new double[]{10, 20, 40, 80});
        assertTrue(a.ciLow() < 37.5, "the unpaired interval of A contains B's mean");
    }

    @Test
    void ratiosOfTwoAndAHalfAverageToOne() {
        Ratio r = Stats.pairedRatio(new double[]{1, 4}, new double[]{2, 2});
        assertEquals(1.0, r.geomean(), EPS);
        // logs ±ln 2: sd = ln2·√2, half width = t(1)·sd/√2 = 12.7062·ln 2
        double half = 12.706204736 * Math.log(2);
        assertEquals(Math.exp(-half), r.ciLow(), 1e-9);
        assertEquals(Math.exp(half), r.ciHigh(), 1e-3);
        assertTrue(r.straddlesOne());
    }

    @Test
    void pairsWithZeroAreSkippedAndLengthsMustMatch() {
        Ratio r = Stats.pairedRatio(new double[]{0, 10, 10}, new double[]{5, 30, 30});
        assertEquals(2, r.n());
        assertEquals(3, r.geomean(), EPS);
        Ratio none = Stats.pairedRatio(new double[]{0}, new double[]{1});
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.geomean()));
        assertThrows(IllegalArgumentException.class, () -> Stats.pairedRatio(new double[]{1}, new double[]{1, 2}));
    }

    @Test
    void latencyPercentilesFromHdrHistogram() {
        Histogram h = LatencySummary.newHistogram();
        for (long us = 1; us <= 1000; us++) h.recordValue(us * 1000);
        LatencySummary s = LatencySummary.of(h);
        assertEquals(1000, s.count());
        assertEquals(1000, s.minNs(), 1);
        assertEquals(500_000, s.p50Ns(), 500);   // 3 significant digits: within 0.1 %
        assertEquals(900_000, s.p90Ns(), 900);
        assertEquals(990_000, s.p99Ns(), 990);
        assertEquals(1_000_000, s.maxNs(), 1000);
        assertEquals(500_500, s.meanNs(), 600);
        assertEquals(0, LatencySummary.of(LatencySummary.newHistogram()).count());
    }
}
