package io.drydock.riscv.virt;

import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import org.pf4j.Extension;

import java.util.List;

/** The DSL word {@code riscv harts: N}: the virt board with N harts (default 1). Memory, kernel and append are machine-level. */
@Extension
public final class RiscvWord implements MachineWord {
    @Override public String name() { return "riscv"; }

    @Override public String help() {
        return "riscv harts: N — RISC-V rv64gc virt board (QEMU 7.2 layout) with N harts (default 1)";
    }

    @Override public MachinePart create(Options options, List<Object> args) {
        if (!args.isEmpty()) throw options.error("takes no positional arguments");
        int harts = options.integer("harts", 1);
        options.finish();
        return new VirtBoard(harts);
    }
}
