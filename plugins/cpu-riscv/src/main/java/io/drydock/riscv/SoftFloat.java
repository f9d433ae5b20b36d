package io.drydock.riscv;

import java.math.BigInteger;

/**
 * Exact IEEE 754-2008 binary32/binary64 arithmetic on integers: every operation is computed exactly (as a
 * big integer times a power of two, with a sticky bit where the exact value is not finite) and rounded
 * once, in any of the five RISC-V rounding modes, with exact NV/DZ/OF/UF/NX flags. Underflow uses
 * tininess after rounding (unpriv 20191213 §11.2 via IEEE 754 §7.5) and is raised only when inexact.
 *
 * <p>The slow path of {@link Fpu}: used for directed rounding modes and whenever the host's double result
 * cannot prove its own exactness (results near underflow or overflow, FMA, unusual conversions). Operands
 * here are finite (zero allowed); NaNs and infinities are handled by the caller.
 */
final class SoftFloat {
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;

    /** A format: precision p (with the hidden bit), minimum normal exponent, maximum exponent. */
    record Fmt(int p, int emin, int emax, int fracBits, int bias) {}
    static final Fmt F32 = new Fmt(24, -126, 127, 23, 127);
    static final Fmt F64 = new Fmt(53, -1022, 1023, 52, 1023);

    /** An unpacked finite value: (-1)^neg × mag × 2^exp. */
    record Num(boolean neg, BigInteger mag, int exp) {}

    int flags;
    private boolean inexact;

    static Num unpack(long bits, Fmt f) {
        boolean neg;
        long e, frac;
        if (f == F64) {
            neg = bits < 0;
            e = (bits >>> 52) & 0x7ff;
            frac = bits & ((1L << 52) - 1);
        } else {
            neg = ((bits >>> 31) & 1) != 0;
            e = (bits >>> 23) & 0xff;
            frac = bits & ((1L << 23) - 1);
        }
        if (e == 0) return new Num(neg, BigInteger.valueOf(frac), f.emin - f.fracBits);
        return new Num(neg, BigInteger.valueOf(frac | (1L << f.fracBits)), (int) e - f.bias - f.fracBits);
    }

    static long zero(boolean neg, Fmt f) { return neg ? (f == F64 ? Long.MIN_VALUE : 0x8000_0000L) : 0; }

    static long inf(boolean neg, Fmt f) {
        return f == F64 ? (neg ? 0xfff0_0000_0000_0000L : 0x7ff0_0000_0000_0000L) : (neg ? 0xff80_0000L : 0x7f80_0000L);
    }

    static long maxFinite(boolean neg, Fmt f) {
        return f == F64 ? (neg ? 0xffef_ffff_ffff_ffffL : 0x7fef_ffff_ffff_ffffL) : (neg ? 0xff7f_ffffL : 0x7f7f_ffffL);
    }

    /** mag rounded to a multiple of 2^lsb (mag × 2^exp exact input); sets {@link #inexact}. */
    private BigInteger roundTo(boolean neg, BigInteger mag, int exp, int lsb, int rm) {
        int shift = lsb - exp;
        if (shift <= 0) return mag.shiftLeft(-shift);
        BigInteger q = mag.shiftRight(shift);
        BigInteger rem = mag.subtract(q.shiftLeft(shift));
        if (rem.signum() == 0) return q;
        inexact = true;
        int cmp = rem.compareTo(BigInteger.ONE.shiftLeft(shift - 1));
        boolean up = switch (rm) {
            case RNE -> cmp > 0 || (cmp == 0 && q.testBit(0));
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> cmp >= 0; // RMM
        };
        return up ? q.add(BigInteger.ONE) : q;
    }

    /** Rounds (-1)^neg × mag × 2^exp (mag > 0) to the format; returns the bits and accrues flags. */
    long round(boolean neg, BigInteger mag, int exp, Fmt f, int rm) {
        if (mag.signum() == 0) return zero(neg, f);
        int e = exp + mag.bitLength() - 1; // value in [2^e, 2^(e+1))
        boolean tiny;
        if (e >= f.emin) {
            tiny = false;
        } else if (e < f.emin - 1) {
            tiny = true;
        } else {
            // could round up to 2^emin with an unbounded exponent range: tininess is decided after rounding
            BigInteger probe = roundTo(neg, mag, exp, e - f.p + 1, rm);
            tiny = probe.bitLength() <= f.p;
        }
        inexact = false;
        int lsb = Math.max(e - f.p + 1, f.emin - f.p + 1);
        BigInteger q = roundTo(neg, mag, exp, lsb, rm);
        if (q.bitLength() > f.p) { // carried into a new binade (q = 2^p)
            q = q.shiftRight(1);
            lsb++;
        }
        if (inexact) flags |= NX;
        if (inexact && tiny) flags |= UF;
        if (q.signum() == 0) return zero(neg, f);
        int re = lsb + q.bitLength() - 1;
        if (re > f.emax) {
            flags |= OF | NX;
            boolean toInf = switch (rm) {
                case RTZ -> false;
                case RDN -> neg;
                case RUP -> !neg;
                default -> true;
            };
            return toInf ? inf(neg, f) : maxFinite(neg, f);
        }
        long sign = neg ? (f == F64 ? Long.MIN_VALUE : 0x8000_0000L) : 0;
        long m = q.longValue();
        if (q.bitLength() == f.p) {
            long biased = re + f.bias;
            return sign | (biased << f.fracBits) | (m & ((1L << f.fracBits) - 1));
        }
        return sign | m; // subnormal: lsb == emin - p + 1
    }

    // ---- operations on finite operands ----

    long add(Num a, Num b, Fmt f, int rm) {
        int e = Math.min(a.exp, b.exp);
        BigInteger x = a.mag.shiftLeft(a.exp - e), y = b.mag.shiftLeft(b.exp - e);
        if (a.neg) x = x.negate();
        if (b.neg) y = y.negate();
        BigInteger s = x.add(y);
        if (s.signum() == 0) {
            // exact zero sum: -0 only for (-0)+(-0) or in RDN (IEEE 754 §6.3)
            return zero(a.neg == b.neg ? a.neg : rm == RDN, f);
        }
        return round(s.signum() < 0, s.abs(), e, f, rm);
    }

    long mul(Num a, Num b, Fmt f, int rm) {
        return round(a.neg ^ b.neg, a.mag.multiply(b.mag), a.exp + b.exp, f, rm); // a zero product keeps its sign
    }

    /** a × b + c with one rounding. */
    long fma(Num a, Num b, Num c, Fmt f, int rm) {
        return add(new Num(a.neg ^ b.neg, a.mag.multiply(b.mag), a.exp + b.exp), c, f, rm);
    }

    /** a / b, b ≠ 0. */
    long div(Num a, Num b, Fmt f, int rm) {
        boolean neg = a.neg ^ b.neg;
        if (a.mag.signum() == 0) return zero(neg, f);
        int k = Math.max(0, f.p + 3 + b.mag.bitLength() - a.mag.bitLength());
        BigInteger[] qr = a.mag.shiftLeft(k).divideAndRemainder(b.mag);
        BigInteger mag = qr[0].shiftLeft(1).or(qr[1].signum() != 0 ? BigInteger.ONE : BigInteger.ZERO);
        return round(neg, mag, a.exp - b.exp - k - 1, f, rm);
    }

    /** sqrt(a), a ≥ 0 (a = -0 gives -0). */
    long sqrt(Num a, Fmt f, int rm) {
        if (a.mag.signum() == 0) return zero(a.neg, f);
        BigInteger m = a.mag;
        int e = a.exp;
        if ((e & 1) != 0) {
            m = m.shiftLeft(1);
            e -= 1;
        }
        int k = Math.max(0, f.p + 4 - m.bitLength() / 2);
        BigInteger big = m.shiftLeft(2 * k);
        BigInteger s = big.sqrt();
        boolean exact = s.multiply(s).equals(big);
        BigInteger mag = s.shiftLeft(1).or(exact ? BigInteger.ZERO : BigInteger.ONE);
        return round(false, mag, (e - 2 * k) / 2 - 1, f, rm);
    }

    /** An integer (two's complement when signed, else unsigned 64-bit) to the format. */
    long fromLong(long v, boolean unsigned, Fmt f, int rm) {
        if (v == 0) return 0;
        boolean neg = !unsigned && v < 0;
        BigInteger mag = unsigned ? new BigInteger(Long.toUnsignedString(v)) : BigInteger.valueOf(v).abs();
        return round(neg, mag, 0, f, rm);
    }

    /** A finite value of another format, rounded to {@code f}. */
    long convert(Num a, Fmt f, int rm) {
        if (a.mag.signum() == 0) return zero(a.neg, f);
        return round(a.neg, a.mag, a.exp, f, rm);
    }

    // ---- bit-level predicates of the two formats (d: binary64, else binary32 in the low bits) ----

    static boolean isNaN(long v, boolean d) {
        return d ? (v & Long.MAX_VALUE) > 0x7ff0_0000_0000_0000L : (v & 0x7fff_ffffL) > 0x7f80_0000L;
    }

    static boolean isSNaN(long v, boolean d) {
        return isNaN(v, d) && (d ? (v & (1L << 51)) == 0 : (v & (1L << 22)) == 0);
    }

    static boolean isInf(long v, boolean d) {
        return d ? (v & Long.MAX_VALUE) == 0x7ff0_0000_0000_0000L : (v & 0x7fff_ffffL) == 0x7f80_0000L;
    }

    static boolean isZero(long v, boolean d) { return d ? (v & Long.MAX_VALUE) == 0 : (v & 0x7fff_ffffL) == 0; }

    static boolean neg(long v, boolean d) { return d ? v < 0 : ((v >>> 31) & 1) != 0; }

    static long sign(boolean d) { return d ? Long.MIN_VALUE : 0x8000_0000L; }

    static double roundToIntegral(double v, int rm) {
        return switch (rm) {
            case RNE -> Math.rint(v);
            case RTZ -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RDN -> Math.floor(v);
            case RUP -> Math.ceil(v);
            default -> { // RMM: ties away from zero
                double t = v < 0 ? Math.ceil(v) : Math.floor(v);
                yield Math.abs(v - t) >= 0.5 ? t + Math.signum(v) : t;
            }
        };
    }
}
