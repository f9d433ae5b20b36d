package io.drydock.bench.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything a bench run needs: its name, warm-up rounds, the run count, the order, the variants (the
 * first is the baseline every ratio is relative to), where metrics come from, and sweep parameters.
 *
 * @param warmup  rounds run before the measured ones and thrown away (default 1)
 * @param order   variant order within a round (default {@link RunOrder#ALTERNATE})
 * @param seed    seed of the order's Random (default 42; only {@link RunOrder#RANDOM} uses it)
 * @param metrics per run, given the variant's state, the metrics source(s) to capture (a Machine, a
 *                MetricsRegistry, a list of them, or null); default: the state itself when it is one
 * @param params  the sweep point this bench measures (empty outside a sweep), recorded in the result
 */
public record BenchSpec(String name, int warmup, RunCount runs, RunOrder order, long seed,
                        List<VariantSpec> variants, Function<Object, Object> metrics, Map<String, Object> params) {

    public BenchSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("bench name must not be blank");
        if (warmup < 0) throw new IllegalArgumentException("warmup must be ≥ 0, was " + warmup);
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(order, "order");
        if (variants == null || variants.isEmpty()) throw new IllegalArgumentException("bench '" + name + "' has no variant");
        Set<String> names = new HashSet<>();
        for (VariantSpec v : variants) {
            if (!names.add(v.name())) throw new IllegalArgumentException("bench '" + name + "' has two variants named '" + v.name() + "'");
        }
        variants = List.copyOf(variants);
        if (metrics == null) metrics = state -> MetricSource.accepts(state) ? state : null;
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Builder builder(String name) { return new Builder(name); }

    /** A mutable builder, for Java callers and the Groovy DSL. */
    public static final class Builder {
        private final String name;
        private int warmup = 1;
        private RunCount runs = new RunCount.Fixed(10);
        private RunOrder order = RunOrder.ALTERNATE;
        private long seed = 42;
        private final List<VariantSpec> variants = new ArrayList<>();
        private Function<Object, Object> metrics;
        private Map<String, Object> params = Map.of();

        Builder(String name) { this.name = name; }

        public Builder warmup(int rounds) { this.warmup = rounds; return this; }

        public Builder runs(int runs) { this.runs = new RunCount.Fixed(runs); return this; }

        public Builder runs(RunCount runs) { this.runs = runs; return this; }

        public Builder order(RunOrder order) { this.order = order; return this; }

        public Builder seed(long seed) { this.seed = seed; return this; }

        public Builder variant(VariantSpec variant) { variants.add(variant); return this; }

        public Builder variant(String name, VariantSpec.Body body) { return variant(VariantSpec.of(name, body)); }

        public Builder metrics(Function<Object, Object> metrics) { this.metrics = metrics; return this; }

        public Builder params(Map<String, Object> params) { this.params = params; return this; }

        public BenchSpec build() {
            return new BenchSpec(name, warmup, runs, order, seed, variants, metrics, params);
        }
    }
}
