package io.drydock.riscv;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.drydock.riscv.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** F/D rules with their spec edge cases: fcvt saturation (table 11.4), flags, rounding modes, NaN rules. */
class FpuTest {
    Fpu fpu;

    @BeforeEach
    void setUp() {
        fpu = new Hart(0, new SystemBus(new MetricsRegistry()), () -> 0).fpu;
    }

    static long d(double v) { return Double.doubleToRawLongBits(v); }
    static long s(float v) { return Float.floatToRawIntBits(v) & 0xffff_ffffL; }

    record Cvt(String name, long bits, boolean dbl, int kind, int rm, long expect, int flags) {}

    @TestFactory
    Stream<DynamicTest> fcvtToIntegerSaturatesAndFlags() {
        return Stream.of(
                new Cvt("w.s -3e9 rtz", s(-3e9f), false, 0, RTZ, Integer.MIN_VALUE, NV),
                new Cvt("wu.s -0.9 rtz", s(-0.9f), false, 1, RTZ, 0, NX),
                new Cvt("wu.s -1.0", s(-1f), false, 1, RTZ, 0, NV),
                new Cvt("w.d NaN", d(Double.NaN), true, 0, RNE, Integer.MAX_VALUE, NV),
                new Cvt("wu.d NaN", d(Double.NaN), true, 1, RNE, -1, NV),
                new Cvt("l.d NaN", d(Double.NaN), true, 2, RNE, Long.MAX_VALUE, NV),
                new Cvt("lu.d NaN", d(Double.NaN), true, 3, RNE, -1, NV),
                new Cvt("w.d +inf", d(Double.POSITIVE_INFINITY), true, 0, RNE, Integer.MAX_VALUE, NV),
                new Cvt("w.d -inf", d(Double.NEGATIVE_INFINITY), true, 0, RNE, Integer.MIN_VALUE, NV),
                new Cvt("lu.d -inf", d(Double.NEGATIVE_INFINITY), true, 3, RNE, 0, NV),
                new Cvt("l.d 2^63", d(0x1p63), true, 2, RNE, Long.MAX_VALUE, NV),
                new Cvt("l.d -2^63 exact", d(-0x1p63), true, 2, RNE, Long.MIN_VALUE, 0),
                new Cvt("lu.d 2^64-2048", d(0x1p64 - 2048), true, 3, RNE, 0xffff_ffff_ffff_f800L, 0),
                new Cvt("w.d 2147483647.5 rne rounds up", d(2147483647.5), true, 0, RNE, Integer.MAX_VALUE, NV),
                new Cvt("w.d 2147483647.5 rtz", d(2147483647.5), true, 0, RTZ, Integer.MAX_VALUE, NX),
                new Cvt("wu.d 4294967295 sign-extends", d(4294967295.0), true, 1, RNE, -1, 0),
                new Cvt("w.d 2.5 rne", d(2.5), true, 0, RNE, 2, NX),
                new Cvt("w.d 2.5 rmm", d(2.5), true, 0, RMM, 3, NX),
                new Cvt("w.d -2.5 rmm", d(-2.5), true, 0, RMM, -3, NX),
                new Cvt("w.d -2.5 rdn", d(-2.5), true, 0, RDN, -3, NX),
                new Cvt("w.d -2.5 rup", d(-2.5), true, 0, RUP, -2, NX),
                new Cvt("w.d -0.0 exact", d(-0.0), true, 0, RNE, 0, 0)
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            fpu.fflags = 0;
            assertEquals(c.expect(), fpu.toInt(c.bits(), c.dbl(), c.kind(), c.rm()));
            assertEquals(c.flags(), fpu.fflags);
        }));
    }

    @Test
    void flagsOfArithmetic() {
        fpu.fflags = 0;
        assertEquals(d(0.30000000000000004), fpu.add(d(0.1), d(0.2), true, RNE));
        assertEquals(NX, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(3.0), fpu.add(d(1.0), d(2.0), true, RNE));
        assertEquals(0, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(Double.POSITIVE_INFINITY), fpu.div(d(1.0), d(0.0), true, RNE));
        assertEquals(DZ, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(Fpu.CANON_D, fpu.div(d(0.0), d(0.0), true, RNE));
        assertEquals(NV, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(Double.POSITIVE_INFINITY), fpu.mul(d(Double.MAX_VALUE), d(2.0), true, RNE));
        assertEquals(OF | NX, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(Double.MAX_VALUE), fpu.mul(d(Double.MAX_VALUE), d(2.0), true, RTZ));
        assertEquals(OF | NX, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(Double.MIN_VALUE), fpu.mul(d(Double.MIN_VALUE), d(0.75), true, RNE)); // tiny and inexact
        assertEquals(UF | NX, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(Double.MIN_NORMAL / 2), fpu.mul(d(Double.MIN_NORMAL), d(0.5), true, RNE)); // exact subnormal
        assertEquals(0, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(Fpu.CANON_D, fpu.sqrt(d(-1.0), true, RNE));
        assertEquals(NV, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(-0.0), fpu.sqrt(d(-0.0), true, RNE));
        assertEquals(0, fpu.fflags);
    }

    @Test
    void directedRoundingModes() {
        long third = d(1.0 / 3);
        assertEquals(third, fpu.div(d(1), d(3), true, RNE));
        assertEquals(third, fpu.div(d(1), d(3), true, RTZ));
        assertEquals(third, fpu.div(d(1), d(3), true, RDN));
        assertEquals(d(Math.nextUp(1.0 / 3)), fpu.div(d(1), d(3), true, RUP));
        assertEquals(d(Math.nextDown(-1.0 / 3)), fpu.div(d(-1), d(3), true, RDN));
        assertEquals(d(-0.0), fpu.add(d(1.0), d(-1.0), true, RDN)); // exact zero sum is -0 in RDN
        assertEquals(d(0.0), fpu.add(d(1.0), d(-1.0), true, RNE));
    }

    @Test
    void fmaRoundsOnce() {
        // a·b + c where double rounding of the product would lose the low bits: fma(1+2^-52, 1-2^-52, -1) = -2^-104
        long r = fpu.fma(d(1 + 0x1p-52), d(1 - 0x1p-52), d(-1), false, false, true, RNE);
        assertEquals(d(-0x1p-104), r);
        // single: a product whose float FMA result is a double-rounding trap (midpoint after rounding to double)
        float a = 1 + 0x1p-23f, b = 1 + 0x1p-23f;
        long rs = fpu.fma(s(a), s(b), s(-1f), false, false, false, RNE);
        assertEquals(s((float) Math.fma((double) a, b, -1.0)), rs);
        // ∞·0 + qNaN signals invalid (§11.6)
        fpu.fflags = 0;
        assertEquals(Fpu.CANON_D, fpu.fma(d(Double.POSITIVE_INFINITY), d(0), Fpu.CANON_D, false, false, true, RNE));
        assertEquals(NV, fpu.fflags);
        // fnmadd: −(a·b) − c as one fused operation: exact zero result sign in RDN
        fpu.fflags = 0;
        assertEquals(d(-0.0), fpu.fma(d(1), d(1), d(-1), true, true, true, RDN));
    }

    @Test
    void minMaxSignedZeroAndNaN() {
        assertEquals(d(-0.0), fpu.minMax(d(0.0), d(-0.0), true, false));
        assertEquals(d(0.0), fpu.minMax(d(-0.0), d(0.0), true, true));
        fpu.fflags = 0;
        assertEquals(d(1.0), fpu.minMax(Fpu.CANON_D, d(1.0), true, false));
        assertEquals(0, fpu.fflags);
        assertEquals(d(1.0), fpu.minMax(0x7ff4_0000_0000_0000L, d(1.0), true, true)); // sNaN: the other, with NV
        assertEquals(NV, fpu.fflags);
        assertEquals(Fpu.CANON_D, fpu.minMax(Fpu.CANON_D, 0x7ff8_0000_0000_0001L, true, false));
    }

    @Test
    void comparisonsSignalAsSpecified() {
        fpu.fflags = 0;
        assertEquals(0, fpu.feq(Fpu.CANON_D, d(1), true));
        assertEquals(0, fpu.fflags); // feq is quiet for qNaN
        assertEquals(0, fpu.flt(Fpu.CANON_D, d(1), true, false));
        assertEquals(NV, fpu.fflags); // flt signals for any NaN
    }

    @Test
    void narrowingAndIntegerConversionsRound() {
        fpu.fflags = 0;
        assertEquals(s(Float.MIN_VALUE), fpu.narrow(d(Float.MIN_VALUE * 0.75), RNE));
        assertEquals(UF | NX, fpu.fflags);
        fpu.fflags = 0;
        assertEquals(d(9.223372036854775807E18), fpu.fromInt(Long.MAX_VALUE, true, 2, RNE));
        assertEquals(NX, fpu.fflags);
        assertEquals(d(9.223372036854774784E18), fpu.fromInt(Long.MAX_VALUE, true, 2, RTZ));
        assertEquals(d(0x1p64), fpu.fromInt(-1, true, 3, RNE)); // lu: 2^64-1 rounds up
        assertEquals(s(4294967296f), fpu.fromInt(0xffff_ffffL, false, 1, RNE));
    }

    @Test
    void singlesAreNanBoxed() {
        assertEquals(0x7fc0_0000L, Fpu.canon(false));
        assertEquals(1 << 9, Fpu.classify(0x7fc0_0000L, false));
        assertEquals(1 << 8, Fpu.classify(0x7fa0_0000L, false));
        assertEquals(1 << 5, Fpu.classify(1, false)); // positive subnormal
    }
}
