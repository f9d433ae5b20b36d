package io.drydock.kernel.machine;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.memory.MemoryBacking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A board for kernel tests: RAM at 0x80000000, a "test finisher" device at 0x100000 (write code → exit)
 * and cores that retire fake instructions until stopped, sleeping between batches.
 */
final class FakeBoard implements MachinePart {
    static final long DRAM = 0x8000_0000L, FINISHER = 0x10_0000L;
    final int harts;
    int powerOns;
    int resets;

    FakeBoard(int harts) { this.harts = harts; }

    @Override public Phase phase() { return Phase.BOARD; }

    @Override public String describe() { return "fake board, " + harts + " cores"; }

    @Override public void assemble(MachineAssembly a) {
        try {
            a.memoryMap().addRam("dram", DRAM, MemoryBacking.anonymous(a.spec().memoryBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MachineControl control = a.control();
        a.memoryMap().addDevice("finisher", FINISHER, 0x1000, new BusDevice() {
            @Override public long read(long offset, int size) { return 0; }
            @Override public void write(long offset, int size, long value) {
                if (value == 0x7777) control.requestReset();
                else control.requestExit((int) value);
            }
        });
        for (int i = 0; i < harts; i++) a.addCpu(new FakeCpu(i));
        a.onReset(() -> resets++);
        a.onPowerOn(() -> {
            powerOns++;
            a.memory().write32(DRAM, powerOns);
        });
    }

    static final class FakeCpu implements Cpu {
        final int id;
        final AtomicLong retired = new AtomicLong();
        volatile boolean crash;

        FakeCpu(int id) { this.id = id; }

        @Override public int id() { return id; }

        @Override public void run(ExecutionControl control) {
            while (!control.stopRequested()) {
                if (crash) throw new IllegalStateException("simulated emulator bug");
                retired.addAndGet(1000);
                Thread.onSpinWait();
                synchronized (this) {
                    try { wait(1); } catch (InterruptedException e) { return; }
                }
            }
        }

        @Override public synchronized void wake() { notifyAll(); }

        @Override public void reset() { retired.set(0); }

        @Override public long pc() { return DRAM; }

        @Override public long instructionsRetired() { return retired.get(); }

        @Override public String summary() { return "fake core " + id + ": " + retired.get() + " instructions"; }
    }
}
