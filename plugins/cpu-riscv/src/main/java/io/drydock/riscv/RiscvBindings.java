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
 * {@code dump(addr, len)}, {@code step(n)}; each also takes a machine first ({@code hart(m2, 0)},
 * {@code disasm(m2, addr, n)}) to look at another than the current one. Pause the machine first.
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
            return call(m, id);
        }

        /** {@code hart(m2, 0)}: a hart of a given machine. */
        public Inspector call(Machine m, int id) {
            Cpu c = ctx.machine(m).cpu(id);
            if (!(c instanceof Hart h)) throw new IllegalStateException("cpu " + id + " is not a RISC-V hart");
            return new Inspector(h, m);
        }

        public Inspector call() { return call(0); }

        public Inspector call(Machine m) { return call(m, 0); }
    }

    public static final class DisasmFn {
        private final HartFn hart;
        DisasmFn(HartFn hart) { this.hart = hart; }
        public String call(Object where, int n) { return hart.call(0).disasm(where, n); }
        public String call(Object where) { return call(where, 16); }
        public String call() { return hart.call(0).disasm(); }
        public String call(Machine m, Object where, int n) { return hart.call(m, 0).disasm(where, n); }
        public String call(Machine m, Object where) { return call(m, where, 16); }
        public String call(Machine m) { return hart.call(m, 0).disasm(); }
    }

    public static final class DumpFn {
        private final HartFn hart;
        DumpFn(HartFn hart) { this.hart = hart; }
        public String call(Object where, int len) { return hart.call(0).dump(where, len); }
        public String call(Machine m, Object where, int len) { return hart.call(m, 0).dump(where, len); }
    }

    public static final class StepFn {
        private final HartFn hart;
        StepFn(HartFn hart) { this.hart = hart; }
        public String call(long n) { return hart.call(0).step(n); }
        public String call() { return call(1); }
        public String call(Machine m, long n) { return hart.call(m, 0).step(n); }
        public String call(Machine m) { return call(m, 1); }
    }

    /** {@code breakAt 'main'}: a breakpoint of the current machine (all harts, gdb's too). */
    public static final class BreakFn {
        private final HartFn hart;
        BreakFn(HartFn hart) { this.hart = hart; }
        public Value call(Object where) { return hart.call(0).breakAt(where); }
        public java.util.List<Value> call() { return hart.call(0).breakpoints(); }
        public Value call(Machine m, Object where) { return hart.call(m, 0).breakAt(where); }
    }

    /** {@code watch 'counter'}: a write watchpoint of the current machine; {@code watch 'x', 4, 'access'}. */
    public static final class WatchFn {
        private final HartFn hart;
        WatchFn(HartFn hart) { this.hart = hart; }
        public Object call(Object where) { return hart.call(0).watch(where); }
        public Object call(Object where, int len, String kind) { return hart.call(0).watch(where, len, kind); }
        public Object call() { return hart.call(0).points(); }
        public Object call(Machine m, Object where) { return hart.call(m, 0).watch(where); }
        public Object call(Machine m, Object where, int len, String kind) { return hart.call(m, 0).watch(where, len, kind); }
    }

    @Override public Map<String, Object> bindings(ShellContext context) {
        HartFn hart = new HartFn(context);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hart", hart);
        m.put("disasm", new DisasmFn(hart));
        m.put("dump", new DumpFn(hart));
        m.put("step", new StepFn(hart));
        m.put("breakAt", new BreakFn(hart));
        m.put("watch", new WatchFn(hart));
        return m;
    }

    @Override public Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hart", "hart(id), hart(m, id) — inspector of a RISC-V hart: pc(), x('a0'), regs(), fregs(), csrs(), csr('mstatus'), disasm(addr, n), dump(addr, len), step(n), breakAt('main'), clearBreak(pc), breakpoints(), watch('var'), points(), runUntil(pc, max), runUntilInstret(n), instructions(), mips()");
        m.put("disasm", "disasm([m,] addr or 'symbol', n) — disassemble n instructions with <symbol+offset> (hart 0; no argument: at pc)");
        m.put("dump", "dump([m,] addr or 'symbol', len) — hex dump of guest-physical memory");
        m.put("step", "step([m,] n) — execute n instructions on hart 0 (booted, not running: pause() first) and show the next");
        m.put("breakAt", "breakAt([m,] 'main') (or an address) — a breakpoint of the machine, kept across boot/run/reset, shared with gdb; breakAt() lists them");
        m.put("watch", "watch([m,] 'var' [, len, 'write'|'read'|'access']) — a watchpoint of the machine; the hart stops before the access; watch() lists all");
        return m;
    }
}
