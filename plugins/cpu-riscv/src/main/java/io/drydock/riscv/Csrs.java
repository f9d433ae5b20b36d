package io.drydock.riscv;

import static io.drydock.riscv.Csr.*;

/**
 * CSR reads and writes with their access rules (priv 1.12 §2.1: bits 11:10 = 11 read-only, bits 9:8 the
 * lowest privilege). An access that is not allowed, or to a CSR that does not exist, raises an illegal
 * instruction exception through the hart's {@link Trap}.
 */
final class Csrs {
    private Csrs() {}

    /**
     * Executes a Zicsr instruction (decoded {@code w}) at {@code h.pc} in the interpreter; sets rd. The caller
     * advances pc. True when the access is quiet ({@link #quiet(long)}): the interpreter's run may go on.
     */
    static boolean execute(Hart h, long w) {
        int rs1 = Op.rs1(w);
        h.x[Op.rd(w)] = access(h, w, Op.op(w) >= Op.CSRRWI ? rs1 : h.x[rs1], h.pc, h.instret);
        return quiet(w);
    }

    /**
     * The access of the Zicsr instruction {@code w} at {@code pc} with source operand {@code src} (rs1's value, or
     * the zimm), {@code instret} instructions retired before it; returns the CSR's old value (rd). Its legality —
     * privilege, read-only CSRs, the counter enables, TVM, FS — is decided here, at run time, for the interpreter
     * and translated code alike (a translated block does not know the privilege it runs at). An illegal access
     * throws the hart's illegal-instruction Trap with mtval = the instruction's bits (§3.1.16), fetched only then:
     * fetching them for every CSR instruction was a page-table walk per instruction (docs/speed.md, session 6).
     */
    static long access(Hart h, long w, long src, long pc, long instret) {
        int op = Op.op(w), rs1 = Op.rs1(w), csr = Op.imm(w) & 0xfff;
        int kind = op >= Op.CSRRWI ? op - Op.CSRRWI : op - Op.CSRRW; // 0 write, 1 set, 2 clear
        boolean writes = kind == 0 || rs1 != 0;
        if (h.priv < ((csr >>> 8) & 3)) throw illegal(h, pc);
        if (writes && (csr >>> 10) == 3) throw illegal(h, pc);
        long old;
        try {
            old = read(h, csr, instret);
            if (writes) {
                long base = rmwBase(h, csr, old);
                long v = switch (kind) { case 0 -> src; case 1 -> base | src; default -> base & ~src; };
                write(h, csr, v);
            }
        } catch (Trap t) {
            throw illegal(h, pc); // read and write raise nothing but illegal instruction; mtval = the instruction (§3.1.16)
        }
        return old;
    }

    /**
     * The access {@code w} (a Zicsr instruction) is quiet: it writes nothing (CSRRS/CSRRC with rs1 = x0, their
     * immediate forms with zimm 0: §9.1 "shall not write the CSR"), or only a CSR that no pending-interrupt check,
     * translation context or code page depends on ({@link #quiet(int)}). Decided from the instruction alone, so
     * the translator takes exactly these into a region (Region.form) and ends it before any other; whether the
     * access is legal is left to run time ({@link #access}).
     */
    static boolean quiet(long w) {
        int op = Op.op(w);
        boolean writes = op == Op.CSRRW || op == Op.CSRRWI || Op.rs1(w) != 0;
        return !writes || quiet(Op.imm(w) & 0xfff);
    }

    /**
     * CSRs whose writes need no interrupt check right after them and change no translation: the trap-handling
     * scratch, epc, cause and tval registers and the FP CSRs — what an OS's trap entry and exit write (an FP CSR
     * write sets mstatus.FS to Dirty, which no translation or interrupt depends on). A write of any other
     * (status, ie, ip, satp, delegation, counters, vectors) ends the interpreter's run and a translated region
     * (§3.1.9: an interrupt it enables is taken before the next instruction).
     */
    private static boolean quiet(int csr) {
        return switch (csr) {
            case SSCRATCH, SEPC, SCAUSE, STVAL, MSCRATCH, MEPC, MCAUSE, MTVAL, FFLAGS, FRM, FCSR -> true;
            default -> false;
        };
    }

    private static Trap illegal(Hart h, long pc) { return h.illegal(h.mmu.fetchRaw(pc)); }

    /**
     * The value a CSRRS/CSRRC modifies. For mip and sip it is the software-writable bits only, not the value
     * read (which ORs in the PLIC's SEIP): priv 1.12 §3.1.9 "Only the software-writable SEIP bit participates
     * in the read-modify-write sequence of a CSRRS or CSRRC instruction". Using the read value would latch the
     * PLIC's signal into the software bit, leaving SEIP set after the PLIC has dropped it.
     */
    private static long rmwBase(Hart h, int csr, long old) {
        return switch (csr) {
            case MIP -> (old & ~MIP_WRITABLE) | (h.mipSoft & MIP_WRITABLE);
            case SIP -> (old & ~MIP_WRITABLE) | (h.mipSoft & MIP_WRITABLE & h.mideleg);
            default -> old;
        };
    }

    private static boolean counterAllowed(Hart h, int bit) {
        // priv 1.12 §3.1.11 / §4.1.4: mcounteren gates S and U, scounteren additionally gates U
        if (h.priv == PRIV_M) return true;
        if (((h.mcounteren >>> bit) & 1) == 0) return false;
        return h.priv == PRIV_S || ((h.scounteren >>> bit) & 1) != 0;
    }

    /**
     * A CSR as a debugger sees it (debug spec 0.13.2 §4.9 abstract access): like an M-mode read, except that
     * the FP CSRs stay readable while mstatus.FS is Off, which under Linux is most of the time.
     */
    static long debugRead(Hart h, int csr) {
        return switch (csr) {
            case FFLAGS -> h.fpu.fflags;
            case FRM -> h.fpu.frm;
            case FCSR -> (h.fpu.frm << 5) | h.fpu.fflags;
            default -> read(h, csr);
        };
    }

    static long read(Hart h, int csr) { return read(h, csr, h.instret); }

    /** The CSR's value, {@code instret} instructions retired (the counters'); an illegal read throws the hart's Trap. */
    private static long read(Hart h, int csr, long instret) {
        switch (csr) {
            case FFLAGS: fpCheck(h); return h.fpu.fflags;
            case FRM: fpCheck(h); return h.fpu.frm;
            case FCSR: fpCheck(h); return (h.fpu.frm << 5) | h.fpu.fflags;
            case CYCLE: if (!counterAllowed(h, 0)) throw h.illegal(0); return instret + h.cycleBias;
            case TIME: if (!counterAllowed(h, 1)) throw h.illegal(0); return h.mtime.getAsLong();
            case INSTRET: if (!counterAllowed(h, 2)) throw h.illegal(0); return instret;
            case SSTATUS: return sd(h.mstatus & SSTATUS_MASK);
            case SIE: return h.mie & h.mideleg;
            case STVEC: return h.stvec;
            case SCOUNTEREN: return h.scounteren;
            case SENVCFG: return h.senvcfg;
            case SSCRATCH: return h.sscratch;
            case SEPC: return h.sepc;
            case SCAUSE: return h.scause;
            case STVAL: return h.stval;
            case SIP: return h.mip() & h.mideleg;
            case SATP:
                if (h.priv == PRIV_S && (h.mstatus & TVM) != 0) throw h.illegal(0); // §3.1.6.5
                return h.satp;
            case MVENDORID, MARCHID, MIMPID, MCONFIGPTR: return 0;
            case MHARTID: return h.id;
            case MSTATUS: return sd(h.mstatus);
            case MISA: return MISA_VALUE;
            case MEDELEG: return h.medeleg;
            case MIDELEG: return h.mideleg;
            case MIE: return h.mie;
            case MTVEC: return h.mtvec;
            case MCOUNTEREN: return h.mcounteren;
            case MENVCFG: return h.menvcfg;
            case MCOUNTINHIBIT: return h.mcountinhibit;
            case MSCRATCH: return h.mscratch;
            case MEPC: return h.mepc;
            case MCAUSE: return h.mcause;
            case MTVAL: return h.mtval;
            case MIP: return h.mip();
            case MCYCLE: return instret + h.cycleBias;
            case MINSTRET: return instret;
            case TSELECT, TDATA1, TDATA2, TDATA3, MSECCFG: return 0; // no triggers (tdata1 reads 0: type "none")
            default:
                if (csr == PMPCFG0 || csr == PMPCFG0 + 2) return h.pmpcfg[(csr - PMPCFG0) >> 1];
                if (csr >= PMPADDR0 && csr < PMPADDR0 + 16) return h.pmpaddr[csr - PMPADDR0];
                if (csr >= PMPADDR0 + 16 && csr < PMPADDR0 + 64) return 0;
                if (csr > PMPCFG0 + 2 && csr < PMPCFG0 + 16 && (csr & 1) == 0) return 0; // pmpcfg4.. (entries 16..63 absent)
                if (csr >= 0xB03 && csr <= 0xB1F) return 0;   // mhpmcounter3..31: hard-wired 0
                if (csr >= 0x323 && csr <= 0x33F) return 0;   // mhpmevent3..31
                if (csr >= 0xC03 && csr <= 0xC1F) {
                    if (!counterAllowed(h, csr - 0xC00)) throw h.illegal(0);
                    return 0;
                }
                throw h.illegal(0);
        }
    }

    private static long sd(long status) {
        // SD summarises FS/XS/VS dirty (§3.1.6.6)
        boolean dirty = (status & FS) == FS || (status & XS) == XS;
        return dirty ? status | SD : status & ~SD;
    }

    private static void fpCheck(Hart h) {
        if (h.fpOff()) throw h.illegal(0);
    }

    /** Writes a CSR (WARL rules); an unknown CSR or a satp write under TVM throws the hart's illegal-instruction Trap. */
    static void write(Hart h, int csr, long v) {
        switch (csr) {
            case FFLAGS -> { h.fpu.fflags = (int) v & 0x1f; h.fpDirty(); }
            case FRM -> { h.fpu.frm = (int) v & 7; h.fpDirty(); }
            case FCSR -> { h.fpu.fflags = (int) v & 0x1f; h.fpu.frm = (int) (v >>> 5) & 7; h.fpDirty(); }
            case SSTATUS -> setMstatus(h, (h.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE));
            case SIE -> h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg);
            case STVEC -> h.stvec = tvec(v);
            case SCOUNTEREN -> h.scounteren = v & 0xffff_ffffL;
            case SENVCFG -> h.senvcfg = v & 1;  // FIOM only
            case SSCRATCH -> h.sscratch = v;
            case SEPC -> h.sepc = v & ~1L;
            case SCAUSE -> h.scause = v;
            case STVAL -> h.stval = v;
            case SIP -> { long m = h.mideleg & SSIP; h.mipSoft = (h.mipSoft & ~m) | (v & m); } // only SSIP is writable (§4.1.3)
            case SATP -> {
                if (h.priv == PRIV_S && (h.mstatus & TVM) != 0) throw h.illegal(0);
                long mode = v >>> 60;
                // §4.1.11: a write with an unsupported MODE has no effect. ASIDLEN = 16 (as QEMU 7.2). Writing satp
                // invalidates nothing: the MMU selects the TLBs of the new context (TlbContexts).
                if (mode == 0 || mode == 8) {
                    h.satp = v & ((0xfL << 60) | (0xffffL << 44) | 0xfff_ffff_ffffL);
                    h.mmu.contextChanged();
                }
            }
            case MSTATUS -> setMstatus(h, (h.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE));
            case MISA -> { } // WARL: extensions cannot be switched off
            case MEDELEG -> h.medeleg = v & MEDELEG_WRITABLE;
            case MIDELEG -> h.mideleg = v & S_INTERRUPTS;
            case MIE -> h.mie = v & ALL_INTERRUPTS;
            case MTVEC -> h.mtvec = tvec(v);
            case MCOUNTEREN -> h.mcounteren = v & 0xffff_ffffL;
            case MENVCFG -> h.menvcfg = v & 1;
            case MCOUNTINHIBIT -> h.mcountinhibit = v & 0xffff_fffdL;
            case MSCRATCH -> h.mscratch = v;
            case MEPC -> h.mepc = v & ~1L;
            case MCAUSE -> h.mcause = v;
            case MTVAL -> h.mtval = v;
            case MIP -> h.mipSoft = (h.mipSoft & ~MIP_WRITABLE) | (v & MIP_WRITABLE);
            // The write takes effect after the writing instruction, which itself still retires (§3.3.1):
            // compensate for the increment the interpreter will add.
            case MCYCLE -> h.cycleBias = v - (h.instret + 1);
            case MINSTRET -> { h.cycleBias += h.instret + 1 - v; h.instret = v - 1; }
            case TSELECT, TDATA1, TDATA2, TDATA3, MSECCFG -> { }
            default -> {
                if (csr == PMPCFG0 || csr == PMPCFG0 + 2) {
                    h.pmpcfg[(csr - PMPCFG0) >> 1] = pmpcfg(h.pmpcfg[(csr - PMPCFG0) >> 1], v);
                } else if (csr >= PMPADDR0 && csr < PMPADDR0 + 16) {
                    int e = csr - PMPADDR0;
                    if (!pmpLocked(h, e)) h.pmpaddr[e] = v & ((1L << 54) - 1);
                } else if ((csr >= PMPADDR0 + 16 && csr < PMPADDR0 + 64)
                        || (csr > PMPCFG0 + 2 && csr < PMPCFG0 + 16 && (csr & 1) == 0)
                        || (csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) {
                    // absent PMP entries and hpm counters: read-only zero (WARL)
                } else {
                    throw h.illegal(0);
                }
            }
        }
    }

    private static boolean pmpLocked(Hart h, int entry) {
        long cfg = (h.pmpcfg[entry >> 3] >>> ((entry & 7) * 8)) & 0xff;
        return (cfg & 0x80) != 0;
    }

    /**
     * pmpNcfg bytes (priv 1.12 §3.7.1): WARL. Locked entries keep their value; R=0 W=1 is reserved and is
     * stored as R=W=0. PMP checks themselves are not enforced (every access is allowed, as with no entry
     * matching in M-mode and an all-covering entry below it).
     */
    private static long pmpcfg(long old, long v) {
        long out = 0;
        for (int i = 0; i < 8; i++) {
            long o = (old >>> (i * 8)) & 0xff, n = (v >>> (i * 8)) & 0x9f;
            if ((o & 0x80) != 0) n = o;
            else if ((n & 3) == 2) n &= ~3L;
            out |= n << (i * 8);
        }
        return out;
    }

    private static long tvec(long v) {
        // MODE ≥ 2 is reserved (§3.1.7): keep direct (0) or vectored (1)
        return (v & 1) != 0 ? v & ~2L : v & ~3L;
    }

    private static void setMstatus(Hart h, long v) {
        long mpp = (v >>> 11) & 3;
        if (mpp == 2) v = (v & ~MPP) | (h.mstatus & MPP); // MPP is WARL: 2 is reserved
        h.mstatus = v;
        h.mmu.contextChanged(); // MPRV, MPP, SUM and MXR change which translations apply (§3.1.6.3)
    }
}
