package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.debug.DebugPoints;
import io.drydock.kernel.debug.DebugStop;
import io.drydock.kernel.machine.Cpu;
import io.drydock.kernel.machine.ExecutionControl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import static io.drydock.riscv.Csr.*;

/**
 * One RV64GC hart (RV64IMAFDC, Zicsr, Zifencei; privileged spec 1.12 with M, S and U modes and Sv39).
 *
 * <p>Threads: {@link #run} executes on the hart's own thread. {@link #setInterrupt} and {@link #wake} may
 * be called from any thread (devices, other harts, timers). Everything else (registers, stepping,
 * {@link #reset}) is for the owning thread or for a caller while the machine is paused.
 *
 * <p>State lives in plain fields: the integer registers in {@link #x} (33 entries; index 32 is the write
 * sink decoded instructions use for rd = x0), FP registers as raw bits in {@link #f}.
 */
public final class Hart implements Cpu {
    /** Instructions per interpreter block between checks of interrupts and stop requests. */
    static final int BLOCK = 8192;

    final int id;
    final SystemBus bus;
    final LongSupplier mtime;
    final long[] x = new long[33];
    final long[] f = new long[32];
    long pc;
    int priv = PRIV_M;
    long instret;
    long cycleBias;
    long resetPc = 0x8000_0000L;

    // CSR state (priv 1.12 ch. 3 and 4)
    long mstatus = XL64, medeleg, mideleg, mie, mtvec, mcounteren, menvcfg, mcountinhibit, mscratch, mepc, mcause, mtval;
    long mipSoft, stvec, scounteren, senvcfg, sscratch, sepc, scause, stval, satp;
    final long[] pmpaddr = new long[16];
    final long[] pmpcfg = new long[2];
    /** mip bits driven by devices: MSIP, MTIP (CLINT), MEIP, SEIP (PLIC). Updated atomically from any thread. */
    private volatile long mipExternal;
    private static final VarHandle MIP_EXTERNAL;
    static {
        try {
            MIP_EXTERNAL = MethodHandles.lookup().findVarHandle(Hart.class, "mipExternal", long.class);
            // the translator's -Ddrydock.jit.* switches are read here, when the first hart is built, so that a
            // bad value stops the machine's build with JitProperty's message, not the hart at its first block
            MethodHandles.lookup().ensureInitialized(Interpreter.class);
            MethodHandles.lookup().ensureInitialized(Region.class);
            MethodHandles.lookup().ensureInitialized(Block.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // the pending synchronous trap, carried by the preallocated signal
    final Trap trap = new Trap();
    int trapCause;
    long trapTval;

    // LR/SC: the reserved physical address (-1: none) and the value LR read (see Mmu.storeConditional)
    long reservation = -1;
    long reservedValue;

    boolean waitingForInterrupt;
    private volatile Thread thread;
    private volatile boolean sleeping;

    final Mmu mmu;
    final Fpu fpu;
    final Interpreter interpreter;

    // debugging (see debugRun): the machine's points, the pc whose breakpoint the next run executes instead of
    // stopping at (the one it stopped at), the watchpoint the last instruction hit, why the last step() ended early
    DebugPoints debug = new DebugPoints();
    private long resumeSkip = -1;
    DebugPoints.Watchpoint watchHit;
    long watchAddress;
    /** Set for the one instruction a run or step resumes at after a watchpoint stopped it, so it can complete. */
    boolean watchSuppressed;
    /** Set during debugRun's fast run: the Mmu ends it at the first fetch from a page with a breakpoint. */
    boolean stopAtBreakpointPages;
    /** Set by the Mmu when that run reached a page with a breakpoint (it ends there, before that page's first instruction). */
    boolean pageBreak;
    /** Instructions the checking path executed one at a time (the cost of breakpoints and watchpoints). */
    long checkedInstructions;
    private DebugStop stepStop;

    public Hart(int id, SystemBus bus, LongSupplier mtime) {
        this.id = id;
        this.bus = bus;
        this.mtime = mtime;
        this.mmu = new Mmu(this);
        this.fpu = new Fpu(this);
        this.interpreter = new Interpreter(this);
        bus.addChangeListener(mmu::requestFlush);
        reset();
    }

    /** Makes this hart check the machine's breakpoints and watchpoints (the board calls this at assembly). */
    public void attachDebug(DebugPoints points) {
        this.debug = points;
        points.onChange(mmu::requestFlush); // watched pages and pages with breakpoints leave the TLBs
        mmu.requestFlush();
    }

    public DebugPoints debugPoints() { return debug; }

    // ---- Cpu ----

    @Override public int id() { return id; }

    @Override public void run(ExecutionControl control) {
        thread = Thread.currentThread();
        try {
            // The loop turns once per interpreter run (~200,000 times in a Linux boot, every system instruction
            // ends a run). Its body is a method of its own, which HotSpot compiles after a few hundred calls; as
            // the body of this one call that lasts the guest's life it waited for 60,000 turns and an OSR
            // compilation behind Interpreter.execute's, and ran in the bytecode interpreter for the first second
            // of a boot (perf: 6 % of the hart thread's samples).
            while (!control.stopRequested()) if (turn(control)) return;
        } finally {
            thread = null;
        }
    }

    /** One turn of {@link #run}: interrupts, WFI, one interpreter run. True when a debug run says to stop. */
    private boolean turn(ExecutionControl control) {
        checkInterrupts();
        if (waitingForInterrupt) {
            // priv 1.12 §3.3.3: WFI resumes when any enabled interrupt is pending (mie & mip), whatever the
            // global enables; a pending-and-enabled one was taken just above.
            if ((mip() & mie) != 0) {
                waitingForInterrupt = false;
            } else {
                sleep(control);
                return false;
            }
        }
        // one volatile read per block; the checking path only while a breakpoint or watchpoint is set
        if (!debug.armed()) {
            interpreter.execute(BLOCK);
            return false;
        }
        return debugRun(control);
    }

    /**
     * The run while breakpoints or watchpoints are set. With breakpoints only, code runs as usual (translated)
     * until it would fetch from a page holding a breakpoint: the Mmu keeps such pages out of its fetch TLB
     * and ends the run there. Then, and always while watchpoints are set, the checking path: up to
     * {@link #BLOCK} instructions one at a time, each pc compared with the breakpoints first and each load
     * and store with the watchpoints (by the Mmu's slow path: watched pages are kept out of the TLBs), until
     * the pc leaves the breakpoints' pages. True when it reported a stop to the machine.
     */
    private boolean debugRun(ExecutionControl control) {
        boolean breakpointsOnly = !debug.hasWatchpoints();
        if (breakpointsOnly) {
            long before = instret;
            pageBreak = false;
            stopAtBreakpointPages = true;
            try {
                interpreter.execute(BLOCK);
            } finally {
                stopAtBreakpointPages = false;
            }
            if (instret != before || pc != resumeSkip) resumeSkip = -1; // the resumed-at instruction is behind
            if (!pageBreak) return false;
            pageBreak = false;
        }
        for (int i = 0; i < BLOCK; i++) {
            if (i > 0) {
                checkInterrupts();
                if (waitingForInterrupt || control.stopRequested()) return false;
                if (breakpointsOnly && !debug.breaksPage(pc >>> 12)) return false; // off those pages: the fast path again
            }
            boolean resuming = pc == resumeSkip;
            resumeSkip = -1;
            if (!resuming && debug.isBreakpoint(pc)) {
                resumeSkip = pc;
                control.debugStop(DebugStop.breakpoint(id, pc));
                return true;
            }
            if (executeWatched(resuming)) {
                resumeSkip = pc;
                control.debugStop(DebugStop.watchpoint(id, pc, watchAddress, watchHit.kind()));
                watchHit = null;
                return true;
            }
        }
        return false;
    }

    /** One instruction; true when a watchpoint stopped it before it took effect (pc stays at it). */
    private boolean executeWatched(boolean suppress) {
        watchHit = null;
        watchSuppressed = suppress;
        checkedInstructions++;
        try {
            interpreter.execute(1);
        } finally {
            watchSuppressed = false;
        }
        return watchHit != null;
    }

    private void sleep(ExecutionControl control) {
        sleeping = true;
        try {
            // Re-check after publishing 'sleeping': wake() between the check and park() unparks us.
            if ((mip() & mie) == 0 && !control.stopRequested()) LockSupport.parkNanos(this, 10_000_000L);
        } finally {
            sleeping = false;
        }
    }

    @Override public void wake() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    @Override public void reset() {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        pc = resetPc;
        priv = PRIV_M;
        instret = 0;
        cycleBias = 0;
        mstatus = XL64;
        medeleg = mideleg = mie = mtvec = mcounteren = menvcfg = mcountinhibit = mscratch = mepc = mcause = mtval = 0;
        mipSoft = stvec = scounteren = senvcfg = sscratch = sepc = scause = stval = satp = 0;
        java.util.Arrays.fill(pmpaddr, 0);
        java.util.Arrays.fill(pmpcfg, 0);
        reservation = -1;
        waitingForInterrupt = false;
        resumeSkip = -1;
        watchHit = null;
        stepStop = null;
        fpu.reset();
        mmu.flushAll();
        mmu.flushCode();
        mmu.contextChanged();
    }

    @Override public long pc() { return pc; }

    @Override public long instructionsRetired() { return instret; }

    @Override public String summary() {
        return String.format("hart %d: pc 0x%016x %s %s, %,d instructions", id, pc, privName(priv),
                sleeping || waitingForInterrupt ? "waiting (wfi)" : "ready", instret);
    }

    static String privName(int p) { return switch (p) { case PRIV_M -> "M"; case PRIV_S -> "S"; default -> "U"; }; }

    // ---- interrupts ----

    /** Sets or clears device-driven mip bits (MSIP, MTIP, MEIP, SEIP); wakes the hart when raising. Any thread. */
    public void setInterrupt(long bits, boolean level) {
        if (level) {
            MIP_EXTERNAL.getAndBitwiseOr(this, bits);
            wake();
        } else {
            MIP_EXTERNAL.getAndBitwiseAnd(this, ~bits);
        }
    }

    long mip() { return mipSoft | mipExternal; }

    /** Takes the highest-priority pending and enabled interrupt, if any (priv 1.12 §3.1.9). */
    boolean checkInterrupts() {
        long pending = mip() & mie;
        if (pending == 0) return false;
        long m = pending & ~mideleg;
        if (m != 0 && (priv < PRIV_M || (mstatus & MIE_BIT) != 0)) {
            takeInterrupt(highest(m));
            return true;
        }
        long s = pending & mideleg;
        if (s != 0 && (priv < PRIV_S || (priv == PRIV_S && (mstatus & SIE_BIT) != 0))) {
            takeInterrupt(highest(s));
            return true;
        }
        return false;
    }

    // priority order MEI, MSI, MTI, SEI, SSI, STI (§3.1.9)
    private static int highest(long bits) {
        if ((bits & MEIP) != 0) return MEI;
        if ((bits & MSIP) != 0) return MSI;
        if ((bits & MTIP) != 0) return MTI;
        if ((bits & SEIP) != 0) return SEI;
        if ((bits & SSIP) != 0) return SSI;
        return STI;
    }

    private void takeInterrupt(int code) {
        waitingForInterrupt = false;
        enterTrap(code, true, 0);
    }

    // ---- synchronous traps ----

    /** Records a synchronous exception and returns the signal to throw. */
    Trap raise(int cause, long tval) {
        trapCause = cause;
        trapTval = tval;
        return trap;
    }

    Trap illegal(long insnBits) { return raise(Trap.ILLEGAL, insnBits & 0xffff_ffffL); }

    /** Takes the recorded synchronous exception with mepc/sepc = pc (the faulting instruction). */
    void takePendingTrap() { enterTrap(trapCause, false, trapTval); }

    /** Trap entry (priv 1.12 §3.1.6.1, §3.1.8, §4.1.1): delegation, xPP/xPIE/xIE, xepc, xcause, xtval, xtvec. */
    void enterTrap(int code, boolean interrupt, long tval) {
        reservation = -1;
        long deleg = interrupt ? mideleg : medeleg;
        long cause = interrupt ? (1L << 63) | code : code;
        if (priv <= PRIV_S && ((deleg >>> code) & 1) != 0) {
            scause = cause;
            sepc = pc;
            stval = tval;
            long s = mstatus & ~(SPP | SPIE | SIE_BIT);
            if ((mstatus & SIE_BIT) != 0) s |= SPIE;
            if (priv == PRIV_S) s |= SPP;
            mstatus = s;
            setPriv(PRIV_S);
            pc = (stvec & 1) != 0 && interrupt ? (stvec & ~3L) + 4L * code : stvec & ~3L;
        } else {
            mcause = cause;
            mepc = pc;
            mtval = tval;
            long s = mstatus & ~(MPP | MPIE | MIE_BIT);
            if ((mstatus & MIE_BIT) != 0) s |= MPIE;
            s |= (long) priv << 11;
            mstatus = s;
            setPriv(PRIV_M);
            pc = (mtvec & 1) != 0 && interrupt ? (mtvec & ~3L) + 4L * code : mtvec & ~3L;
        }
    }

    /** Changes privilege: selects the MMU's TLBs for the new context, flushing nothing (see TlbContexts). */
    void setPriv(int p) {
        priv = p;
        mmu.contextChanged();
    }

    /** mret (priv 1.12 §3.3.2). Sets pc. */
    void mret() {
        int mpp = (int) ((mstatus >>> 11) & 3);
        long s = mstatus & ~(MPP | MIE_BIT);
        if ((mstatus & MPIE) != 0) s |= MIE_BIT;
        s |= MPIE;
        if (mpp != PRIV_M) s &= ~MPRV;
        mstatus = s;
        pc = mepc;
        setPriv(mpp);
    }

    /** sret (§3.3.2); the caller checked TSR. Sets pc. */
    void sret() {
        int spp = (mstatus & SPP) != 0 ? PRIV_S : PRIV_U;
        long s = mstatus & ~(SPP | SIE_BIT | MPRV);
        if ((mstatus & SPIE) != 0) s |= SIE_BIT;
        s |= SPIE;
        mstatus = s;
        pc = sepc;
        setPriv(spp);
    }

    // ---- FP state ----

    boolean fpOff() { return (mstatus & FS) == 0; }

    /** Any FP state write makes FS Dirty (priv 1.12 §3.1.6.6). */
    void fpDirty() { mstatus |= FS_DIRTY; }

    // ---- register views for tools ----

    public long x(int i) { return i == 0 ? 0 : x[i]; }

    public void setX(int i, long v) { if (i != 0) x[i] = v; }

    public long f(int i) { return f[i]; }

    public void setF(int i, long bits) { f[i] = bits; }

    public void setPc(long pc) { this.pc = pc; }

    /** 0 = U, 1 = S, 3 = M. */
    public int privilege() { return priv; }

    /** The address every hart starts at after reset (0x80000000 on the virt board). */
    public void setResetPc(long pc) { this.resetPc = pc; }

    /**
     * Reads a CSR as a debugger would: as M-mode software (no privilege check), and the FP CSRs also while
     * mstatus.FS is Off. Unknown CSRs throw IllegalArgumentException.
     */
    public long csr(int number) {
        int saved = priv;
        priv = PRIV_M;
        try {
            return Csrs.debugRead(this, number);
        } catch (Trap t) {
            throw new IllegalArgumentException("no CSR " + Csr.name(number));
        } finally {
            priv = saved;
        }
    }

    /** Writes a CSR as M-mode software would (WARL rules apply); unknown or read-only CSRs throw IllegalArgumentException. */
    public void setCsr(int number, long value) {
        if ((number >>> 10) == 3) throw new IllegalArgumentException("CSR " + Csr.name(number) + " is read-only");
        int saved = priv;
        priv = PRIV_M;
        try {
            Csrs.write(this, number, value);
        } catch (Trap t) {
            throw new IllegalArgumentException("no CSR " + Csr.name(number));
        } finally {
            setPriv(saved); // recomputes the privilege-dependent MMU state a write to mstatus may have changed
        }
    }

    /** The CSRs a debugger shows (gdb's org.gnu.gdb.riscv.csr feature), in number order. */
    public static int[] debugCsrs() {
        java.util.List<Integer> l = new java.util.ArrayList<>(java.util.List.of(SSTATUS, SIE, STVEC, SCOUNTEREN, SENVCFG,
                SSCRATCH, SEPC, SCAUSE, STVAL, SIP, SATP, MSTATUS, MISA, MEDELEG, MIDELEG, MIE, MTVEC, MCOUNTEREN,
                MENVCFG, MCOUNTINHIBIT, MSCRATCH, MEPC, MCAUSE, MTVAL, MIP, PMPCFG0, PMPCFG0 + 2, MCYCLE, MINSTRET,
                CYCLE, TIME, INSTRET, MVENDORID, MARCHID, MIMPID, MHARTID));
        for (int i = 0; i < 16; i++) l.add(PMPADDR0 + i);
        return l.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public static String csrName(int number) { return Csr.name(number); }

    /**
     * Copies guest memory at virtual {@code va} (as this hart's loads see it, without A/D updates or traps)
     * into {@code dst}. RAM only: device registers are not read, so a debugger causes no device side effects.
     * False when a byte is not mapped to RAM ({@code dst} is then partly filled).
     */
    public boolean debugRead(long va, byte[] dst) {
        for (int i = 0; i < dst.length; i++) {
            RamByte b = ramByte(va + i);
            if (b == null) return false;
            dst[i] = b.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, b.offset());
        }
        return true;
    }

    /** Writes {@code src} to RAM at virtual {@code va} and drops this hart's decoded code. False (nothing written) when a byte is unmapped. */
    public boolean debugWrite(long va, byte[] src) {
        for (int i = 0; i < src.length; i++) if (ramByte(va + i) == null) return false;
        for (int i = 0; i < src.length; i++) {
            RamByte b = ramByte(va + i);
            b.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, b.offset(), src[i]);
        }
        mmu.requestFlush();
        return true;
    }

    private record RamByte(java.lang.foreign.MemorySegment segment, long offset) {}

    private RamByte ramByte(long va) {
        long pa = mmu.debugTranslate(va);
        if (pa == -1) return null;
        if (!(bus.find(pa) instanceof io.drydock.kernel.bus.BusRegion.Ram ram) || !ram.contains(pa, 1)) return null;
        return new RamByte(ram.region().segment(), pa - ram.base());
    }

    /**
     * Executes up to {@code n} instructions on the calling thread (the machine must be paused). Returns the
     * number retired. While breakpoints or watchpoints are set it goes one instruction at a time and ends
     * early at a breakpoint (not at the pc it starts from) or before an access that hits a watchpoint; then
     * {@link #stepStop()} says which.
     */
    public long step(long n) {
        long before = instret;
        stepStop = null;
        boolean checking = debug.armed();
        // each pass retires at least one instruction or takes a trap: n passes bound a trap loop too
        for (long pass = 0; instret - before < n && pass < n; pass++) {
            checkInterrupts();
            if (waitingForInterrupt && (mip() & mie) == 0) break;
            waitingForInterrupt = false;
            if (!checking) {
                interpreter.execute((int) Math.min(BLOCK, n - (instret - before)));
                continue;
            }
            if (pass > 0 && debug.isBreakpoint(pc)) {
                stepStop = DebugStop.breakpoint(id, pc);
                resumeSkip = pc;
                return instret - before;
            }
            // the first instruction may be the one a watchpoint stopped: it completes now
            if (executeWatched(pass == 0 && pc == resumeSkip)) {
                stepStop = DebugStop.watchpoint(id, pc, watchAddress, watchHit.kind());
                watchHit = null;
                resumeSkip = pc;
                return instret - before;
            }
        }
        resumeSkip = -1;
        return instret - before;
    }

    /** Why the last {@link #step} ended before its count (a breakpoint or watchpoint), or null. */
    public DebugStop stepStop() { return stepStop; }
}
