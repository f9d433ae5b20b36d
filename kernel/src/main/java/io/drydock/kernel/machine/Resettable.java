package io.drydock.kernel.machine;

/** Anything whose state returns to power-on on a machine reset (devices, the board's image loading). */
@FunctionalInterface
public interface Resettable {
    /** Called on the resetting thread while every core is stopped. */
    void reset();
}
