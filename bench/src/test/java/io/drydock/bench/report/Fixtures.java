package io.drydock.bench.report;

import io.drydock.bench.progress.ProgressReporter;
import io.drydock.bench.run.BenchResult;
import io.drydock.bench.run.BenchRunner;
import io.drydock.bench.run.BenchSpec;
import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Real bench results with exactly known numbers (a fake clock), for the output tests. */
final class Fixtures {
    private Fixtures() {}

    /** Three variants, 6 runs, a counter, latencies on one; {@code scale} multiplies all wall times. */
    static BenchResult threeVariants(String name, Map<String, Object> params, double scale) {
        AtomicLong now = new AtomicLong();
        MetricsRegistry registry = new MetricsRegistry();
        Counter exits = registry.counter("mmio.exits", "exits");
        long[] jitter = {0, 30, -20, 10, -10, 25};
        BenchSpec spec = BenchSpec.builder(name).warmup(1).runs(6).params(params).metrics(s -> registry)
                .variant("read", run -> { now.addAndGet((long) (scale * (1000 + jitter[run.round()]))); exits.add(40); })
                .variant("mmap", run -> { now.addAndGet((long) (scale * (700 + jitter[5 - run.round()]))); exits.add(10); })
                .variant("dax", run -> {
                    now.addAndGet((long) (scale * (400 + jitter[run.round()] / 2)));
                    exits.add(1);
                    for (int i = 1; i <= 10; i++) run.latency(i * 100L);
                })
                .build();
        return new BenchRunner(ProgressReporter.silent(), now::get).run(spec);
    }

    /** {@code n} variants v0, v1, ... with wall times and a counter growing with the index up to about {@code scale}. */
    static BenchResult manyVariants(String name, int n, long scale) {
        AtomicLong now = new AtomicLong();
        MetricsRegistry registry = new MetricsRegistry();
        Counter instructions = registry.counter("guest.instructions", "instructions");
        BenchSpec.Builder spec = BenchSpec.builder(name).warmup(0).runs(3).metrics(s -> registry);
        for (int i = 0; i < n; i++) {
            long per = scale * (i + 1) / n;
            spec.variant("v" + i, run -> { now.addAndGet(per + run.round()); instructions.add(per + run.round() * 1000L); });
        }
        return new BenchRunner(ProgressReporter.silent(), now::get).run(spec.build());
    }

    /** One variant, one run: no interval. */
    static BenchResult oneRun() {
        AtomicLong now = new AtomicLong();
        return new BenchRunner(ProgressReporter.silent(), now::get)
                .run(BenchSpec.builder("one").warmup(0).runs(1).variant("only", run -> now.addAndGet(5)).build());
    }
}
