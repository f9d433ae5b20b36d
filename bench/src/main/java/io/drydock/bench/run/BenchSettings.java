package io.drydock.bench.run;

/** How a bench was run, as recorded in its result: warm-up rounds, run count, order and seed. */
public record BenchSettings(int warmup, RunCount runs, RunOrder order, long seed) {
    public static BenchSettings of(BenchSpec spec) {
        return new BenchSettings(spec.warmup(), spec.runs(), spec.order(), spec.seed());
    }
}
