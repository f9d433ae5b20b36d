package io.drydock.kernel.irq;

import io.drydock.kernel.metrics.Counter;

/** A line that counts its rising edges (asserts after deasserted) in a metrics counter. */
public final class CountedLine implements InterruptLine {
    private final InterruptLine target;
    private final Counter raises;
    private boolean level;

    public CountedLine(InterruptLine target, Counter raises) {
        this.target = target;
        this.raises = raises;
    }

    @Override public void set(boolean asserted) {
        synchronized (this) {
            if (asserted && !level) raises.increment();
            level = asserted;
        }
        target.set(asserted);
    }
}
