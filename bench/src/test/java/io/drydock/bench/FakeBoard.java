package io.drydock.bench;

import io.drydock.kernel.machine.Cpu;
import io.drydock.kernel.machine.ExecutionControl;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineControl;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.metrics.Counter;

/**
 * A stand-in board until a CPU plugin exists: one core that "retires" {@code instructions} instructions,
 * makes {@code requests} device requests (a counter, as a virtio device would count its notifications),
 * then powers the guest off with exit code 0. It runs through the real {@link io.drydock.kernel.machine.Machine}
 * lifecycle, so a bench sees the real registry: machine.instructions, cpu0.instructions, fake.requests.
 */
public final class FakeBoard implements MachinePart {
    private final long instructions;
    private final long requests;

    public FakeBoard(long instructions, long requests) {
        this.instructions = instructions;
        this.requests = requests;
    }

    @Override public Phase phase() { return Phase.BOARD; }

    @Override public String describe() { return "fake board: " + instructions + " instructions, " + requests + " requests"; }

    @Override public void assemble(MachineAssembly assembly) {
        Counter counter = assembly.metrics().counter("fake.requests", "requests the fake guest made");
        assembly.addCpu(new FakeCpu(instructions, requests, counter, assembly.control()));
    }

    private static final class FakeCpu implements Cpu {
        private final long instructions;
        private final long requests;
        private final Counter counter;
        private final MachineControl control;
        private volatile long retired;

        FakeCpu(long instructions, long requests, Counter counter, MachineControl control) {
            this.instructions = instructions;
            this.requests = requests;
            this.counter = counter;
            this.control = control;
        }

        @Override public int id() { return 0; }

        @Override public void run(ExecutionControl execution) {
            long every = requests == 0 ? Long.MAX_VALUE : Math.max(1, instructions / requests);
            long sum = 0;
            while (retired < instructions && !execution.stopRequested()) {
                sum += retired * 31 + 7; // some work per "instruction"
                retired++;
                if (retired % every == 0) counter.increment();
            }
            if (sum == 42) counter.increment(); // keeps the loop from being optimised away; never true in practice
            if (retired >= instructions) control.requestExit(0);
        }

        @Override public void wake() { }

        @Override public void reset() { retired = 0; }

        @Override public long pc() { return 0x8000_0000L + retired * 4; }

        @Override public long instructionsRetired() { return retired; }

        @Override public String summary() { return "fake hart 0: " + retired + " retired"; }
    }
}
