package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.drydock.riscv.SoftFloat.NX;
import static io.drydock.riscv.SoftFloat.RNE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host-double fast paths (FpuFastPaths, the only ones of FADD/FSUB/FMUL/FDIV/FSQRT/FMADD) against Fpu's
 * exact methods (the special cases, then SoftFloat): whenever a fast path takes an operation, its result bits
 * and accrued flags are the exact method's, for doubles and NaN-boxed singles (§12.2), from a clean fflags and
 * from one with NX already accrued. Operands mix random bit patterns, values near the fast paths' range limits,
 * small integers (exact results), zeros, subnormals, ∞ and NaNs.
 */
class FpuFastPathsTest {
    static final int N = 40_000;
    final Fpu fpu = new Hart(0, new SystemBus(new MetricsRegistry()), () -> 0).fpu;
    final Random r = new Random(0xf9);
    int taken;

    double anyD() {
        return switch (r.nextInt(8)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());
            case 1 -> Math.scalb(1 + r.nextDouble(), r.nextInt(1900) - 950) * (r.nextBoolean() ? 1 : -1);
            case 2 -> r.nextInt(2001) - 1000;
            case 3 -> new double[]{0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                    Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 0x1p-900, 0x1p900}[r.nextInt(10)];
            case 4 -> (r.nextInt(1 << 20) - (1 << 19)) * 0x1p-10; // short significands: exact products and sums
            default -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(80) - 40);
        };
    }

    float anyS() {
        return switch (r.nextInt(8)) {
            case 0 -> Float.intBitsToFloat(r.nextInt());
            case 1 -> Math.scalb(1 + r.nextFloat(), r.nextInt(260) - 130) * (r.nextBoolean() ? 1 : -1);
            case 2 -> r.nextInt(2001) - 1000;
            case 3 -> new float[]{0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                    Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 0x1p-120f, 0x1p120f}[r.nextInt(10)];
            case 4 -> (r.nextInt(1 << 12) - (1 << 11)) * 0x1p-6f;
            default -> Math.scalb(r.nextFloat() - 0.5f, r.nextInt(40) - 20);
        };
    }

    static long d(double v) { return Double.doubleToRawLongBits(v); }
    static long s(float v) { return Float.floatToRawIntBits(v) & 0xffff_ffffL; }

    interface Fast { boolean run(double x, double y, double z); }
    interface Exact { long run(long a, long b, long c); }

    /** One operation in one format: if the fast path takes it, the exact method must give the same bits and flags. */
    void check(String name, boolean dbl, Fast fast, Exact exact) {
        for (int i = 0; i < N; i++) {
            long a, b, c;
            if (dbl) { a = d(anyD()); b = d(anyD()); c = d(anyD()); }
            else { a = s(anyS()); b = s(anyS()); c = s(anyS()); }
            int before = r.nextInt(4) == 0 ? NX : 0;
            fpu.fflags = before;
            fpu.h.f[1] = dbl ? a : FpuFastPaths.BOX | a;
            fpu.h.f[2] = dbl ? b : FpuFastPaths.BOX | b;
            fpu.h.f[3] = dbl ? c : FpuFastPaths.BOX | c;
            double x = dbl ? fpu.dreg(1) : fpu.sreg(1), y = dbl ? fpu.dreg(2) : fpu.sreg(2), z = dbl ? fpu.dreg(3) : fpu.sreg(3);
            if (!fast.run(x, y, z)) continue;
            taken++;
            long got = fpu.h.f[0];
            int gotFlags = fpu.fflags;
            fpu.fflags = before;
            long want = exact.run(a, b, c);
            String what = String.format("%s %x %x %x (fflags before %d)", name, a, b, c, before);
            assertEquals(dbl ? want : FpuFastPaths.BOX | want, got, what);
            assertEquals(fpu.fflags, gotFlags, what + ": fflags");
        }
    }

    @Test
    void fastPathsAgreeWithTheExactMethods() {
        check("fadd.d", true, (x, y, z) -> fpu.addD(0, x, y), (a, b, c) -> fpu.add(a, b, true, RNE));
        check("fadd.s", false, (x, y, z) -> fpu.addS(0, x, y), (a, b, c) -> fpu.add(a, b, false, RNE));
        check("fmul.d", true, (x, y, z) -> fpu.mulD(0, x, y), (a, b, c) -> fpu.mul(a, b, true, RNE));
        check("fmul.s", false, (x, y, z) -> fpu.mulS(0, x, y), (a, b, c) -> fpu.mul(a, b, false, RNE));
        check("fdiv.d", true, (x, y, z) -> fpu.divD(0, x, y), (a, b, c) -> fpu.div(a, b, true, RNE));
        check("fdiv.s", false, (x, y, z) -> fpu.divS(0, x, y), (a, b, c) -> fpu.div(a, b, false, RNE));
        check("fsqrt.d", true, (x, y, z) -> fpu.sqrtD(0, x), (a, b, c) -> fpu.sqrt(a, true, RNE));
        check("fsqrt.s", false, (x, y, z) -> fpu.sqrtS(0, x), (a, b, c) -> fpu.sqrt(a, false, RNE));
        check("fmadd.d", true, (x, y, z) -> fpu.fmaD(0, x, y, z), (a, b, c) -> fpu.fma(a, b, c, false, false, true, RNE));
        check("fmadd.s", false, (x, y, z) -> fpu.fmaS(0, x, y, z), (a, b, c) -> fpu.fma(a, b, c, false, false, false, RNE));
        assertTrue(taken > N, "the fast paths took " + taken + " of " + 10 * N + " operations");
    }

    @Test
    void aZeroFactorStaysOnTheFastPath() {
        fpu.fflags = 0;
        assertTrue(fpu.fmaD(0, 0.0, 3.5, 1.25));
        assertEquals(d(1.25), fpu.h.f[0]);
        assertEquals(0, fpu.fflags);
        assertTrue(fpu.fmaD(0, -7.0, -0.0, -2.0));
        assertEquals(d(-2.0), fpu.h.f[0]);
        assertEquals(0, fpu.fflags);
    }

    /** Zero sums (x + −x, x − x, ±0 + ±0, subnormals and normals; FMAs with an exact product) are taken, with the exact method's sign and no flags. */
    @Test
    void zeroSumsStayOnTheFastPathWithTheExactSign() {
        double[] ds = {0.0, -0.0, 1.5, -1.5, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 0x1p-1000, -3.0e-310};
        for (double x : ds) for (double y : new double[]{-x, x == 0 ? x : -x, 0.0, -0.0}) {
            if (x + y != 0) continue;
            fpu.fflags = 0;
            assertTrue(fpu.addD(0, x, y));
            assertEquals(fpu.add(d(x), d(y), true, RNE), fpu.h.f[0], x + " + " + y);
            assertEquals(0, fpu.fflags);
            float fx = (float) x, fy = (float) y;
            if (Float.isInfinite(fx) || fx + fy != 0) continue;
            assertTrue(fpu.addS(0, fx, fy));
            assertEquals(FpuFastPaths.BOX | fpu.add(s(fx), s(fy), false, RNE), fpu.h.f[0], fx + " + " + fy);
            assertEquals(0, fpu.fflags);
        }
        // FMAs with a zero result: a zero factor (D and S), and an exact single product cancelled by the addend
        double[][] fmas = {{0.0, 3.5, -0.0}, {-0.0, 3.5, -0.0}, {-0.0, -2.0, 0.0}, {0.0, -1.0, -0.0}, {1.5, 2.0, -3.0},
                {-1.5, 2.0, 3.0}, {0x1p-70, 0x1p-70, -0x1p-140}, {3.0, 0x1p-149, -0x3p-149}};
        for (double[] v : fmas) {
            float fx = (float) v[0], fy = (float) v[1], fz = (float) v[2];
            fpu.fflags = 0;
            assertTrue(fpu.fmaS(0, fx, fy, fz));
            assertEquals(FpuFastPaths.BOX | fpu.fma(s(fx), s(fy), s(fz), false, false, false, RNE), fpu.h.f[0], java.util.Arrays.toString(v));
            assertEquals(0, fpu.fflags);
            if (v[0] != 0 && v[1] != 0) continue;
            assertTrue(fpu.fmaD(0, v[0], v[1], v[2]));
            assertEquals(fpu.fma(d(v[0]), d(v[1]), d(v[2]), false, false, true, RNE), fpu.h.f[0], java.util.Arrays.toString(v));
            assertEquals(0, fpu.fflags);
        }
    }
}
