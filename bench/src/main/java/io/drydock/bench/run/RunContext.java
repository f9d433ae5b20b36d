package io.drydock.bench.run;

import io.drydock.bench.stats.LatencySummary;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * What a variant's body sees during one run: its state, where it is (variant, round, warm-up or not), the
 * sweep parameters, and the words that shape the measurement.
 *
 * <h2>What is measured</h2>
 * When the body calls {@link #measure} the run's wall time is the sum of the measured blocks and its metric
 * deltas are the sum of the changes inside them; everything else in the body (booting, preparing files) is
 * not measured. When it never calls {@code measure}, the whole body is measured.
 *
 * <h2>Metric sources</h2>
 * Sources come from the bench (its {@code metrics} function, by default the variant state when it is a
 * Machine or MetricsRegistry) and from {@link #metricsFrom} inside the body. A source is snapshotted when a
 * measured part starts, or — if it is added while one is under way — when it is added; so a machine booted
 * inside the body and handed over with {@code metricsFrom(m)} right away counts from that moment. When two
 * sources have a metric of the same name, their deltas add up.
 *
 * <p>Not thread-safe: use it on the thread that runs the body ({@link #latency} excepted, which is
 * synchronised so worker threads may record).
 */
public final class RunContext {
    private final String variant;
    private final int round;
    private final boolean warmup;
    private final Object state;
    private final Map<String, Object> params;

    private final List<Tracked> sources = new ArrayList<>();
    private final Map<String, Long> implicitDeltas = new HashMap<>();
    private final Map<String, Long> explicitDeltas = new HashMap<>();
    private final Histogram latencies = LatencySummary.newHistogram();
    private long implicitStart;
    private boolean bodyRunning;
    private long implicitNs = -1;
    private long explicitNs;
    private int measureBlocks;
    private boolean inMeasure;

    /** A source with the snapshots of the implicit (whole body) and of the current explicit measurement. */
    private static final class Tracked {
        final MetricSource source;
        Map<String, Long> implicitBefore;
        Map<String, Long> explicitBefore;

        Tracked(MetricSource source) { this.source = source; }
    }

    private final LongSupplier clock;

    RunContext(String variant, int round, boolean warmup, Object state, Map<String, Object> params, LongSupplier clock) {
        this.clock = clock;
        this.variant = variant;
        this.round = round;
        this.warmup = warmup;
        this.state = state;
        this.params = params;
    }

    /** The variant's state: what its setup returned, or null. */
    public Object state() { return state; }

    public String variant() { return variant; }

    /** The round, counting from 0; warm-up rounds have their own count from 0. */
    public int round() { return round; }

    public boolean warmup() { return warmup; }

    /** The sweep point's parameters (empty outside a sweep). */
    public Map<String, Object> params() { return params; }

    /** A sweep parameter by name; throws {@link IllegalArgumentException} naming the known ones. */
    public Object param(String name) {
        if (!params.containsKey(name)) throw new IllegalArgumentException("no sweep parameter '" + name + "' (have " + params.keySet() + ")");
        return params.get(name);
    }

    /** Captures the metrics of {@code source} (a Machine or MetricsRegistry) for this run. Returns it. */
    public <T> T metricsFrom(T source) {
        Tracked t = new Tracked(MetricSource.of(source));
        if (bodyRunning) t.implicitBefore = t.source.numbers();
        if (inMeasure) t.explicitBefore = t.source.numbers();
        sources.add(t);
        return source;
    }

    /** Measures {@code block}: its wall time and the metric changes inside it count for this run. */
    public <T> T measure(Callable<T> block) throws Exception {
        Objects.requireNonNull(block, "measure block");
        if (inMeasure) throw new IllegalStateException("measure blocks do not nest (variant '" + variant + "')");
        inMeasure = true;
        measureBlocks++;
        for (Tracked t : sources) t.explicitBefore = t.source.numbers();
        long start = clock.getAsLong();
        try {
            return block.call();
        } finally {
            explicitNs += clock.getAsLong() - start;
            for (Tracked t : sources) addDeltas(explicitDeltas, t.explicitBefore, t.source.numbers());
            inMeasure = false;
        }
    }

    /** Records one latency (e.g. of a request inside the run) for the variant's latency percentiles. */
    public synchronized void latency(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("latency must be ≥ 0 ns, was " + nanos);
        latencies.recordValue(Math.max(1, nanos));
    }

    public void latency(Duration duration) { latency(duration.toNanos()); }

    // ---- used by the runner ----

    void beginBody() {
        for (Tracked t : sources) t.implicitBefore = t.source.numbers();
        bodyRunning = true;
        implicitStart = clock.getAsLong();
    }

    void endBody() {
        implicitNs = clock.getAsLong() - implicitStart;
        bodyRunning = false;
        for (Tracked t : sources) {
            if (t.implicitBefore != null) addDeltas(implicitDeltas, t.implicitBefore, t.source.numbers());
        }
    }

    boolean usedMeasure() { return measureBlocks > 0; }

    long wallNs() { return usedMeasure() ? explicitNs : implicitNs; }

    Map<String, Long> deltas() { return usedMeasure() ? explicitDeltas : implicitDeltas; }

    synchronized Histogram latencies() { return latencies; }

    private static void addDeltas(Map<String, Long> into, Map<String, Long> before, Map<String, Long> after) {
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            into.merge(e.getKey(), delta, Long::sum);
        }
    }
}
