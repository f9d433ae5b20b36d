package io.drydock.kernel.machine;

/**
 * What devices may ask of their machine (the `sifive_test` finisher, a watchdog, a device gone broken).
 * Safe from any thread; returns at once — the machine acts on its own thread.
 */
public interface MachineControl {
    /** The guest powered off with {@code code} (0 = success). The machine stops; waitForExit returns it. */
    void requestExit(int code);

    /** The guest asked for a system reset. */
    void requestReset();

    /**
     * A device met a guest error it cannot serve (malformed virtqueue, bad DMA address): recorded in the
     * machine's fault log with the component and reason, logged once. The machine keeps running.
     */
    void reportFault(String component, String reason);
}
