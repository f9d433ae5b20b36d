package io.drydock.riscv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;

import io.drydock.kernel.memory.RamAccess;

import static io.drydock.riscv.Mmu.LE16;
import static io.drydock.riscv.Mmu.LE32;
import static io.drydock.riscv.Mmu.LE64;
import static io.drydock.riscv.Mmu.TLB_MASK;
import static io.drydock.riscv.Op.*;

/**
 * The execution loop: fetches pre-decoded instructions from the current code page and dispatches on their
 * op number. Designed for HotSpot: one int switch, pc and the retired count in locals, loads and stores
 * inlined as a TLB compare plus one segment access, and no allocation or exception on the hot path —
 * synchronous exceptions are a preallocated {@link Trap} caught once per block. Instructions that change
 * privilege, translation or interrupt state (CSR writes, xRET, ECALL, WFI, fences) end the block, so the
 * hart re-checks interrupts right after them.
 *
 * <p>Each case advances pc by a constant (separate cases for compressed forms, see {@link Op#C}): a pc
 * increment computed from the loaded instruction word would chain every fetch to the previous load and
 * cost about a fifth of the throughput. Leaving a code page sequentially lands on a PAGE_END slot; only
 * jumps and taken branches check the page.
 *
 * <p>The hot method must stay below HotSpot's 8000-byte limit for compilation (-XX:-DontCompileHugeMethods
 * is not assumed): FP, CSR and system instructions live in other methods.
 */
final class Interpreter {
    private final Hart h;
    private final long[] x;
    private final Mmu mmu;
    /** The current translation context's load and store TLBs (re-bound by the Mmu when the context changes). */
    private long[] lTag, sTag, lAdd, sAdd;
    private MemorySegment[] lSeg, sSeg;
    /**
     * Entries at a block boundary before it is translated ({@code -Ddrydock.jit.hot=N}, 1–30000, default 1000).
     * Translating a block and HotSpot's compiling of it cost about a millisecond of CPU, the time to interpret
     * some 10^5 guest instructions, so a block must run often to repay it: at 32 a Linux boot translated 7,900
     * blocks and HotSpot's compiler threads used more CPU than the hart (README, "Speed"). Loops reach 1000
     * entries within microseconds, so steady-state code is translated all the same. The module's tests use 32.
     */
    static final int HOT = Math.clamp(Integer.getInteger("drydock.jit.hot", 1000), 1, 30000);
    /**
     * The entries that count towards {@link #HOT} are those within one window of 2^WINDOW retired instructions
     * ({@code -Ddrydock.jit.window=N}, 10–63, default 20 = 1,048,576; 63 is off): each code page's counts go
     * back to 0 when the hart comes to it in a later window ({@link CodePage#inWindow}). A block is translated
     * when it runs often, not when it has run often: a loop takes its 1000 entries within one window, while code
     * that an operating system runs now and then over its whole life (a Linux boot's) never repays its
     * translation and compilation (README, "Speed").
     */
    static final int WINDOW = Math.clamp(Integer.getInteger("drydock.jit.window", 20), 10, 63);

    static {
        // C2 compiles a call into a class not yet initialised as a trap that throws the whole compiled execute
        // away when it is first reached (JFR jdk.Deoptimization, reason "unloaded"): a Linux boot's first C2
        // compilation of execute, 0.5 s of compiler CPU, was dropped at OpenSBI's first MUL, and the hart ran in
        // the bytecode interpreter until the next one. The classes its cases call are initialised up front.
        try {
            for (Class<?> c : new Class<?>[] {MulDiv.class, SystemOps.class, Csrs.class}) MethodHandles.lookup().ensureInitialized(c);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e); // same package
        }
    }
    /** Set by a translated block's exception handler: the pc of the instruction that threw. */
    long trapPc;
    /** Set by a translated block leaving by an exit with no successor linked: the block and the exit's slot (Block.next). */
    Block linkFrom;
    int linkExit;
    /** Set by a translated block on the way out: instructions retired (before the trapping one, on a trap). */
    int ran;

    Interpreter(Hart h) {
        this.h = h;
        this.x = h.x;
        this.mmu = h.mmu;
        bindTlbs();
    }

    /** Called by the Mmu after it switched translation context, between blocks. */
    void bindTlbs() {
        lTag = mmu.lTag;
        sTag = mmu.sTag;
        lAdd = mmu.lAdd;
        sAdd = mmu.sAdd;
        lSeg = mmu.lSeg;
        sSeg = mmu.sSeg;
    }

    // ---- inline memory access: TLB hit → one segment access; miss → Mmu ----

    long ld64(long va) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (lTag[i] == va >>> 12 && (va & 0xfff) <= 4088) return lSeg[i].get(LE64, va + lAdd[i]);
        return mmu.load(va, 8);
    }

    int ld32(long va) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (lTag[i] == va >>> 12 && (va & 0xfff) <= 4092) return lSeg[i].get(LE32, va + lAdd[i]);
        return (int) mmu.load(va, 4);
    }

    int ld16(long va) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (lTag[i] == va >>> 12 && (va & 0xfff) <= 4094) return lSeg[i].get(LE16, va + lAdd[i]);
        return (int) mmu.load(va, 2);
    }

    int ld8(long va) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (lTag[i] == va >>> 12) return lSeg[i].get(ValueLayout.JAVA_BYTE, va + lAdd[i]);
        return (int) mmu.load(va, 1);
    }

    void st64(long va, long v) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (sTag[i] == va >>> 12 && (va & 0xfff) <= 4088) sSeg[i].set(LE64, va + sAdd[i], v);
        else mmu.store(va, 8, v);
    }

    void st32(long va, int v) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (sTag[i] == va >>> 12 && (va & 0xfff) <= 4092) sSeg[i].set(LE32, va + sAdd[i], v);
        else mmu.store(va, 4, v);
    }

    void st16(long va, int v) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (sTag[i] == va >>> 12 && (va & 0xfff) <= 4094) sSeg[i].set(LE16, va + sAdd[i], (short) v);
        else mmu.store(va, 2, v);
    }

    void st8(long va, int v) {
        int i = (int) (va >>> 12) & TLB_MASK;
        if (sTag[i] == va >>> 12) sSeg[i].set(ValueLayout.JAVA_BYTE, va + sAdd[i], (byte) v);
        else mmu.store(va, 1, v);
    }

    /**
     * Runs up to {@code budget} instructions (fewer when a block-ending instruction or a trap occurs) and
     * adds the retired ones to the hart's count.
     */
    void execute(int budget) {
        mmu.checkFlush();
        final long[] x = this.x;
        long pc = h.pc;
        int n = 0;
        CodePage page;
        long[] code;
        long base = pc & ~0xfffL;
        Block running = null;
        long runBase = -1; // the virtual page the last block ran on (its chained successors are on it too)
        try {
            page = mmu.codePage(pc);
            code = page.ops;
            // Each pass of the outer loop starts at a block boundary (entry, a taken jump or branch, or the end of
            // a block): run the translated block there, or count the entry and interpret up to the next jump.
            outer:
            while (n < budget) {
                Block from = linkFrom;
                linkFrom = null;
                if ((pc - base) >>> 12 != 0) { page = mmu.codePage(pc); code = page.ops; base = pc & ~0xfffL; }
                int entry = (int) (pc - base) >>> 1;
                if (entry < 2048) {
                    Block b = page.blocks[entry];
                    if (b == null) {
                        short heat = page.heat[entry];
                        if (++heat >= HOT) {
                            b = page.blocks[entry] = Translator.translate(mmu, page, pc);
                            if (b == null) heat = CodePage.NEVER;
                        }
                        page.heat[entry] = heat;
                    }
                    // the last block's exit leads here on its own virtual page: from now on it calls b directly
                    if (b != null && from != null && base == runBase) from.next[linkExit] = b;
                    if (b != null && n + b.length <= budget) {
                        running = b;
                        runBase = base;
                        pc = b.run(this, x, pc, budget - n, 0);
                        running = null;
                        n += ran;
                        continue;
                    }
                }
                // Straight-line code needs no page check per instruction: leaving the page sequentially lands on a
                // PAGE_END sentinel slot; jumps go back to the outer loop, which checks the page.
                while (n < budget) {
                int slot = (int) (pc - base) >>> 1;
                long w = code[slot];
                if ((w & 0x1fe) == 0) {
                    if (w == 0) w = code[slot] = mmu.decode(pc);
                    if (op(w) == CROSS) w = mmu.decodeCross(pc);
                }
                int rd = rd(w);
                switch (dispatch(w)) {
                    case LUI -> { x[rd] = imm(w); pc += 4; }
                    case C + LUI -> { x[rd] = imm(w); pc += 2; }
                    case AUIPC -> { x[rd] = pc + imm(w); pc += 4; }
                    case LI -> { x[rd] = imm(w); pc += 4; }
                    case C + LI -> { x[rd] = imm(w); pc += 2; }
                    case MV -> { x[rd] = x[rs2(w)]; pc += 4; }
                    case C + MV -> { x[rd] = x[rs2(w)]; pc += 2; }
                    case JAL -> {
                        x[rd] = pc + 4;
                        pc += imm(w);
                        n++;
                        continue outer;
                    }
                    case JALR -> {
                        long t = (x[rs1(w)] + imm(w)) & ~1L;
                        x[rd] = pc + 4;
                        pc = t;
                        n++;
                        continue outer;
                    }
                    case C + JAL -> {
                        x[rd] = pc + 2;
                        pc += imm(w);
                        n++;
                        continue outer;
                    }
                    case C + JALR -> {
                        long t = (x[rs1(w)] + imm(w)) & ~1L;
                        x[rd] = pc + 2;
                        pc = t;
                        n++;
                        continue outer;
                    }
                    case PAGE_END -> {
                        continue outer;
                    }
                    case BEQ -> { if (x[rs1(w)] == x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case C + BEQ -> { if (x[rs1(w)] == x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 2; }
                    case BNE -> { if (x[rs1(w)] != x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case C + BNE -> { if (x[rs1(w)] != x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 2; }
                    case BLT -> { if (x[rs1(w)] < x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case BGE -> { if (x[rs1(w)] >= x[rs2(w)]) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case BLTU -> { if (x[rs1(w)] + Long.MIN_VALUE < x[rs2(w)] + Long.MIN_VALUE) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case BGEU -> { if (x[rs1(w)] + Long.MIN_VALUE >= x[rs2(w)] + Long.MIN_VALUE) { pc += imm(w); n++; continue outer; } pc += 4; }
                    case LB -> { x[rd] = (byte) ld8(x[rs1(w)] + imm(w)); pc += 4; }
                    case LH -> { x[rd] = (short) ld16(x[rs1(w)] + imm(w)); pc += 4; }
                    case LW -> { x[rd] = ld32(x[rs1(w)] + imm(w)); pc += 4; }
                    case C + LW -> { x[rd] = ld32(x[rs1(w)] + imm(w)); pc += 2; }
                    case LD -> { x[rd] = ld64(x[rs1(w)] + imm(w)); pc += 4; }
                    case C + LD -> { x[rd] = ld64(x[rs1(w)] + imm(w)); pc += 2; }
                    case LBU -> { x[rd] = ld8(x[rs1(w)] + imm(w)) & 0xffL; pc += 4; }
                    case LHU -> { x[rd] = ld16(x[rs1(w)] + imm(w)) & 0xffffL; pc += 4; }
                    case LWU -> { x[rd] = ld32(x[rs1(w)] + imm(w)) & 0xffff_ffffL; pc += 4; }
                    case SB -> { st8(x[rs1(w)] + imm(w), (int) x[rs2(w)]); pc += 4; }
                    case SH -> { st16(x[rs1(w)] + imm(w), (int) x[rs2(w)]); pc += 4; }
                    case SW -> { st32(x[rs1(w)] + imm(w), (int) x[rs2(w)]); pc += 4; }
                    case C + SW -> { st32(x[rs1(w)] + imm(w), (int) x[rs2(w)]); pc += 2; }
                    case SD -> { st64(x[rs1(w)] + imm(w), x[rs2(w)]); pc += 4; }
                    case C + SD -> { st64(x[rs1(w)] + imm(w), x[rs2(w)]); pc += 2; }
                    case ADDI -> { x[rd] = x[rs1(w)] + imm(w); pc += 4; }
                    case C + ADDI -> { x[rd] = x[rs1(w)] + imm(w); pc += 2; }
                    case SLTI -> { x[rd] = x[rs1(w)] < imm(w) ? 1 : 0; pc += 4; }
                    case SLTIU -> { x[rd] = x[rs1(w)] + Long.MIN_VALUE < (long) imm(w) + Long.MIN_VALUE ? 1 : 0; pc += 4; } // unsigned compare
                    case XORI -> { x[rd] = x[rs1(w)] ^ imm(w); pc += 4; }
                    case ORI -> { x[rd] = x[rs1(w)] | imm(w); pc += 4; }
                    case ANDI -> { x[rd] = x[rs1(w)] & imm(w); pc += 4; }
                    case C + ANDI -> { x[rd] = x[rs1(w)] & imm(w); pc += 2; }
                    case SLLI -> { x[rd] = x[rs1(w)] << imm(w); pc += 4; }
                    case C + SLLI -> { x[rd] = x[rs1(w)] << imm(w); pc += 2; }
                    case SRLI -> { x[rd] = x[rs1(w)] >>> imm(w); pc += 4; }
                    case C + SRLI -> { x[rd] = x[rs1(w)] >>> imm(w); pc += 2; }
                    case SRAI -> { x[rd] = x[rs1(w)] >> imm(w); pc += 4; }
                    case C + SRAI -> { x[rd] = x[rs1(w)] >> imm(w); pc += 2; }
                    case ADD -> { x[rd] = x[rs1(w)] + x[rs2(w)]; pc += 4; }
                    case C + ADD -> { x[rd] = x[rs1(w)] + x[rs2(w)]; pc += 2; }
                    case SUB -> { x[rd] = x[rs1(w)] - x[rs2(w)]; pc += 4; }
                    case C + SUB -> { x[rd] = x[rs1(w)] - x[rs2(w)]; pc += 2; }
                    case SLL -> { x[rd] = x[rs1(w)] << x[rs2(w)]; pc += 4; }
                    case SLT -> { x[rd] = x[rs1(w)] < x[rs2(w)] ? 1 : 0; pc += 4; }
                    case SLTU -> { x[rd] = x[rs1(w)] + Long.MIN_VALUE < x[rs2(w)] + Long.MIN_VALUE ? 1 : 0; pc += 4; }
                    case XOR -> { x[rd] = x[rs1(w)] ^ x[rs2(w)]; pc += 4; }
                    case C + XOR -> { x[rd] = x[rs1(w)] ^ x[rs2(w)]; pc += 2; }
                    case SRL -> { x[rd] = x[rs1(w)] >>> x[rs2(w)]; pc += 4; }
                    case SRA -> { x[rd] = x[rs1(w)] >> x[rs2(w)]; pc += 4; }
                    case OR -> { x[rd] = x[rs1(w)] | x[rs2(w)]; pc += 4; }
                    case C + OR -> { x[rd] = x[rs1(w)] | x[rs2(w)]; pc += 2; }
                    case AND -> { x[rd] = x[rs1(w)] & x[rs2(w)]; pc += 4; }
                    case C + AND -> { x[rd] = x[rs1(w)] & x[rs2(w)]; pc += 2; }
                    // RV64I W-ops compute on the low 32 bits and sign-extend the result (unpriv §5.2)
                    case ADDIW -> { x[rd] = (int) (x[rs1(w)] + imm(w)); pc += 4; }
                    case C + ADDIW -> { x[rd] = (int) (x[rs1(w)] + imm(w)); pc += 2; }
                    case SLLIW -> { x[rd] = (int) x[rs1(w)] << imm(w); pc += 4; }
                    case SRLIW -> { x[rd] = (int) x[rs1(w)] >>> imm(w); pc += 4; }
                    case SRAIW -> { x[rd] = (int) x[rs1(w)] >> imm(w); pc += 4; }
                    case ADDW -> { x[rd] = (int) (x[rs1(w)] + x[rs2(w)]); pc += 4; }
                    case C + ADDW -> { x[rd] = (int) (x[rs1(w)] + x[rs2(w)]); pc += 2; }
                    case SUBW -> { x[rd] = (int) (x[rs1(w)] - x[rs2(w)]); pc += 4; }
                    case C + SUBW -> { x[rd] = (int) (x[rs1(w)] - x[rs2(w)]); pc += 2; }
                    case SLLW -> { x[rd] = (int) x[rs1(w)] << (int) x[rs2(w)]; pc += 4; }
                    case SRLW -> { x[rd] = (int) x[rs1(w)] >>> (int) x[rs2(w)]; pc += 4; }
                    case SRAW -> { x[rd] = (int) x[rs1(w)] >> (int) x[rs2(w)]; pc += 4; }
                    case MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, MULW, DIVW, DIVUW, REMW, REMUW -> {
                        x[rd] = MulDiv.execute(op(w), x[rs1(w)], x[rs2(w)]);
                        pc += 4;
                    }
                    case FLW -> { fpCheck(w, pc); h.f[rd] = 0xffff_ffff_0000_0000L | (ld32(x[rs1(w)] + imm(w)) & 0xffff_ffffL); h.fpDirty(); pc += 4; }
                    case FLD -> { fpCheck(w, pc); h.f[rd] = ld64(x[rs1(w)] + imm(w)); h.fpDirty(); pc += 4; }
                    case C + FLD -> { fpCheck(w, pc); h.f[rd] = ld64(x[rs1(w)] + imm(w)); h.fpDirty(); pc += 2; }
                    case FSW -> { fpCheck(w, pc); st32(x[rs1(w)] + imm(w), (int) h.f[rs2(w)]); pc += 4; }
                    case FSD -> { fpCheck(w, pc); st64(x[rs1(w)] + imm(w), h.f[rs2(w)]); pc += 4; }
                    case C + FSD -> { fpCheck(w, pc); st64(x[rs1(w)] + imm(w), h.f[rs2(w)]); pc += 2; }
                    case FP -> { h.fpu.execute(imm(w)); pc += 4; }
                    case LR_W -> { x[rd] = mmu.loadReserved(x[rs1(w)], 4); pc += 4; }
                    case LR_D -> { x[rd] = mmu.loadReserved(x[rs1(w)], 8); pc += 4; }
                    case SC_W -> { x[rd] = mmu.storeConditional(x[rs1(w)], 4, x[rs2(w)]); pc += 4; }
                    case SC_D -> { x[rd] = mmu.storeConditional(x[rs1(w)], 8, x[rs2(w)]); pc += 4; }
                    case AMO_W -> { x[rd] = (int) mmu.amo(x[rs1(w)], 4, imm(w), x[rs2(w)]); pc += 4; }
                    case AMO_D -> { x[rd] = mmu.amo(x[rs1(w)], 8, imm(w), x[rs2(w)]); pc += 4; }
                    case FENCE -> pc += 4;
                    case ILLEGAL, C + ILLEGAL -> throw h.illegal(imm(w));
                    default -> {
                        // system instructions: executed with the hart's state in its fields, then the block ends
                        h.pc = pc;
                        h.instret += n;
                        n = 0;
                        SystemOps.execute(h, w);
                        return;
                    }
                }
                n++;
                }
            }
            h.pc = pc;
            h.instret += n;
        } catch (Trap t) {
            if (running != null) { pc = trapPc; n += ran; }
            h.pc = pc;
            h.instret += n;
            // else a watchpoint stopped the instruction (Mmu.watch), or the run reached a page with a breakpoint (Mmu.codePage)
            if (h.watchHit == null && !h.pageBreak) h.takePendingTrap();
        } catch (RuntimeException | InternalError e) {
            if (running != null) { pc = trapPc; n += ran; }
            h.pc = pc;
            h.instret += n;
            // Only a failed access to guest RAM is the guest's business (RamAccess says which throwables are);
            // anything else — a translator bug, "not a system op" — stops the hart with pc at the instruction.
            RamAccess.Failure f = RamAccess.failure(e);
            if (f == null) throw e;
            if (f == RamAccess.Failure.UNMAPPED && mmu.flushPending()) {
                // the region was unmapped under a cached translation: the next block drops the caches and the
                // instruction runs again, against the new memory map
                return;
            }
            // a SIGBUS on a DAX window page past the end of its truncated host file, a closed region still mapped,
            // or a write to a read-only mapping: the guest gets an access fault (tval 0, priv 1.12 §3.1.16)
            h.raise(faultingAccess(pc), 0);
            h.takePendingTrap();
        }
    }

    /** The access fault for the instruction at {@code pc}: store/AMO, load, or fetch when its bits are unreadable. */
    private int faultingAccess(long pc) {
        int raw;
        try {
            raw = mmu.fetchRaw(pc);
        } catch (RuntimeException | InternalError e) {
            if (!(e instanceof Trap) && RamAccess.failure(e) == null) throw e;
            return Trap.INSN_ACCESS; // the instruction's own page is gone too
        }
        if (Decoder.isCompressed(raw)) {
            int quadrant = raw & 3, funct3 = (raw >>> 13) & 7;
            return (quadrant == 0 || quadrant == 2) && funct3 >= 5 ? Trap.STORE_ACCESS : Trap.LOAD_ACCESS; // C.FSD/SW/SD, C.FSDSP/SWSP/SDSP
        }
        int opcode = raw & 0x7f;
        boolean lr = opcode == 0x2f && (raw >>> 27) == 0b00010;
        return opcode == 0x23 || opcode == 0x27 || (opcode == 0x2f && !lr) ? Trap.STORE_ACCESS : Trap.LOAD_ACCESS;
    }

    /** An F/D load, store or operation from a translated block (the same as the interpreter's cases). */
    void fpStep(long w, long pc) {
        final long[] x = this.x;
        int rd = rd(w);
        switch (op(w)) {
            case FLW -> { fpCheck(w, pc); h.f[rd] = 0xffff_ffff_0000_0000L | (ld32(x[rs1(w)] + imm(w)) & 0xffff_ffffL); h.fpDirty(); }
            case FLD -> { fpCheck(w, pc); h.f[rd] = ld64(x[rs1(w)] + imm(w)); h.fpDirty(); }
            case FSW -> { fpCheck(w, pc); st32(x[rs1(w)] + imm(w), (int) h.f[rs2(w)]); }
            case FSD -> { fpCheck(w, pc); st64(x[rs1(w)] + imm(w), h.f[rs2(w)]); }
            default -> h.fpu.execute(imm(w));
        }
    }

    private void fpCheck(long w, long pc) {
        if (h.fpOff()) throw h.illegal(mmu.fetchRaw(pc));
    }
}
