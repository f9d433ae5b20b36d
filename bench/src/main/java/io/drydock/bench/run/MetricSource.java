package io.drydock.bench.run;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.metrics.MetricsRegistry;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a run's metric deltas come from: a flat snapshot of numbers taken before and after the measured
 * part ({@link MetricsRegistry#numbers()}: counters, gauges, histogram counts).
 */
@FunctionalInterface
public interface MetricSource {
    Map<String, Long> numbers();

    /**
     * Adapts what a script hands over: a {@link Machine} (its registry), a {@link MetricsRegistry}, a
     * MetricSource, or a {@code Supplier<Map<String, Long>>}.
     *
     * @throws IllegalArgumentException for anything else, naming its type
     */
    @SuppressWarnings("unchecked")
    static MetricSource of(Object source) {
        return switch (source) {
            case MetricSource s -> s;
            case Machine m -> m.metrics()::numbers;
            case MetricsRegistry r -> r::numbers;
            case Supplier<?> s -> () -> (Map<String, Long>) s.get();
            case null -> throw new IllegalArgumentException("metrics source is null");
            default -> throw new IllegalArgumentException("cannot take metrics from a " + source.getClass().getName()
                    + " (give a Machine or a MetricsRegistry)");
        };
    }

    /** True when {@link #of} would accept {@code candidate}. */
    static boolean accepts(Object candidate) {
        return candidate instanceof MetricSource || candidate instanceof Machine || candidate instanceof MetricsRegistry;
    }
}
