package io.drydock.kernel.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * One machine's named counters, gauges and latency histograms. Any component registers its own at
 * assembly (get-or-create by name); the shell prints them as a table, resets them, and exports them as
 * JSON; benchmarks take {@link #numbers()} before and after a run and subtract.
 *
 * <p>Thread-safe. Names are dotted, component first; re-registering a name returns the existing metric if
 * it is of the same kind and fails otherwise.
 */
public final class MetricsRegistry {
    private final ConcurrentSkipListMap<String, Metric> metrics = new ConcurrentSkipListMap<>();

    public Counter counter(String name, String help) {
        return register(name, Counter.class, () -> new Counter(name, help));
    }

    /** A gauge whose readings only grow (counts kept elsewhere, e.g. a hart's instret): reset rebases it. */
    public Gauge cumulativeGauge(String name, String help, LongSupplier source) {
        return register(name, Gauge.class, () -> new Gauge(name, help, source, true));
    }

    /** A gauge of a level (queue depth, bytes mapped now): reset leaves it alone. */
    public Gauge gauge(String name, String help, LongSupplier source) {
        return register(name, Gauge.class, () -> new Gauge(name, help, source, false));
    }

    public LatencyHistogram histogram(String name, String help) {
        return register(name, LatencyHistogram.class, () -> new LatencyHistogram(name, help));
    }

    private <M extends Metric> M register(String name, Class<M> kind, java.util.function.Supplier<M> factory) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("metric name must not be blank");
        Metric m = metrics.computeIfAbsent(name, n -> factory.get());
        if (!kind.isInstance(m)) {
            throw new IllegalArgumentException("metric " + name + " is already a " + m.getClass().getSimpleName()
                    + ", not a " + kind.getSimpleName());
        }
        return kind.cast(m);
    }

    public Metric get(String name) { return metrics.get(name); }

    /** Every metric whose name starts with {@code prefix} ("" for all), sorted by name. */
    public List<Metric> list(String prefix) {
        return new ArrayList<>(metrics.subMap(prefix, true, prefix + Character.MAX_VALUE, true).values());
    }

    /**
     * A flat snapshot of numbers: counters and gauges as themselves, histograms as NAME.count. This is what
     * benchmarks subtract around a measured run.
     */
    public Map<String, Long> numbers() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Metric m : metrics.values()) {
            switch (m) {
                case Counter c -> out.put(c.name(), c.get());
                case Gauge g -> out.put(g.name(), g.get());
                case LatencyHistogram h -> out.put(h.name() + ".count", h.count());
            }
        }
        return out;
    }

    /** Every metric's value by name (histograms as summary maps). */
    public Map<String, Object> snapshot() { return snapshot(""); }

    /** The values of the metrics whose names start with {@code prefix}. */
    public Map<String, Object> snapshot(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Metric m : list(prefix)) out.put(m.name(), m.value());
        return out;
    }

    /** Resets every metric whose name starts with {@code prefix} ("" for all). */
    public void reset(String prefix) { list(prefix).forEach(Metric::reset); }

    public void reset() { reset(""); }

    /** A table of the metrics under {@code prefix}, skipping zero counters unless {@code all}. */
    public String table(String prefix, boolean all) {
        List<Metric> rows = list(prefix);
        int width = 6;
        for (Metric m : rows) width = Math.max(width, m.name().length());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", "metric", "value"));
        for (Metric m : rows) {
            Object v = m.value();
            if (!all && v instanceof Long l && l == 0) continue;
            if (!all && v instanceof Map<?, ?> map && Long.valueOf(0).equals(map.get("count"))) continue;
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", m.name(), formatValue(v)));
        }
        return sb.toString();
    }

    private static String formatValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (!m.containsKey("p50Ns")) return "count=" + m.get("count");
            return String.format(Locale.ROOT, "count=%d p50=%s p99=%s max=%s", (Long) m.get("count"),
                    nanos((Long) m.get("p50Ns")), nanos((Long) m.get("p99Ns")), nanos((Long) m.get("maxNs")));
        }
        return String.format(Locale.ROOT, "%,d", (Long) v);
    }

    private static String nanos(long ns) {
        if (ns < 10_000) return ns + "ns";
        if (ns < 10_000_000) return String.format(Locale.ROOT, "%.1fus", ns / 1e3);
        return String.format(Locale.ROOT, "%.1fms", ns / 1e6);
    }

    @Override public String toString() { return table("", false); }

    /** The snapshot as a JSON object: {"name": number | {"count":..,"p50Ns":..}}. */
    public String toJson() { return toJson(""); }

    /** {@link #toJson()} of the metrics whose names start with {@code prefix}. */
    public String toJson(String prefix) { return Json.write(snapshot(prefix)); }
}
