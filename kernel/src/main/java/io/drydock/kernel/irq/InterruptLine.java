package io.drydock.kernel.irq;

/**
 * A wire from a device into an interrupt controller. Level-triggered: the device {@link #set}s the level it
 * currently asserts; the controller decides when that becomes pending. Thread-safe: devices call it from
 * hart threads, request workers and timers alike. Never blocks.
 */
@FunctionalInterface
public interface InterruptLine {
    void set(boolean asserted);

    default void raise() { set(true); }

    default void lower() { set(false); }

    /** An edge for controllers that latch: raise, then lower. */
    default void pulse() {
        set(true);
        set(false);
    }

    /** A line connected to nothing (a device whose interrupt is not wired). */
    static InterruptLine none() { return Unconnected.LINE; }

    /**
     * What {@link #none()} returns. Not a field of this interface: a field would give it a static initialiser,
     * and the JDK's AOT cache does not link ahead of time the lambdas that implement an interface with one
     * (Plic's lines were spun at every start; docs/startup.md, sixth pass).
     */
    enum Unconnected implements InterruptLine {
        LINE;

        @Override public void set(boolean asserted) {}
    }
}
