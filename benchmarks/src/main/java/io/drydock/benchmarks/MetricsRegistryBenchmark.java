package io.drydock.benchmarks;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;

/**
 * What counting costs on a hot path: a counter bump (single thread and contended by two threads), and the
 * {@link MetricsRegistry#numbers()} snapshot a bench takes around every measured run.
 */
@State(Scope.Benchmark)
public class MetricsRegistryBenchmark extends AbstractMicrobenchmark {
    private MetricsRegistry registry;
    private Counter counter;

    @Setup
    public void setup() {
        registry = new MetricsRegistry();
        counter = registry.counter("bench.counter", "bumped by the benchmark");
        for (int i = 0; i < 100; i++) registry.counter("device" + i + ".exits", "one of 100 counters");
    }

    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(2)
    public void counterIncrementContended() {
        counter.increment();
    }

    @Benchmark
    public Map<String, Long> snapshot101() {
        return registry.numbers();
    }
}
