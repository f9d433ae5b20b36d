package io.drydock.kernel.metrics;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A latency distribution in nanoseconds (HdrHistogram, 3 significant digits, auto-resizing), recorded from
 * any thread. {@link #value()} is a summary: count, min, mean, p50, p90, p99, p999, max (ns).
 */
public final class LatencyHistogram implements Metric {
    private final String name;
    private final String help;
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3);

    LatencyHistogram(String name, String help) {
        this.name = name;
        this.help = help;
    }

    public void recordNanos(long nanos) { histogram.recordValue(Math.max(0, nanos)); }

    public long count() { return histogram.getTotalCount(); }

    /** A copy of the distribution, for callers that want every percentile. */
    public Histogram snapshot() { return histogram.copy(); }

    @Override public String name() { return name; }

    @Override public String help() { return help; }

    @Override public void reset() { histogram.reset(); }

    @Override public Map<String, Object> value() {
        Histogram h = histogram.copy();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            m.put("minNs", h.getMinValue());
            m.put("meanNs", Math.round(h.getMean()));
            m.put("p50Ns", h.getValueAtPercentile(50));
            m.put("p90Ns", h.getValueAtPercentile(90));
            m.put("p99Ns", h.getValueAtPercentile(99));
            m.put("p999Ns", h.getValueAtPercentile(99.9));
            m.put("maxNs", h.getMaxValue());
        }
        return m;
    }

    @Override public String toString() { return name + " " + value(); }
}
