package io.drydock.riscv;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.debug.DebugPoints.WatchKind;
import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineState;

import java.util.List;
import java.util.Locale;

/**
 * Inspection of one hart for the shell and scripts: registers, disassembly with symbols, memory dumps,
 * single steps, breakpoints and watchpoints, run-until and instruction rate. Breakpoints and watchpoints
 * are the machine's ({@link Machine#debug()}): the same ones gdb sees, kept across boot, run and reset.
 * Anything that takes an address takes a symbol of the machine's ELF too ({@code breakAt 'main'}).
 * Stepping runs the hart on the calling thread, so it needs a booted machine that is not running;
 * memory is read through the system bus at physical addresses.
 */
public final class Inspector {
    private final Hart hart;
    private final SystemBus bus;
    private final Machine machine;
    private final Symbols symbols;
    private long rateInstret = -1, rateNanos;

    /** An inspector of a bare hart (no machine: no symbols, stepping unchecked). */
    public Inspector(Hart hart) { this(hart, null); }

    public Inspector(Hart hart, Machine machine) {
        this.hart = hart;
        this.bus = hart.bus;
        this.machine = machine;
        this.symbols = Symbols.of(machine);
    }

    public Hart hart() { return hart; }

    /** The program counter, with its symbol. */
    public Value pc() { return new Value("pc", hart.pc(), symbolOrNull(hart.pc())); }

    /** An integer register by number or ABI name ("a0"). */
    public Value x(Object numberOrName) {
        int i = -1;
        if (numberOrName instanceof Number n) i = n.intValue();
        else for (int k = 0; k < 32; k++) if (Disassembler.X[k].equals(String.valueOf(numberOrName))) i = k;
        if (i < 0 || i > 31) throw new IllegalArgumentException("no integer register " + numberOrName + " (x0..x31 or zero, ra, sp, ..., t6)");
        return new Value(Disassembler.X[i], hart.x(i), null);
    }

    private String symbolOrNull(long a) {
        String s = symbols.near(a);
        return s.isEmpty() ? null : s;
    }

    @Override public String toString() {
        DebugPoints p = hart.debugPoints();
        String state = machine == null ? "" : " of machine '" + machine.name() + "' (" + machine.state() + ")";
        return String.format(Locale.ROOT, "hart %d%s: pc 0x%x%s, %s-mode, %,d instructions; %d breakpoint(s), %d watchpoint(s)"
                        + " — regs(), csrs(), disasm(), step(n), breakAt('func'), watch('var')",
                hart.id, state, hart.pc(), symbols.near(hart.pc()), Hart.privName(hart.privilege()), hart.instructionsRetired(),
                p.breakpoints().size(), p.watchpoints().size());
    }

    /** Integer registers with ABI names, pc and privilege. */
    public String regs() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "pc   %016x  priv %s%n", hart.pc(), Hart.privName(hart.privilege())));
        for (int i = 0; i < 32; i++) {
            sb.append(String.format(Locale.ROOT, "%-4s %016x%s", Disassembler.X[i], hart.x(i), i % 4 == 3 ? "\n" : "  "));
        }
        return sb.toString();
    }

    /** FP registers as raw bits and as doubles. */
    public String fregs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            long v = hart.f(i);
            sb.append(String.format(Locale.ROOT, "%-5s %016x %-24s%s", Disassembler.F[i], v, Double.longBitsToDouble(v), i % 2 == 1 ? "\n" : "  "));
        }
        return sb.toString();
    }

    /** A CSR by name ("mstatus") or number. */
    public Value csr(Object nameOrNumber) {
        if (nameOrNumber instanceof Number n) return new Value(Csr.name(n.intValue()), hart.csr(n.intValue()), null);
        String name = nameOrNumber.toString();
        for (int c = 0; c < 0x1000; c++) if (Csr.name(c).equals(name)) return new Value(name, hart.csr(c), null);
        throw new IllegalArgumentException("no CSR named " + name);
    }

    /** The main machine-mode and supervisor CSRs. */
    public String csrs() {
        int[] list = {Csr.MSTATUS, Csr.MISA, Csr.MEDELEG, Csr.MIDELEG, Csr.MIE, Csr.MIP, Csr.MTVEC, Csr.MEPC, Csr.MCAUSE,
                Csr.MTVAL, Csr.MSCRATCH, Csr.STVEC, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.SATP, Csr.FCSR, Csr.MINSTRET};
        StringBuilder sb = new StringBuilder();
        boolean fsOff = (hart.csr(Csr.MSTATUS) & Csr.FS) == 0;
        for (int c : list) {
            sb.append(String.format(Locale.ROOT, "%-9s %016x%s%n", Csr.name(c), hart.csr(c),
                    c == Csr.FCSR && fsOff ? "  (mstatus.FS Off)" : ""));
        }
        return sb.toString();
    }

    /** 8 instructions from pc. */
    public String disasm() { return disasm(hart.pc(), 8); }

    /** {@code n} instructions from physical address (or symbol) {@code where}, each address with its {@code <symbol+off>}. */
    public String disasm(Object where, int n) {
        StringBuilder sb = new StringBuilder();
        long pc = symbols.address(where);
        for (int k = 0; k < n; k++) {
            int lo;
            try {
                lo = (int) bus.read(pc, 2);
            } catch (BusFault e) {
                sb.append(String.format(Locale.ROOT, "%016x: <not readable>%n", pc));
                break;
            }
            boolean c = Decoder.isCompressed(lo);
            int bits = c ? lo : lo | ((int) bus.read(pc + 2, 2) << 16);
            sb.append(String.format(Locale.ROOT, "%016x%s: %s  %s%n", pc, symbols.near(pc),
                    c ? String.format("%04x    ", lo) : String.format("%08x", bits), Disassembler.disassemble(pc, bits)));
            pc += c ? 2 : 4;
        }
        return sb.toString();
    }

    /** A hex dump of {@code len} bytes at physical address (or symbol) {@code where}. */
    public String dump(Object where, int len) {
        long addr = symbols.address(where);
        StringBuilder sb = new StringBuilder();
        for (long a = addr; a < addr + len; a += 16) {
            sb.append(String.format(Locale.ROOT, "%016x:", a));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16 && a + i < addr + len; i++) {
                int b = (int) bus.read(a + i, 1);
                sb.append(String.format(" %02x", b));
                ascii.append(b >= 32 && b < 127 ? (char) b : '.');
            }
            sb.append("  ").append(ascii).append('\n');
        }
        return sb.toString();
    }

    /** Sets a machine breakpoint at an address or symbol; returns it as set. */
    public Value breakAt(Object where) {
        long a = symbols.address(where);
        hart.debugPoints().addBreakpoint(a);
        return new Value("breakpoint", a, symbolOrNull(a));
    }

    public Value clearBreak(Object where) {
        long a = symbols.address(where);
        if (!hart.debugPoints().removeBreakpoint(a)) throw new IllegalArgumentException(String.format("no breakpoint at 0x%x", a));
        return new Value("cleared", a, symbolOrNull(a));
    }

    /** The machine's breakpoints, in hex with their symbols. */
    public List<Value> breakpoints() {
        return hart.debugPoints().breakpoints().stream().map(a -> new Value(null, a, symbolOrNull(a))).toList();
    }

    /** A write watchpoint on a variable (its symbol's size, else 8 bytes) or address. */
    public DebugPoints.Watchpoint watch(Object where) { return watch(where, 0, "write"); }

    /** A watchpoint of {@code len} bytes (0: the symbol's size, else 8); kind "write", "read" or "access". */
    public DebugPoints.Watchpoint watch(Object where, int len, String kind) {
        long a = symbols.address(where);
        int n = len > 0 ? len : where instanceof String s && symbols.size(s) > 0 ? (int) Math.min(4096, symbols.size(s)) : 8;
        WatchKind k = switch (kind) {
            case "write" -> WatchKind.WRITE;
            case "read" -> WatchKind.READ;
            case "access" -> WatchKind.ACCESS;
            default -> throw new IllegalArgumentException("watch kind must be write, read or access, was " + kind);
        };
        DebugPoints.Watchpoint w = new DebugPoints.Watchpoint(a, n, k);
        hart.debugPoints().addWatchpoint(w);
        return w;
    }

    /** Every breakpoint and watchpoint of the machine (gdb's included). */
    public DebugPoints points() { return hart.debugPoints(); }

    /**
     * Executes {@code n} instructions (fewer at a breakpoint or before a watched access); returns why it
     * stopped early, if it did, and the disassembly of the next instruction.
     */
    public String step(long n) {
        checkSteppable();
        hart.step(n);
        DebugStop why = hart.stepStop();
        return (why == null ? "" : why + symbols.near(why.pc()) + "\n") + disasm(hart.pc(), 1);
    }

    /** Stepping runs the hart on this thread: the machine must have booted (or powered on) and must not be running. */
    private void checkSteppable() {
        if (machine == null) return;
        if (!machine.poweredOn()) {
            throw new IllegalStateException("machine '" + machine.name() + "' has not booted, so there is nothing to step: "
                    + "powerOn() loads it and stops at the first instruction; boot() runs it");
        }
        if (machine.state() == MachineState.RUNNING) {
            throw new IllegalStateException("machine '" + machine.name() + "' is running: pause() it first, then step");
        }
    }

    /**
     * Runs until pc hits a breakpoint or {@code untilPc}, or {@code maxInstructions} retire. Returns why it stopped.
     * Checks pc before every instruction (slow: for debugging).
     */
    public String runUntil(Object until, long maxInstructions) {
        checkSteppable();
        long untilPc = symbols.address(until);
        long start = hart.instructionsRetired();
        while (hart.instructionsRetired() - start < maxInstructions) {
            hart.step(1);
            long pc = hart.pc();
            long done = hart.instructionsRetired() - start;
            if (pc == untilPc) return String.format(Locale.ROOT, "reached 0x%x%s after %d instructions", pc, symbols.near(pc), done);
            DebugStop why = hart.stepStop() != null ? hart.stepStop()
                    : hart.debugPoints().isBreakpoint(pc) ? DebugStop.breakpoint(hart.id, pc) : null; // step(1) never stops at a breakpoint itself
            if (why != null) return String.format(Locale.ROOT, "%s%s after %d instructions", why, symbols.near(pc), done);
        }
        return String.format(Locale.ROOT, "stopped after %d instructions at 0x%x%s", maxInstructions, hart.pc(), symbols.near(hart.pc()));
    }

    /** Runs until {@code instret} reaches {@code target} (full speed between checks of breakpoints is not attempted). */
    public String runUntilInstret(long target) {
        checkSteppable();
        long left = target - hart.instructionsRetired();
        if (left > 0) hart.step(left);
        return String.format(Locale.ROOT, "instret %d, pc 0x%x%s", hart.instructionsRetired(), hart.pc(), symbols.near(hart.pc()));
    }

    public long instructions() { return hart.instructionsRetired(); }

    /** Guest MIPS since the previous call (the first call starts the measurement and returns 0). */
    public double mips() {
        long now = System.nanoTime(), n = hart.instructionsRetired();
        double r = rateInstret < 0 ? 0 : (n - rateInstret) / ((now - rateNanos) / 1e3);
        rateInstret = n;
        rateNanos = now;
        return r;
    }
}
