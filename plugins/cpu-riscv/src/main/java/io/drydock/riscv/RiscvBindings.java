package io.drydock.riscv;

import io.drydock.kernel.machine.Cpu;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import org.pf4j.Extension;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Groovy names for inspecting the current machine's harts: {@code hart(0).regs()}, {@code disasm(addr, n)},
 * {@code dump(addr, len)}, {@code step(n)}. Pause the machine first.
 */
@Extension
public final class RiscvBindings implements ScriptBinding {
    /** {@code hart(id)}: an {@link Inspector} of that hart of the current machine. */
    public static final class HartFn {
        private final ShellContext ctx;
        HartFn(ShellContext ctx) { this.ctx = ctx; }

        public Inspector call(int id) {
            Machine m = ctx.currentMachine();
            if (m == null) throw new IllegalStateException("no machine: build one with machine { riscv ... }");
            Cpu c = m.cpu(id);
            if (!(c instanceof Hart h)) throw new IllegalStateException("cpu " + id + " is not a RISC-V hart");
            return new Inspector(h);
        }

        public Inspector call() { return call(0); }
    }

    public static final class DisasmFn {
        private final HartFn hart;
        DisasmFn(HartFn hart) { this.hart = hart; }
        public String call(long addr, int n) { return hart.call(0).disasm(addr, n); }
        public String call(long addr) { return call(addr, 16); }
    }

    public static final class DumpFn {
        private final HartFn hart;
        DumpFn(HartFn hart) { this.hart = hart; }
        public String call(long addr, int len) { return hart.call(0).dump(addr, len); }
    }

    public static final class StepFn {
        private final HartFn hart;
        StepFn(HartFn hart) { this.hart = hart; }
        public String call(long n) { return hart.call(0).step(n); }
        public String call() { return call(1); }
    }

    @Override public Map<String, Object> bindings(ShellContext context) {
        HartFn hart = new HartFn(context);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hart", hart);
        m.put("disasm", new DisasmFn(hart));
        m.put("dump", new DumpFn(hart));
        m.put("step", new StepFn(hart));
        return m;
    }

    @Override public Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hart", "hart(id) — inspector of a RISC-V hart: regs(), fregs(), csrs(), csr('mstatus'), disasm(addr, n), dump(addr, len), step(n), breakAt(pc), runUntil(pc, max), runUntilInstret(n), instructions(), mips()");
        m.put("disasm", "disasm(addr, n) — disassemble n instructions at a physical address (hart 0)");
        m.put("dump", "dump(addr, len) — hex dump of guest-physical memory");
        m.put("step", "step(n) — execute n instructions on hart 0 (machine paused) and show the next");
        return m;
    }
}
