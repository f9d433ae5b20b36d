package io.drydock.riscv;

import static io.drydock.riscv.SoftFloat.*;

/**
 * The F and D extensions (unpriv 20191213 ch. 11–12) with RISC-V's exact rules: NaN-boxing of singles
 * (§12.2), canonical NaNs (§11.3), static and dynamic rounding modes (§11.2), exact accrued flags,
 * saturating conversions (table 11.4), IEEE 754-2019 minimumNumber/maximumNumber for FMIN/FMAX, and
 * fused multiply-adds rounded once.
 *
 * <p>The arithmetic instructions first try {@link FpuFastPaths}: host IEEE doubles where they are provably
 * exact (round-to-nearest-even, results well inside the normal range, an error-free transform deciding NX),
 * small enough to be inlined into translated blocks. What those decline — directed rounding, results near
 * underflow/overflow, a single FMA on a rounding midpoint — comes to the exact methods here ({@link #add},
 * {@link #mul}, {@link #div}, {@link #sqrt}, {@link #fma}): the special cases of §11.3/§11.6, then
 * {@link SoftFloat}. FCVT.S.D and the integer conversions keep their own exact shortcuts (no fast-path twin).
 */
final class Fpu extends FpuFastPaths {
    static final long CANON_D = 0x7ff8_0000_0000_0000L, CANON_S = 0x7fc0_0000L;
    private final SoftFloat sf = new SoftFloat();

    Fpu(Hart h) { super(h); }

    void reset() {
        fflags = 0;
        frm = 0;
    }

    // ---- operand helpers ----

    /** An operand: raw bits for D; for S the low 32 bits if properly NaN-boxed, else the canonical NaN. */
    private long in(int r, boolean d) {
        long v = h.f[r];
        if (d) return v;
        return (v >>> 32) == 0xffff_ffffL ? v & 0xffff_ffffL : CANON_S;
    }

    private void outF(int rd, long bits, boolean d) {
        h.f[rd] = d ? bits : BOX | (bits & 0xffff_ffffL);
        h.fpDirty();
    }

    static long canon(boolean d) { return d ? CANON_D : CANON_S; }

    private static Fmt fmt(boolean d) { return d ? F64 : F32; }

    private static double dv(long bits, boolean d) {
        return d ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits);
    }

    private int rm(int f3, int insn) {
        int r = f3 == 7 ? frm : f3;
        if (r >= 5) throw h.illegal(insn); // §11.2: 101, 110 reserved; DYN with an invalid frm
        return r;
    }

    private void raise(int flags) {
        if (flags != 0) {
            fflags |= flags;
            h.fpDirty();
        }
    }

    private long slowResult() {
        raise(sf.flags);
        sf.flags = 0;
        return 0;
    }

    // ---- the instructions: rv64gc.insn calls these with the decoded operands (register numbers and the rm field,
    // constants in translated code); insn is the raw instruction, for an illegal-instruction trap's tval ----

    /** mstatus.FS = Off makes every F/D instruction illegal (priv 1.12 §3.1.6.6). */
    private void on(int insn) {
        if (h.fpOff()) throw h.illegal(insn);
    }

    /** {@link #on}, then the rounding mode of the rm field (static, or frm for DYN; reserved ones illegal, §11.2). */
    private int enter(int insn, int rmField) {
        on(insn);
        return rm(rmField, insn);
    }

    // ---- the arithmetic instructions: a fast path (FpuFastPaths) for round-to-nearest-even and operands and
    // results well inside the normal range, else the exact method; S and D are separate entries so that each
    // call site's profile is its own format's ----

    /** FADD.D / FADD.S (§11.6). */
    void faddD(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !addD(fd, dreg(fs1), dreg(fs2))) binaryExact(ADD, insn, rm, fd, fs1, fs2, 1);
    }

    void faddS(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !addS(fd, sreg(fs1), sreg(fs2))) binaryExact(ADD, insn, rm, fd, fs1, fs2, 0);
    }

    /** FSUB: a + (−b); negation flips the sign bit exactly (a NaN stays a NaN and declines). */
    void fsubD(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !addD(fd, dreg(fs1), -dreg(fs2))) binaryExact(SUB, insn, rm, fd, fs1, fs2, 1);
    }

    void fsubS(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !addS(fd, sreg(fs1), -sreg(fs2))) binaryExact(SUB, insn, rm, fd, fs1, fs2, 0);
    }

    void fmulD(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !mulD(fd, dreg(fs1), dreg(fs2))) binaryExact(MUL, insn, rm, fd, fs1, fs2, 1);
    }

    void fmulS(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !mulS(fd, sreg(fs1), sreg(fs2))) binaryExact(MUL, insn, rm, fd, fs1, fs2, 0);
    }

    void fdivD(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !divD(fd, dreg(fs1), dreg(fs2))) binaryExact(DIV, insn, rm, fd, fs1, fs2, 1);
    }

    void fdivS(int insn, int rm, int fd, int fs1, int fs2) {
        if (!rne(rm) || !divS(fd, sreg(fs1), sreg(fs2))) binaryExact(DIV, insn, rm, fd, fs1, fs2, 0);
    }

    void fsqrtD(int insn, int rm, int fd, int fs1) {
        if (!rne(rm) || !sqrtD(fd, dreg(fs1))) fsqrtExact(insn, rm, fd, fs1, 1);
    }

    void fsqrtS(int insn, int rm, int fd, int fs1) {
        if (!rne(rm) || !sqrtS(fd, sreg(fs1))) fsqrtExact(insn, rm, fd, fs1, 0);
    }

    /** FMADD/FMSUB/FNMSUB/FNMADD (§11.6): ±(a·b) ± c rounded once; neg bit 0 negates c, bit 1 the product. */
    void fmaddD(int insn, int rm, int fd, int fs1, int fs2, int fs3, int neg) {
        if (!rne(rm) || !fmaD(fd, (neg & 2) != 0 ? -dreg(fs1) : dreg(fs1), dreg(fs2), (neg & 1) != 0 ? -dreg(fs3) : dreg(fs3)))
            fmaddExact(insn, rm, fd, fs1, fs2, fs3, 1, neg);
    }

    void fmaddS(int insn, int rm, int fd, int fs1, int fs2, int fs3, int neg) {
        if (!rne(rm) || !fmaS(fd, (neg & 2) != 0 ? -sreg(fs1) : sreg(fs1), sreg(fs2), (neg & 1) != 0 ? -sreg(fs3) : sreg(fs3)))
            fmaddExact(insn, rm, fd, fs1, fs2, fs3, 0, neg);
    }

    private static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    /** The exact path of FADD/FSUB/FMUL/FDIV (op one of ADD, SUB, MUL, DIV): the FS and rm checks, then SoftFloat's rules. */
    private void binaryExact(int op, int insn, int rmField, int fd, int fs1, int fs2, int fmt) {
        int r = enter(insn, rmField);
        boolean d = fmt != 0;
        long a = in(fs1, d), b = in(fs2, d);
        outF(fd, switch (op) {
            case SUB -> add(a, b ^ sign(d), d, r);
            case MUL -> mul(a, b, d, r);
            case DIV -> div(a, b, d, r);
            default -> add(a, b, d, r);
        }, d);
    }

    private void fsqrtExact(int insn, int rmField, int fd, int fs1, int fmt) {
        int r = enter(insn, rmField);
        boolean d = fmt != 0;
        outF(fd, sqrt(in(fs1, d), d, r), d);
    }

    private void fmaddExact(int insn, int rmField, int fd, int fs1, int fs2, int fs3, int fmt, int neg) {
        int r = enter(insn, rmField);
        boolean d = fmt != 0;
        outF(fd, fma(in(fs1, d), in(fs2, d), in(fs3, d), (neg & 2) != 0, (neg & 1) != 0, d, r), d);
    }

    /** FSGNJ/FSGNJN/FSGNJX (§11.7, funct3 0/1/2; others do not decode): the sign of b, of ¬b, of a ^ b. */
    void fsgnj(int insn, int f3, int fd, int fs1, int fs2, int fmt) {
        on(insn);
        boolean d = fmt != 0;
        long a = in(fs1, d), b = in(fs2, d), s = sign(d);
        outF(fd, f3 == 0 ? (a & ~s) | (b & s) : f3 == 1 ? (a & ~s) | (~b & s) : a ^ (b & s), d);
    }

    /** FMIN/FMAX (funct3 0/1). */
    void fminmax(int insn, int f3, int fd, int fs1, int fs2, int fmt) {
        on(insn);
        boolean d = fmt != 0;
        outF(fd, minMax(in(fs1, d), in(fs2, d), d, f3 == 1), d);
    }

    /** FEQ (funct3 2, quiet), FLT (1), FLE (0) (§11.8): 1 or 0 for the integer register. */
    long fcmp(int insn, int f3, int fs1, int fs2, int fmt) {
        on(insn);
        boolean d = fmt != 0;
        long a = in(fs1, d), b = in(fs2, d);
        return f3 == 2 ? feq(a, b, d) : flt(a, b, d, f3 == 0);
    }

    /** FCVT.S.D (§12.5): rounded by rm. */
    void fcvtsd(int insn, int rmField, int fd, int fs1) {
        int r = enter(insn, rmField);
        outF(fd, narrow(in(fs1, true), r), false);
    }

    /** FCVT.D.S: exact, but a reserved rm is still illegal. */
    void fcvtds(int insn, int rmField, int fd, int fs1) {
        enter(insn, rmField);
        outF(fd, widen(in(fs1, false)), true);
    }

    /** FCVT.{W,WU,L,LU}.{S,D}: kind is rs2 (0–3). */
    long fcvtToInt(int insn, int rmField, int fs1, int kind, int fmt) {
        int r = enter(insn, rmField);
        boolean d = fmt != 0;
        return toInt(in(fs1, d), d, kind, r);
    }

    /** FCVT.{S,D}.{W,WU,L,LU}: xv is the integer register's value (x0: 0). */
    void fcvtFromInt(int insn, int rmField, int fd, long xv, int kind, int fmt) {
        int r = enter(insn, rmField);
        boolean d = fmt != 0;
        outF(fd, fromInt(xv, d, kind, r), d);
    }

    /** FMV.X.W / FMV.X.D (§11.10, §12.6): the raw bits, W sign-extended; fmt is insn bit 25. */
    long fmvToInt(int insn, int fs1) {
        on(insn);
        long v = h.f[fs1];
        return (insn & 1 << 25) != 0 ? v : (long) (int) v;
    }

    /** FCLASS.S/D (§11.9). */
    long fclass(int insn, int fs1) {
        on(insn);
        boolean d = (insn & 1 << 25) != 0;
        return classify(in(fs1, d), d);
    }

    /** FMV.W.X / FMV.D.X: the raw bits (a single NaN-boxed). */
    void fmvFromInt(int insn, int fd, long xv) {
        on(insn);
        boolean d = (insn & 1 << 25) != 0;
        outF(fd, xv, d);
    }

    // ---- arithmetic ----

    long add(long a, long b, boolean d, int rm) {
        if (isNaN(a, d) || isNaN(b, d)) {
            raise(isSNaN(a, d) || isSNaN(b, d) ? NV : 0);
            return canon(d);
        }
        if (isInf(a, d) || isInf(b, d)) {
            if (isInf(a, d) && isInf(b, d) && neg(a, d) != neg(b, d)) {
                raise(NV);
                return canon(d);
            }
            return isInf(a, d) ? a : b;
        }
        long r = sf.add(SoftFloat.unpack(a, fmt(d)), SoftFloat.unpack(b, fmt(d)), fmt(d), rm);
        slowResult();
        return r;
    }

    long mul(long a, long b, boolean d, int rm) {
        if (isNaN(a, d) || isNaN(b, d)) {
            raise(isSNaN(a, d) || isSNaN(b, d) ? NV : 0);
            return canon(d);
        }
        boolean n = neg(a, d) ^ neg(b, d);
        if (isInf(a, d) || isInf(b, d)) {
            if (isZero(a, d) || isZero(b, d)) {
                raise(NV);
                return canon(d);
            }
            return SoftFloat.inf(n, fmt(d));
        }
        if (isZero(a, d) || isZero(b, d)) return SoftFloat.zero(n, fmt(d));
        long r = sf.mul(SoftFloat.unpack(a, fmt(d)), SoftFloat.unpack(b, fmt(d)), fmt(d), rm);
        slowResult();
        return r;
    }

    long div(long a, long b, boolean d, int rm) {
        if (isNaN(a, d) || isNaN(b, d)) {
            raise(isSNaN(a, d) || isSNaN(b, d) ? NV : 0);
            return canon(d);
        }
        boolean n = neg(a, d) ^ neg(b, d);
        if (isInf(a, d)) {
            if (isInf(b, d)) {
                raise(NV);
                return canon(d);
            }
            return SoftFloat.inf(n, fmt(d));
        }
        if (isInf(b, d)) return SoftFloat.zero(n, fmt(d));
        if (isZero(b, d)) {
            if (isZero(a, d)) {
                raise(NV);
                return canon(d);
            }
            raise(DZ);
            return SoftFloat.inf(n, fmt(d));
        }
        if (isZero(a, d)) return SoftFloat.zero(n, fmt(d));
        long r = sf.div(SoftFloat.unpack(a, fmt(d)), SoftFloat.unpack(b, fmt(d)), fmt(d), rm);
        slowResult();
        return r;
    }

    long sqrt(long a, boolean d, int rm) {
        if (isNaN(a, d)) {
            raise(isSNaN(a, d) ? NV : 0);
            return canon(d);
        }
        if (isZero(a, d)) return a; // sqrt(±0) = ±0
        if (neg(a, d)) {
            raise(NV);
            return canon(d);
        }
        if (isInf(a, d)) return a;
        long r = sf.sqrt(SoftFloat.unpack(a, fmt(d)), fmt(d), rm);
        slowResult();
        return r;
    }

    long fma(long a, long b, long c, boolean negProd, boolean negC, boolean d, int rm) {
        if (negProd) a ^= sign(d);
        if (negC) c ^= sign(d);
        boolean infTimesZero = (isInf(a, d) && isZero(b, d)) || (isZero(a, d) && isInf(b, d));
        if (isNaN(a, d) || isNaN(b, d) || isNaN(c, d)) {
            // §11.6: ∞ × 0 signals invalid even when the addend is a quiet NaN
            raise(isSNaN(a, d) || isSNaN(b, d) || isSNaN(c, d) || infTimesZero ? NV : 0);
            return canon(d);
        }
        if (infTimesZero) {
            raise(NV);
            return canon(d);
        }
        if (isInf(a, d) || isInf(b, d)) {
            boolean pn = neg(a, d) ^ neg(b, d);
            if (isInf(c, d) && neg(c, d) != pn) {
                raise(NV);
                return canon(d);
            }
            return SoftFloat.inf(pn, fmt(d));
        }
        if (isInf(c, d)) return c;
        Fmt f = fmt(d);
        long r = sf.fma(SoftFloat.unpack(a, f), SoftFloat.unpack(b, f), SoftFloat.unpack(c, f), f, rm);
        slowResult();
        return r;
    }

    long minMax(long a, long b, boolean d, boolean max) {
        boolean na = isNaN(a, d), nb = isNaN(b, d);
        if (isSNaN(a, d) || isSNaN(b, d)) raise(NV);
        if (na && nb) return canon(d);
        if (na) return b;
        if (nb) return a;
        double x = dv(a, d), y = dv(b, d);
        if (x < y) return max ? b : a;
        if (y < x) return max ? a : b;
        // equal: only ±0 differ; -0 < +0 (IEEE 754-2019 minimumNumber/maximumNumber)
        return max ? a & b : a | b;
    }

    long feq(long a, long b, boolean d) {
        if (isNaN(a, d) || isNaN(b, d)) {
            raise(isSNaN(a, d) || isSNaN(b, d) ? NV : 0); // quiet comparison (§11.8)
            return 0;
        }
        return dv(a, d) == dv(b, d) ? 1 : 0;
    }

    long flt(long a, long b, boolean d, boolean orEqual) {
        if (isNaN(a, d) || isNaN(b, d)) {
            raise(NV); // signaling comparisons
            return 0;
        }
        double x = dv(a, d), y = dv(b, d);
        return (orEqual ? x <= y : x < y) ? 1 : 0;
    }

    static long classify(long v, boolean d) {
        boolean n = neg(v, d);
        if (isNaN(v, d)) return isSNaN(v, d) ? 1 << 8 : 1 << 9;
        if (isInf(v, d)) return n ? 1 : 1 << 7;
        if (isZero(v, d)) return n ? 1 << 3 : 1 << 4;
        long exp = d ? (v >>> 52) & 0x7ff : (v >>> 23) & 0xff;
        if (exp == 0) return n ? 1 << 2 : 1 << 5;
        return n ? 1 << 1 : 1 << 6;
    }

    // ---- conversions ----

    long widen(long s) {
        if (isNaN(s, false)) {
            raise(isSNaN(s, false) ? NV : 0);
            return CANON_D;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat((int) s)); // exact
    }

    long narrow(long dbits, int rm) {
        if (isNaN(dbits, true)) {
            raise(isSNaN(dbits, true) ? NV : 0);
            return CANON_S;
        }
        double v = Double.longBitsToDouble(dbits);
        if (Double.isInfinite(v) || v == 0) return Float.floatToRawIntBits((float) v) & 0xffff_ffffL;
        if (rm == RNE) {
            float fv = (float) v;
            float af = Math.abs(fv);
            if (af >= Float.MIN_NORMAL && af <= Float.MAX_VALUE) {
                raise(fv != v ? NX : 0);
                return Float.floatToRawIntBits(fv) & 0xffff_ffffL;
            }
        }
        long r = sf.convert(SoftFloat.unpack(dbits, F64), F32, rm);
        slowResult();
        return r;
    }

    /** FCVT.{W,WU,L,LU}.{S,D} (table 11.4): saturating, NV for NaN and out-of-range, NX when rounded. */
    long toInt(long bits, boolean d, int kind, int rm) {
        final double two63 = 0x1p63, two64 = 0x1p64;
        if (isNaN(bits, d)) {
            raise(NV);
            return switch (kind) { case 0 -> Integer.MAX_VALUE; case 1 -> -1L; case 2 -> Long.MAX_VALUE; default -> -1L; };
        }
        double v = dv(bits, d);
        double r = roundToIntegral(v, rm); // the range check applies to the rounded value
        long out;
        switch (kind) {
            case 0 -> {
                if (r > Integer.MAX_VALUE) { raise(NV); return Integer.MAX_VALUE; }
                if (r < Integer.MIN_VALUE) { raise(NV); return Integer.MIN_VALUE; }
                out = (long) r;
            }
            case 1 -> {
                if (r < 0) { raise(NV); return 0; }
                if (r > 0xffff_ffffL) { raise(NV); return -1L; } // 2^32 - 1 sign-extended
                out = (int) (long) r; // W results are sign-extended on RV64
            }
            case 2 -> {
                if (r >= two63) { raise(NV); return Long.MAX_VALUE; }
                if (r < -two63) { raise(NV); return Long.MIN_VALUE; }
                out = (long) r;
            }
            default -> {
                if (r < 0) { raise(NV); return 0; }
                if (r >= two64) { raise(NV); return -1L; }
                out = r >= two63 ? (long) (r - two63) ^ Long.MIN_VALUE : (long) r;
            }
        }
        if (r != v) raise(NX);
        return out;
    }

    /** FCVT.{S,D}.{W,WU,L,LU}. */
    long fromInt(long xv, boolean d, int kind, int rm) {
        boolean unsigned = kind == 1 || kind == 3;
        long v = switch (kind) { case 0 -> (int) xv; case 1 -> xv & 0xffff_ffffL; default -> xv; };
        Fmt f = fmt(d);
        if (!(unsigned && v < 0)) {
            long m = Math.abs(v); // Long.MIN_VALUE stays negative but is 2^63: one significant bit
            int span = m == 0 ? 0 : 64 - Long.numberOfLeadingZeros(m) - Long.numberOfTrailingZeros(m);
            if (span <= f.p()) {
                return d ? Double.doubleToRawLongBits((double) v) : Float.floatToRawIntBits((float) v) & 0xffff_ffffL;
            }
        }
        long r = sf.fromLong(v, unsigned, f, rm);
        slowResult();
        return r;
    }
}
