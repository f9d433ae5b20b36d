package io.drydock.riscv;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.bus.SystemBus;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inspection of one hart for the shell and scripts: registers, disassembly, memory dumps, single steps,
 * breakpoints on pc, run-until and instruction rate. Use while the machine is paused (stepping runs the
 * hart on the calling thread); reads go through the system bus at physical addresses.
 */
public final class Inspector {
    private final Hart hart;
    private final SystemBus bus;
    private final Set<Long> breakpoints = new TreeSet<>();
    private long rateInstret = -1, rateNanos;

    public Inspector(Hart hart) {
        this.hart = hart;
        this.bus = hart.bus;
    }

    public Hart hart() { return hart; }

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
    public long csr(Object nameOrNumber) {
        if (nameOrNumber instanceof Number n) return hart.csr(n.intValue());
        String name = nameOrNumber.toString();
        for (int c = 0; c < 0x1000; c++) if (Csr.name(c).equals(name)) return hart.csr(c);
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

    /** {@code n} instructions from physical address {@code addr}. */
    public String disasm(long addr, int n) {
        StringBuilder sb = new StringBuilder();
        long pc = addr;
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
            sb.append(String.format(Locale.ROOT, "%016x: %s  %s%n", pc, c ? String.format("%04x    ", lo) : String.format("%08x", bits),
                    Disassembler.disassemble(pc, bits)));
            pc += c ? 2 : 4;
        }
        return sb.toString();
    }

    /** A hex dump of {@code len} bytes at physical {@code addr}. */
    public String dump(long addr, int len) {
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

    public void breakAt(long pc) { breakpoints.add(pc); }

    public void clearBreak(long pc) { breakpoints.remove(pc); }

    public Set<Long> breakpoints() { return Set.copyOf(breakpoints); }

    /** Executes {@code n} instructions; returns the disassembly of the next one. */
    public String step(long n) {
        hart.step(n);
        return disasm(hart.pc(), 1);
    }

    /**
     * Runs until pc hits a breakpoint or {@code untilPc}, or {@code maxInstructions} retire. Returns why it stopped.
     * Checks pc before every instruction (slow: for debugging).
     */
    public String runUntil(long untilPc, long maxInstructions) {
        long start = hart.instructionsRetired();
        while (hart.instructionsRetired() - start < maxInstructions) {
            hart.step(1);
            long pc = hart.pc();
            if (pc == untilPc) return String.format(Locale.ROOT, "reached 0x%x after %d instructions", pc, hart.instructionsRetired() - start);
            if (breakpoints.contains(pc)) return String.format(Locale.ROOT, "breakpoint 0x%x after %d instructions", pc, hart.instructionsRetired() - start);
        }
        return "stopped after " + maxInstructions + " instructions at 0x" + Long.toHexString(hart.pc());
    }

    /** Runs until {@code instret} reaches {@code target} (full speed between checks of breakpoints is not attempted). */
    public String runUntilInstret(long target) {
        long left = target - hart.instructionsRetired();
        if (left > 0) hart.step(left);
        return "instret " + hart.instructionsRetired() + ", pc 0x" + Long.toHexString(hart.pc());
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
