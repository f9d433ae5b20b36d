package io.drydock.kernel.testing;

import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.memory.MemoryBacking;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A board without harts for device tests: DRAM at 0x80000000 of the spec's memory size and a
 * {@link TestInterruptController} offered as the machine's {@link InterruptController}. Tests play the guest
 * by accessing {@code machine.bus()} themselves.
 *
 * <pre>{@code
 * TestBoard board = new TestBoard();
 * Machine m = new MachineSpec().memory(64 << 20).add(board).add(somePciPart).add(someDevicePart).build();
 * }</pre>
 */
public final class TestBoard implements MachinePart {
    public static final long DRAM_BASE = 0x8000_0000L;

    private final TestInterruptController interrupts = new TestInterruptController();

    public TestInterruptController interrupts() { return interrupts; }

    @Override public Phase phase() { return Phase.BOARD; }

    @Override public String describe() { return "test board"; }

    @Override public void assemble(MachineAssembly assembly) {
        try {
            assembly.memoryMap().addRam("dram", DRAM_BASE, MemoryBacking.anonymous(assembly.spec().memoryBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assembly.services().add(InterruptController.class, interrupts);
    }
}
