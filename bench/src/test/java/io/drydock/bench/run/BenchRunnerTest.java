package io.drydock.bench.run;

import io.drydock.bench.progress.ProgressReporter;
import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class BenchRunnerTest {
    /** A clock that only moves when a body advances it: wall times are exact. */
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BenchRunner runner = new BenchRunner(ProgressReporter.silent(), now::get);

    @Test
    void variantsRunInterleavedAlternatingAfterWarmups() {
        List<String> calls = new ArrayList<>();
        BenchSpec spec = BenchSpec.builder("order").warmup(2).runs(3)
                .variant("A", run -> calls.add((run.warmup() ? "w" : "") + "A" + run.round()))
                .variant("B", run -> calls.add((run.warmup() ? "w" : "") + "B" + run.round()))
                .build();
        BenchResult r = runner.run(spec);
        assertEquals(List.of("wA0", "wB0", "wB1", "wA1", "A0", "B0", "B1", "A1", "A2", "B2"), calls);
        assertEquals(List.of(0, 1, 0), r.variant("A").runs().stream().map(RunRecord::position).toList());
        assertEquals(List.of(1, 0, 1), r.variant("B").runs().stream().map(RunRecord::position).toList());
    }

    @Test
    void threeVariantsRotate() {
        assertEquals(List.of(0, 1, 2), RunOrder.ALTERNATE.round(0, 3, null));
        assertEquals(List.of(1, 2, 0), RunOrder.ALTERNATE.round(1, 3, null));
        assertEquals(List.of(2, 0, 1), RunOrder.ALTERNATE.round(2, 3, null));
    }

    @Test
    void randomOrderIsReproducibleAndRunsEachVariantOncePerRound() {
        List<String> first = runRandom(7), again = runRandom(7), other = runRandom(8);
        assertEquals(first, again);
        assertNotEquals(first, other);
        for (int round = 0; round < 20; round++) {
            Set<String> seen = new HashSet<>(first.subList(round * 3, round * 3 + 3));
            assertEquals(Set.of("A", "B", "C"), seen, "round " + round);
        }
    }

    private List<String> runRandom(long seed) {
        List<String> calls = new ArrayList<>();
        BenchSpec.Builder b = BenchSpec.builder("random").warmup(0).runs(20).order(RunOrder.RANDOM).seed(seed);
        for (String n : List.of("A", "B", "C")) b.variant(n, run -> calls.add(n));
        runner.run(b.build());
        return calls;
    }

    @Test
    void ratiosArePairedRoundByRound() {
        // The machine drifts: round r is (r+1) times slower for everyone; B always takes 3x A.
        BenchSpec spec = BenchSpec.builder("drift").warmup(0).runs(5)
                .variant("A", run -> now.addAndGet(1000L * (run.round() + 1)))
                .variant("B", run -> now.addAndGet(3000L * (run.round() + 1)))
                .build();
        BenchResult r = runner.run(spec);
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 5000L), r.variant("A").runs().stream().map(RunRecord::wallNs).toList());
        assertEquals(3.0, r.variant("B").wallRatio().geomean(), 1e-12);
        assertEquals(3.0, r.variant("B").wallRatio().ciLow(), 1e-12);
        assertEquals(3.0, r.variant("B").wallRatio().ciHigh(), 1e-12);
        assertNull(r.variant("A").wallRatio());
        assertEquals(3000, r.variant("A").wall().mean(), 1e-9);
        // The drift makes each variant's own spread wide (cv 53 %): the machine is called noisy...
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("noisy machine: variant 'A'")), r.warnings().toString());
        // ...but the paired ratio is exact, so no "inconclusive" warning.
        assertTrue(r.warnings().stream().noneMatch(w -> w.startsWith("inconclusive")));
    }

    @Test
    void ratioMatchesTheRecordedPairs() {
        long[] a = {1000, 1300, 900, 1100}, b = {800, 1200, 850, 700};
        BenchSpec spec = BenchSpec.builder("pairs").warmup(0).runs(4)
                .variant("A", run -> now.addAndGet(a[run.round()]))
                .variant("B", run -> now.addAndGet(b[run.round()]))
                .build();
        BenchResult r = runner.run(spec);
        double logs = 0;
        for (int i = 0; i < 4; i++) logs += Math.log((double) b[i] / a[i]);
        assertEquals(Math.exp(logs / 4), r.variant("B").wallRatio().geomean(), 1e-12);
        assertTrue(r.variant("B").wallRatio().ciLow() < r.variant("B").wallRatio().geomean());
    }

    @Test
    void metricDeltasAroundTheMeasuredPartOnly() {
        MetricsRegistry registry = new MetricsRegistry();
        Counter exits = registry.counter("mmio.exits", "exits");
        BenchSpec spec = BenchSpec.builder("measure").warmup(1).runs(3).metrics(state -> registry)
                .variant("setup outside", run -> {
                    exits.add(5);                       // preparation: not measured
                    run.measure(() -> { exits.add(7); now.addAndGet(100); return null; });
                    exits.add(1000);                    // cleanup: not measured
                    now.addAndGet(1_000_000);
                })
                .variant("whole body", run -> { exits.add(12); now.addAndGet(400); })
                .build();
        BenchResult r = runner.run(spec);
        VariantResult a = r.variant("setup outside"), b = r.variant("whole body");
        assertEquals(List.of(7L, 7L, 7L), a.runs().stream().map(x -> x.metrics().get("mmio.exits")).toList());
        assertEquals(List.of(100L, 100L, 100L), a.runs().stream().map(RunRecord::wallNs).toList());
        assertEquals(List.of(12L, 12L, 12L), b.runs().stream().map(x -> x.metrics().get("mmio.exits")).toList());
        assertEquals(12.0 / 7, b.metricRatios().get("mmio.exits").geomean(), 1e-12);
        assertEquals(4.0, b.wallRatio().geomean(), 1e-12);
        assertEquals(7, a.metrics().get("mmio.exits").median());
    }

    @Test
    void metricsFromInsideTheBodyCountFromWhenTheyAreAdded() {
        BenchSpec spec = BenchSpec.builder("late").warmup(0).runs(2)
                .variant("boots its own", run -> {
                    MetricsRegistry fresh = new MetricsRegistry();   // a machine booted inside the run
                    Counter c = fresh.counter("virtio.notifications", "n");
                    c.add(50);                                         // boot noise before handing it over
                    run.metricsFrom(fresh);
                    run.measure(() -> { c.add(3); return null; });
                    run.metricsFrom(new MetricsRegistry()).counter("other", "o").add(9); // added outside measure: not counted
                })
                .build();
        BenchResult r = runner.run(spec);
        for (RunRecord rec : r.variant("boots its own").runs()) {
            assertEquals(3L, rec.metrics().get("virtio.notifications"));
            assertFalse(rec.metrics().containsKey("other") && rec.metrics().get("other") != 0);
        }
    }

    @Test
    void stateFromSetupIsTheDefaultMetricSourceAndTeardownRuns() {
        AtomicInteger before = new AtomicInteger(), after = new AtomicInteger(), teardowns = new AtomicInteger();
        VariantSpec v = new VariantSpec("stateful", MetricsRegistry::new,
                s -> before.incrementAndGet(),
                run -> ((MetricsRegistry) run.state()).counter("work", "w").add(2),
                s -> after.incrementAndGet(),
                s -> { assertEquals(8L, ((MetricsRegistry) s).numbers().get("work"), "4 runs of 2"); teardowns.incrementAndGet(); });
        BenchResult r = runner.run(BenchSpec.builder("state").warmup(1).runs(3).variant(v).build());
        assertEquals(4, before.get());
        assertEquals(4, after.get());
        assertEquals(1, teardowns.get());
        assertEquals(2, r.variant("stateful").metrics().get("work").mean());
    }

    @Test
    void latenciesBecomePercentiles() {
        BenchSpec spec = BenchSpec.builder("lat").warmup(1).runs(2)
                .variant("requests", run -> { for (int i = 1; i <= 100; i++) run.latency(i * 1000L); })
                .variant("none", run -> { })
                .build();
        BenchResult r = runner.run(spec);
        assertEquals(200, r.variant("requests").latency().count(), "warm-up latencies are not kept");
        assertEquals(50_000, r.variant("requests").latency().p50Ns(), 50);
        assertNull(r.variant("none").latency());
    }

    @Test
    void adaptiveStopsWhenIntervalsAreNarrow() {
        AtomicInteger runs = new AtomicInteger();
        BenchSpec steady = BenchSpec.builder("steady").warmup(0).runs(new RunCount.Adaptive(3, 50, 0.02))
                .variant("A", run -> { runs.incrementAndGet(); now.addAndGet(1000); }).build();
        assertEquals(3, runner.run(steady).baseline().wall().n());
        long[] noisy = {1000, 3000};
        BenchSpec jumpy = BenchSpec.builder("jumpy").warmup(0).runs(new RunCount.Adaptive(3, 12, 0.02))
                .variant("A", run -> now.addAndGet(noisy[run.round() % 2])).build();
        assertEquals(12, runner.run(jumpy).baseline().wall().n(), "never narrow: runs to maxRuns");
    }

    @Test
    void aFailingBodyNamesItsPlaceAndTeardownStillRuns() {
        AtomicInteger teardowns = new AtomicInteger();
        VariantSpec ok = new VariantSpec("ok", () -> "s", null, run -> { }, null, s -> teardowns.incrementAndGet());
        VariantSpec bad = new VariantSpec("bad", () -> "s", null, run -> {
            if (run.round() == 1 && !run.warmup()) throw new IllegalStateException("disk full");
        }, null, s -> teardowns.incrementAndGet());
        BenchException e = assertThrows(BenchException.class,
                () -> runner.run(BenchSpec.builder("fails").warmup(1).runs(3).variant(ok).variant(bad).build()));
        assertTrue(e.getMessage().contains("variant 'bad', run 2"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(2, teardowns.get());
    }

    @Test
    void specRejectsDuplicatesAndEmpty() {
        assertThrows(IllegalArgumentException.class, () -> BenchSpec.builder("x").build());
        assertThrows(IllegalArgumentException.class,
                () -> BenchSpec.builder("x").variant("a", r -> { }).variant("a", r -> { }).build());
        assertThrows(IllegalArgumentException.class, () -> new RunCount.Adaptive(1, 5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> MetricSource.of("not a registry"));
        assertEquals(Map.of("k", 1L), MetricSource.of((java.util.function.Supplier<Map<String, Long>>) () -> Map.of("k", 1L)).numbers());
    }
}
