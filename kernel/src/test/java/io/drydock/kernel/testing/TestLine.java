package io.drydock.kernel.testing;

import io.drydock.kernel.irq.InterruptLine;

/** An interrupt line that remembers its level and counts rising edges. */
public final class TestLine implements InterruptLine {
    private boolean level;
    private int raises;

    @Override public synchronized void set(boolean asserted) {
        if (asserted && !level) raises++;
        level = asserted;
    }

    public synchronized boolean level() { return level; }

    /** Rising edges since construction. */
    public synchronized int raises() { return raises; }
}
