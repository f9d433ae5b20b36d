package io.drydock.bench.run;

/** How many measured rounds a bench runs: a fixed count, or until the confidence intervals are narrow. */
public sealed interface RunCount {

    /** The most rounds this count can run (for progress totals). */
    int maxRuns();

    /** Exactly {@code runs} measured rounds. */
    record Fixed(int runs) implements RunCount {
        public Fixed {
            if (runs < 1) throw new IllegalArgumentException("runs must be ≥ 1, was " + runs);
        }

        @Override public int maxRuns() { return runs; }
    }

    /**
     * At least {@code minRuns} and at most {@code maxRuns} rounds; stops after a round in which every
     * variant's wall-time interval half width is at most {@code targetCi} of its mean (0.02 = ±2 %).
     */
    record Adaptive(int minRuns, int maxRuns, double targetCi) implements RunCount {
        public Adaptive {
            if (minRuns < 2) throw new IllegalArgumentException("adaptive minRuns must be ≥ 2 (an interval needs two runs), was " + minRuns);
            if (maxRuns < minRuns) throw new IllegalArgumentException("adaptive maxRuns " + maxRuns + " < minRuns " + minRuns);
            if (!(targetCi > 0 && targetCi < 1)) throw new IllegalArgumentException("adaptive targetCi must be in (0, 1), was " + targetCi);
        }
    }
}
