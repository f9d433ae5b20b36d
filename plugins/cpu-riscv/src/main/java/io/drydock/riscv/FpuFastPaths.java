package io.drydock.riscv;

import static io.drydock.riscv.SoftFloat.NX;
import static io.drydock.riscv.SoftFloat.RNE;

/**
 * The F/D fast paths (unpriv 20191213 ch. 11–12): round-to-nearest-even (static rm 000, or DYN with frm 000,
 * §11.2) with operands and results well inside the normal range, computed with the host's IEEE doubles and
 * their exact flags decided by error-free transforms (TwoSum, FMA residuals). Each method is small so that
 * HotSpot inlines it into a translated block, where the rm field and the register numbers are constants. A
 * method returns false when it declines — a NaN or ∞ operand (its result is NaN or ∞, which the range checks
 * reject), a zero result, a result near underflow or overflow, an inexact product of doubles before NX has
 * accrued, a single FMA on a rounding midpoint — and {@link Fpu} then runs its exact method ({@link SoftFloat}
 * after the special cases), which decides it. These are the only host-double shortcuts of the arithmetic
 * instructions: the interpreter and translated blocks both reach them through {@link Fpu}'s per-instruction
 * methods, so the exact methods do not repeat them.
 */
abstract sealed class FpuFastPaths permits Fpu {
    static final double LO = 0x1p-900, HI = 0x1p900;
    static final float LO_F = 0x1p-120f, HI_F = 0x1p120f;
    static final long BOX = 0xffff_ffff_0000_0000L;

    final Hart h;
    int fflags, frm;

    FpuFastPaths(Hart h) { this.h = h; }

    /** The rounding mode is RNE (§11.2: static 000, or DYN with frm 000) and mstatus.FS is not Off. */
    final boolean rne(int rmField) {
        return (rmField == RNE || rmField == 7 && frm == RNE) && !h.fpOff();
    }

    final double dreg(int r) { return Double.longBitsToDouble(h.f[r]); }

    /** 2^-900 <= |v| <= 2^900: no overflow or underflow nearby; false for 0, NaN and ∞. */
    static boolean normal(double v) {
        double a = Math.abs(v);
        return a >= LO && a <= HI;
    }

    /** Writes a fast result to fd, accrues NX when inexact, marks FS Dirty. */
    final void put(int fd, double r, boolean inexact) {
        if (inexact) fflags |= NX;
        h.f[fd] = Double.doubleToRawLongBits(r);
        h.fpDirty();
    }

    /**
     * A zero sum (FADD/FSUB, and an FMA whose product is exact) is exact: the exact sum of two floating-point numbers is a multiple of the least
     * subnormal, so a nonzero one never rounds to zero; its sign under round-to-nearest is IEEE 754's (§6.3: +0 unless
     * both addends are −0), which the host's addition gives. No flags.
     */
    final boolean zero(int fd, double r) {
        put(fd, r, false);
        return true;
    }

    final boolean zeroS(int fd, float r) {
        putS(fd, r, false);
        return true;
    }

    final boolean addD(int fd, double x, double y) {
        double r = x + y;
        if (r == 0) return zero(fd, r);
        if (!normal(r)) return false;
        double bb = r - x;
        put(fd, r, (x - (r - bb)) + (y - bb) != 0); // TwoSum: r + err = x + y exactly
        return true;
    }

    final boolean mulD(int fd, double x, double y) {
        double r = x * y;
        if (!normal(r)) return false;
        put(fd, r, Math.fma(x, y, -r) != 0); // the product's residual, exact while r is this far from underflow
        return true;
    }

    final boolean divD(int fd, double x, double y) {
        double r = x / y;
        if (!normal(r) || !normal(x) || !normal(y)) return false;
        put(fd, r, Math.fma(r, y, -x) != 0); // exact: the residual of a correctly rounded quotient
        return true;
    }

    final boolean sqrtD(int fd, double x) {
        if (!normal(x) || x < 0) return false;
        double r = Math.sqrt(x);
        put(fd, r, Math.fma(r, r, -x) != 0);
        return true;
    }

    /** With NX accrued already only the value matters, and Math.fma rounds once (RNE); otherwise the product
     *  must be exact so that the FMA is one addition and TwoSum decides NX: a zero factor, or a residual of 0
     *  with the product where the residual cannot underflow (a tiny nonzero product's residual can round to 0). */
    final boolean fmaD(int fd, double x, double y, double z) {
        double r = Math.fma(x, y, z);
        if (r == 0 && (x == 0 || y == 0)) return zero(fd, r); // ±0 · y + ±0: a zero sum of zeros
        if (!normal(r)) return false;
        if ((fflags & NX) != 0) {
            put(fd, r, false);
            return true;
        }
        double p = x * y;
        if ((!normal(p) && x != 0 && y != 0) || Math.fma(x, y, -p) != 0) return false;
        double bb = r - p;
        put(fd, r, (p - (r - bb)) + (z - bb) != 0);
        return true;
    }

    /** A single through NaN-boxing (§12.2), exactly as a double; an improperly boxed one reads as NaN and declines. */
    final double sreg(int r) {
        long v = h.f[r];
        return (v >>> 32) == 0xffff_ffffL ? Float.intBitsToFloat((int) v) : Double.NaN;
    }

    /** 2^-120 <= |v| <= 2^120 for a single result. */
    static boolean normalS(double v) {
        double a = Math.abs(v);
        return a >= LO_F && a <= HI_F;
    }

    final void putS(int fd, float r, boolean inexact) {
        if (inexact) fflags |= NX;
        h.f[fd] = BOX | Float.floatToRawIntBits(r) & 0xffff_ffffL;
        h.fpDirty();
    }

    /** The double sum of two singles, its TwoSum error, then rounded to single (53 >= 2·24 + 2: innocuous). */
    final boolean addS(int fd, double x, double y) {
        double r = x + y, bb = r - x;
        float fr = (float) r;
        if (r == 0) return zeroS(fd, fr);
        if (!normalS(fr)) return false;
        putS(fd, fr, (x - (r - bb)) + (y - bb) != 0 || fr != r);
        return true;
    }

    /** The double product of two singles is exact. */
    final boolean mulS(int fd, double x, double y) {
        double r = x * y;
        float fr = (float) r;
        if (!normalS(fr)) return false;
        putS(fd, fr, fr != r);
        return true;
    }

    final boolean divS(int fd, double x, double y) {
        double r = x / y;
        float fr = (float) r;
        if (!normalS(fr) || !normal(x) || !normal(y)) return false;
        putS(fd, fr, Math.fma(r, y, -x) != 0 || fr != r);
        return true;
    }

    final boolean sqrtS(int fd, double x) {
        if (!normal(x) || x < 0) return false;
        double r = Math.sqrt(x);
        float fr = (float) r;
        putS(fd, fr, Math.fma(r, r, -x) != 0 || fr != r);
        return true;
    }

    /** The product is exact in double, so the FMA is one double addition and TwoSum gives its error; when that
     *  sum is inexact and lands exactly halfway between two singles, rounding it again could err: decline. */
    final boolean fmaS(int fd, double x, double y, double z) {
        double p = x * y, r = p + z, bb = r - p;
        if (r == 0) return zeroS(fd, (float) r); // p is exact, so this is a zero sum of two doubles
        if (!normalS(r)) return false;
        boolean inexact = (p - (r - bb)) + (z - bb) != 0;
        if (inexact && (Double.doubleToRawLongBits(r) & 0x1fff_ffffL) == 0x1000_0000L) return false;
        float fr = (float) r;
        putS(fd, fr, inexact || fr != r);
        return true;
    }
}
