package io.drydock.bench.run;

import io.drydock.bench.progress.Progress;
import io.drydock.bench.progress.ProgressReporter;
import io.drydock.bench.stats.LatencySummary;
import io.drydock.bench.stats.Stats;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Runs a {@link BenchSpec}: every variant's setup, then warm-up rounds, then measured rounds — each round
 * runs every variant once, in the spec's {@link RunOrder} — then every teardown (also after a failure).
 * Runs on the calling thread; progress goes to the given reporter.
 */
public final class BenchRunner {
    private final ProgressReporter progress;
    private final LongSupplier clock;

    public BenchRunner(ProgressReporter progress) { this(progress, System::nanoTime); }

    /** With {@code clock} as the source of wall time in nanoseconds (tests use a fake one). */
    public BenchRunner(ProgressReporter progress, LongSupplier clock) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws BenchException when a hook or body throws (naming variant and round, the cause chained); the
     *                        teardowns of every variant that was set up have run by then
     */
    public BenchResult run(BenchSpec spec) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<VariantSpec> variants = spec.variants();
        int count = variants.size();
        Object[] states = new Object[count];
        int setUp = 0;
        Map<String, List<RunRecord>> runs = new LinkedHashMap<>();
        Map<String, Histogram> latencies = new LinkedHashMap<>();
        for (VariantSpec v : variants) {
            runs.put(v.name(), new ArrayList<>());
            latencies.put(v.name(), LatencySummary.newHistogram());
        }
        Random random = new Random(spec.seed());
        long total = (long) (spec.warmup() + spec.runs().maxRuns()) * count;
        BenchException failure = null;
        try (Progress p = progress.start(spec.name(), total)) {
            for (; setUp < count; setUp++) {
                VariantSpec v = variants.get(setUp);
                try {
                    states[setUp] = v.setup().create();
                } catch (Exception e) {
                    throw new BenchException("bench '" + spec.name() + "': setup of variant '" + v.name() + "' failed: " + e, e);
                }
            }
            for (int w = 0; w < spec.warmup(); w++) {
                for (int i : spec.order().round(w, count, random)) {
                    p.message("warm-up " + (w + 1) + "/" + spec.warmup() + " " + variants.get(i).name());
                    runOnce(spec, variants.get(i), states[i], w, true);
                    p.step();
                }
            }
            int rounds = 0;
            while (rounds < spec.runs().maxRuns()) {
                List<Integer> order = spec.order().round(spec.warmup() + rounds, count, random);
                for (int position = 0; position < order.size(); position++) {
                    int i = order.get(position);
                    VariantSpec v = variants.get(i);
                    p.message("run " + (rounds + 1) + " " + v.name());
                    RunContext ctx = runOnce(spec, v, states[i], rounds, false);
                    runs.get(v.name()).add(new RunRecord(v.name(), rounds, position, ctx.wallNs(), ctx.deltas()));
                    latencies.get(v.name()).add(ctx.latencies());
                    p.step();
                }
                rounds++;
                if (spec.runs() instanceof RunCount.Adaptive a && rounds >= a.minRuns() && narrowEnough(runs.values(), a.targetCi())) {
                    break;
                }
            }
        } catch (BenchException e) {
            failure = e;
        } finally {
            for (int i = setUp - 1; i >= 0; i--) {
                VariantSpec v = variants.get(i);
                try {
                    v.teardown().accept(states[i]);
                } catch (Exception e) {
                    BenchException te = new BenchException("bench '" + spec.name() + "': teardown of variant '" + v.name() + "' failed: " + e, e);
                    if (failure == null) failure = te; else failure.addSuppressed(te);
                }
            }
        }
        if (failure != null) throw failure;
        Map<String, LatencySummary> lat = new LinkedHashMap<>();
        latencies.forEach((name, h) -> lat.put(name, h.getTotalCount() == 0 ? null : LatencySummary.of(h)));
        List<VariantResult> results = Analysis.analyze(runs, lat);
        return new BenchResult(spec.name(), spec.params(), BenchSettings.of(spec), Environment.current(), started,
                System.nanoTime() - t0, results, Analysis.warnings(results), null);
    }

    private RunContext runOnce(BenchSpec spec, VariantSpec v, Object state, int round, boolean warmup) {
        String where = "bench '" + spec.name() + "', variant '" + v.name() + "', " + (warmup ? "warm-up " : "run ") + (round + 1);
        RunContext ctx = new RunContext(v.name(), round, warmup, state, spec.params(), clock);
        try {
            v.beforeRun().accept(state);
        } catch (Exception e) {
            throw new BenchException(where + ": beforeRun failed: " + e, e);
        }
        BenchException failure = null;
        try {
            addSources(ctx, spec.metrics().apply(state));
            ctx.beginBody();
            v.body().run(ctx);
            ctx.endBody();
        } catch (Exception e) {
            failure = new BenchException(where + " failed: " + e, e);
        }
        try {
            v.afterRun().accept(state);
        } catch (Exception e) {
            BenchException after = new BenchException(where + ": afterRun failed: " + e, e);
            if (failure == null) failure = after; else failure.addSuppressed(after);
        }
        if (failure != null) throw failure;
        return ctx;
    }

    private static void addSources(RunContext ctx, Object sources) {
        switch (sources) {
            case null -> { }
            case Collection<?> many -> many.forEach(ctx::metricsFrom);
            default -> ctx.metricsFrom(sources);
        }
    }

    private static boolean narrowEnough(Collection<List<RunRecord>> runs, double target) {
        for (List<RunRecord> list : runs) {
            double rel = Stats.summarize(list.stream().mapToDouble(RunRecord::wallNs).toArray()).relativeCi();
            if (!(rel <= target)) return false;
        }
        return true;
    }
}
