package io.drydock.kernel.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, cheap to bump from any thread. */
public final class Counter implements Metric {
    private final String name;
    private final String help;
    private final LongAdder adder = new LongAdder();

    Counter(String name, String help) {
        this.name = name;
        this.help = help;
    }

    public void increment() { adder.increment(); }

    public void add(long n) { adder.add(n); }

    public long get() { return adder.sum(); }

    @Override public String name() { return name; }

    @Override public String help() { return help; }

    @Override public void reset() { adder.reset(); }

    @Override public Object value() { return get(); }

    @Override public String toString() { return name + " = " + get(); }
}
