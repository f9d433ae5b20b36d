package io.drydock.kernel.machine;

/**
 * A piece of a machine contributed by a plugin's DSL word: a board, a bus, a device, a guest image.
 * Assembly calls {@link #configure} on every part in the order written, then {@link #assemble} part by
 * part in {@link Phase} order (the order written within a phase). Both run on the assembling thread and
 * throw {@link MachineException} or {@link IllegalArgumentException} with a user-facing message.
 */
public interface MachinePart {
    enum Phase {
        /** CPUs, RAM, the interrupt controller and the board's own devices. */
        BOARD,
        /** Buses that devices plug into (PCI host, virtio-mmio slots). */
        BUS,
        /** Devices. */
        DEVICE
    }

    Phase phase();

    /** One line for the machine's summary: "virtio-fs tag=myfs dir=build/export (ro)". */
    String describe();

    /** Adjusts machine-wide settings before anything is built (a guest image sets the kernel and command line). */
    default void configure(MachineSpec spec) {}

    /** Builds this part into the machine. */
    void assemble(MachineAssembly assembly);
}
