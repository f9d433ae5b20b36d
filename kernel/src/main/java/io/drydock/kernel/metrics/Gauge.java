package io.drydock.kernel.metrics;

import java.util.function.LongSupplier;

/**
 * A value read when asked (instructions retired of a hart, bytes mapped in a window). {@link #reset()}
 * remembers the current reading as a baseline when the gauge is cumulative, so readings become deltas
 * since the reset; a level gauge (queue depth) is never rebased.
 */
public final class Gauge implements Metric {
    private final String name;
    private final String help;
    private final LongSupplier source;
    private final boolean cumulative;
    private volatile long baseline;

    Gauge(String name, String help, LongSupplier source, boolean cumulative) {
        this.name = name;
        this.help = help;
        this.source = source;
        this.cumulative = cumulative;
    }

    public long get() { return source.getAsLong() - baseline; }

    public boolean cumulative() { return cumulative; }

    @Override public String name() { return name; }

    @Override public String help() { return help; }

    @Override public void reset() { if (cumulative) baseline = source.getAsLong(); }

    @Override public Object value() { return get(); }

    @Override public String toString() { return name + " = " + get(); }
}
