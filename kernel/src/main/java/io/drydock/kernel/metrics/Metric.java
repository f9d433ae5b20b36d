package io.drydock.kernel.metrics;

/** A named measurement in the {@link MetricsRegistry}. */
public sealed interface Metric permits Counter, Gauge, LatencyHistogram {
    /** Dotted name, component first: "mmio.uart0.reads", "virtq.virtio-fs.1.notifications". */
    String name();

    /** One line saying what it counts. */
    String help();

    /** A {@code Long} for counters and gauges, a summary map for histograms. */
    Object value();

    void reset();
}
