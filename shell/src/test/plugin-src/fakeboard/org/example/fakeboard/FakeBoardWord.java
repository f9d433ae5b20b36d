package org.example.fakeboard;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.machine.Cpu;
import io.drydock.kernel.machine.ExecutionControl;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineControl;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.spi.MachineWord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A test board for the shell's DSL tests: RAM at 0x80000000, a "scratch" register device at 0x10000000,
 * and one fake hart that retires {@code instructions} instructions and then reports exit code
 * {@code exit} (or, with {@code spin: true}, runs until stopped).
 */
public class FakeBoardWord implements MachineWord {
    @Override public String name() { return "fakeboard"; }

    @Override public String help() { return "fakeboard instructions: N, exit: CODE — a test board"; }

    @Override public MachinePart create(Options o, List<Object> args) {
        long instructions = o.integer("instructions", 1000);
        int exit = o.integer("exit", 0);
        boolean spin = o.bool("spin", false);
        o.finish();
        return new MachinePart() {
            @Override public Phase phase() { return Phase.BOARD; }

            @Override public String describe() { return "fakeboard instructions=" + instructions + " exit=" + exit; }

            @Override public void assemble(MachineAssembly a) {
                try {
                    a.memoryMap().addRam("ram", 0x8000_0000L, MemoryBacking.anonymous(a.spec().memoryBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                a.memoryMap().addDevice("scratch", 0x1000_0000L, 0x1000, new Scratch());
                a.addCpu(new FakeCpu(instructions, exit, spin, a.control()));
            }
        };
    }

    static final class Scratch implements BusDevice {
        private long value;

        @Override public synchronized long read(long offset, int size) { return offset == 0 ? value : 0; }

        @Override public synchronized void write(long offset, int size, long v) { if (offset == 0) value = v; }
    }

    static final class FakeCpu implements Cpu {
        private final long limit;
        private final int exit;
        private final boolean spin;
        private final MachineControl control;
        private volatile long retired;

        FakeCpu(long limit, int exit, boolean spin, MachineControl control) {
            this.limit = limit;
            this.exit = exit;
            this.spin = spin;
            this.control = control;
        }

        @Override public int id() { return 0; }

        @Override public void run(ExecutionControl c) {
            while (!c.stopRequested()) {
                if (!spin && retired >= limit) {
                    control.requestExit(exit);
                    return;
                }
                retired++;
                if (spin) Thread.onSpinWait();
            }
        }

        @Override public void wake() {}

        @Override public void reset() { retired = 0; }

        @Override public long pc() { return 0x8000_0000L + 4 * retired; }

        @Override public long instructionsRetired() { return retired; }

        @Override public String summary() { return "fake hart 0 pc=0x" + Long.toHexString(pc()); }
    }
}
