package io.drydock.bench;

import groovy.lang.Closure;
import io.drydock.bench.report.Charts;
import io.drydock.bench.run.BenchSpec;
import io.drydock.bench.run.RunCount;
import io.drydock.bench.run.RunOrder;
import io.drydock.bench.run.VariantSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The delegate of a {@code bench('name') { ... }} closure: the words that describe a bench.
 *
 * <pre>{@code
 * bench('dax vs read') {
 *     warmup 2                                  // rounds thrown away first (default 1)
 *     runs 10                                   // or: adaptive maxRuns: 30, targetCi: 0.02
 *     order 'random'; seed 7                    // default: alternate (A B, B A, ...)
 *     metrics { m -> m }                        // per run, given the variant state: Machine/registry (default: the state)
 *     charts 'wall', 'virtio-fs.requests'       // bar charts to draw (default: wall)
 *     outputDir 'build/bench/dax'               // default: build/bench/<slug>-<timestamp>; false: write nothing
 *     variant('no dax', setup: { machine { ... }.boot() }) { m -> measure { m.run(30.s) } }
 *     variant('dax') { ... }
 * }
 * }</pre>
 * Variant options (all closures, all optional): {@code setup} (returns the state; runs once),
 * {@code beforeRun}, {@code afterRun} (around every run, not measured), {@code teardown} (once; default:
 * close the state when it is AutoCloseable). The body closure gets the state as its argument when it
 * takes one, and {@link io.drydock.bench.run.RunContext} as its delegate: {@code measure {}},
 * {@code metricsFrom m}, {@code latency ns}, {@code param 'name'}.
 */
public final class BenchBuilder {
    private final BenchSpec.Builder spec;
    private final List<String> charts = new ArrayList<>();
    private final Map<String, String> groups = new java.util.LinkedHashMap<>();
    private Path outputDir;
    private boolean write = true;

    BenchBuilder(String name, Map<String, Object> params) {
        this.spec = BenchSpec.builder(name).params(params);
    }

    public void warmup(int rounds) { spec.warmup(rounds); }

    public void runs(int runs) { spec.runs(runs); }

    /** {@code adaptive maxRuns: 30, targetCi: 0.02, minRuns: 5} (defaults: 30, 0.02, 5). */
    public void adaptive(Map<String, Object> options) {
        Set<String> unknown = new LinkedHashSet<>(options.keySet());
        unknown.removeAll(Set.of("maxRuns", "targetCi", "minRuns"));
        if (!unknown.isEmpty()) throw new IllegalArgumentException("adaptive: unknown options " + unknown + " (maxRuns, targetCi, minRuns)");
        int max = ((Number) options.getOrDefault("maxRuns", 30)).intValue();
        int min = ((Number) options.getOrDefault("minRuns", Math.min(5, max))).intValue();
        double target = ((Number) options.getOrDefault("targetCi", 0.02)).doubleValue();
        spec.runs(new RunCount.Adaptive(min, max, target));
    }

    /** 'alternate' or 'random'. */
    public void order(String order) {
        try {
            spec.order(RunOrder.valueOf(order.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("order: '" + order + "' is not alternate or random", e);
        }
    }

    public void seed(long seed) { spec.seed(seed); }

    /** Per run: where metrics come from, given the variant state (a Machine, a registry, a list, or null). */
    public void metrics(Closure<?> source) { spec.metrics(state -> Closures.callWith(source, state)); }

    /** Metrics to draw as bar charts; {@code 'wall'} is wall time. */
    public void charts(String... metrics) { charts.addAll(List.of(metrics)); }

    /** Where to write this bench's files (a path), or {@code false} to write none. */
    public void outputDir(Object dir) {
        if (Boolean.FALSE.equals(dir)) write = false;
        else outputDir = Path.of(String.valueOf(dir));
    }

    public void variant(String name, Closure<?> body) { variant(Map.of(), name, body); }

    /**
     * A variant; options {@code setup}, {@code beforeRun}, {@code afterRun}, {@code teardown} (closures) and
     * {@code group} (a name: the charts give a group's bars one colour and name the groups in a legend).
     */
    public void variant(Map<String, Object> options, String name, Closure<?> body) {
        Set<String> unknown = new LinkedHashSet<>(options.keySet());
        unknown.removeAll(Set.of("setup", "beforeRun", "afterRun", "teardown", "group"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("variant '" + name + "': unknown options " + unknown + " (setup, beforeRun, afterRun, teardown, group)");
        }
        if (options.get("group") != null) groups.put(name, String.valueOf(options.get("group")));
        Closure<?> setup = closure(options, "setup", name);
        Closure<?> teardown = closure(options, "teardown", name);
        VariantSpec.Hook close = state -> { if (state instanceof AutoCloseable c) c.close(); };
        spec.variant(new VariantSpec(name,
                setup == null ? null : () -> Closures.callWith(setup, null),
                hook(closure(options, "beforeRun", name)),
                run -> Closures.runBody(body, run),
                hook(closure(options, "afterRun", name)),
                teardown == null ? close : hook(teardown)));
    }

    BenchSpec spec() { return spec.build(); }

    List<String> chartMetrics() { return charts.isEmpty() ? List.of(Charts.WALL) : List.copyOf(charts); }

    /** A variant's chart group: its {@code group:}, else its own name; null when no variant has a group. */
    java.util.function.Function<String, String> groupOf() {
        if (groups.isEmpty()) return null;
        Map<String, String> g = Map.copyOf(groups);
        return name -> g.getOrDefault(name, name);
    }

    Path outputDir() { return outputDir; }

    boolean write() { return write; }

    private static VariantSpec.Hook hook(Closure<?> c) {
        return c == null ? null : state -> Closures.callWith(c, state);
    }

    private static Closure<?> closure(Map<String, Object> options, String key, String variant) {
        Object v = options.get(key);
        if (v == null || v instanceof Closure<?>) return (Closure<?>) v;
        throw new IllegalArgumentException("variant '" + variant + "': " + key + " must be a closure, was " + v.getClass().getSimpleName());
    }
}
