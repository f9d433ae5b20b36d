package io.drydock.riscv;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-instruction tests on a bare hart over 64 KiB of RAM at 0x80000000: integer edge cases, atomics, traps. */
class HartTest extends BareHartTest {
    /** Loads the words at BASE, sets x1 and x2, runs them, returns x3. */
    long run(long a, long b, int... words) {
        for (int k = 0; k < words.length; k++) bus.write(BASE + 4L * k, 4, words[k]);
        h.reset();
        h.setX(1, a);
        h.setX(2, b);
        h.step(words.length);
        return h.x(3);
    }

    record Case(String name, int insn, long a, long b, long expect) {}

    static final long MIN = Long.MIN_VALUE;

    @TestFactory
    Stream<DynamicTest> integerEdgeCases() {
        return edgeCases().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertEquals(c.expect(), run(c.a(), c.b(), c.insn()))));
    }

    /** One instruction x3 = f(x1, x2) each; also run inside translated blocks by TranslatorTest. */
    static Stream<Case> edgeCases() {
        return Stream.of(
                new Case("div by zero", op(1, 4, 3, 1, 2), 7, 0, -1),
                new Case("divu by zero", op(1, 5, 3, 1, 2), 7, 0, -1),
                new Case("rem by zero", op(1, 6, 3, 1, 2), 7, 0, 7),
                new Case("remu by zero", op(1, 7, 3, 1, 2), -7, 0, -7),
                new Case("div overflow", op(1, 4, 3, 1, 2), MIN, -1, MIN),
                new Case("rem overflow", op(1, 6, 3, 1, 2), MIN, -1, 0),
                new Case("divw overflow", op32(1, 4, 3, 1, 2), 0x8000_0000L, -1, -0x8000_0000L),
                new Case("remw overflow", op32(1, 6, 3, 1, 2), 0x8000_0000L, -1, 0),
                new Case("divuw by zero", op32(1, 5, 3, 1, 2), 5, 0x1_0000_0000L, -1),
                new Case("remuw sign-extends", op32(1, 7, 3, 1, 2), 0xffff_fff0L, 0x1_0000_0000L, 0xffff_ffff_ffff_fff0L),
                new Case("mulh", op(1, 1, 3, 1, 2), MIN, MIN, 0x4000_0000_0000_0000L),
                new Case("mulhu", op(1, 3, 3, 1, 2), -1, -1, -2),
                new Case("mulhsu -1 x max", op(1, 2, 3, 1, 2), -1, -1, -1),
                new Case("mulw sign-extends", op32(1, 0, 3, 1, 2), 0x10000, 0x8000, 0xffff_ffff_8000_0000L),
                new Case("addw wraps", op32(0, 0, 3, 1, 2), 0x7fff_ffff, 1, 0xffff_ffff_8000_0000L),
                new Case("subw", op32(0x20, 0, 3, 1, 2), 0, 1, -1),
                new Case("sllw uses 5 bits", op32(0, 1, 3, 1, 2), 1, 33, 2),
                new Case("srlw zero-fills bit 31", op32(0, 5, 3, 1, 2), 0x8000_0000L, 1, 0x4000_0000L),
                new Case("sraw", op32(0x20, 5, 3, 1, 2), 0x8000_0000L, 4, 0xffff_ffff_f800_0000L),
                new Case("sll uses 6 bits", op(0, 1, 3, 1, 2), 1, 65, 2),
                new Case("sra", op(0x20, 5, 3, 1, 2), MIN, 63, -1),
                new Case("srl", op(0, 5, 3, 1, 2), MIN, 63, 1),
                new Case("sltu", op(0, 3, 3, 1, 2), 1, -1, 1),
                new Case("slt", op(0, 2, 3, 1, 2), 1, -1, 0),
                new Case("addiw sign-extends", i(1, 1, 0, 3, 0x1b), 0x7fff_ffff, 0, 0xffff_ffff_8000_0000L),
                new Case("sraiw", i(0x400 | 31, 1, 5, 3, 0x1b), 0x8000_0000L, 0, -1),
                new Case("srai 63", i(0x400 | 63, 1, 5, 3, 0x13), MIN, 0, -1),
                new Case("x0 stays zero", addi(0, 1, 5), 1, 0, 0)
        );
    }

    @Test
    void amosReturnOldValueAndUpdate() {
        long cell = BASE + 0x1000;
        bus.write(cell, 8, 5);
        assertEquals(5, run(cell, 10, amo(0, true, 3, 1, 2)));       // amoadd.d
        assertEquals(15, bus.read(cell, 8));
        assertEquals(15, run(cell, -3, amo(16, true, 3, 1, 2)));      // amomin.d
        assertEquals(-3, bus.read(cell, 8));
        assertEquals(-3, run(cell, 7, amo(28, true, 3, 1, 2)));       // amomaxu.d: -3 is the unsigned max
        assertEquals(-3, bus.read(cell, 8));
        bus.write(cell, 8, 0x1_7fff_ffffL);
        assertEquals(0x7fff_ffffL, run(cell, 1, amo(0, false, 3, 1, 2))); // amoadd.w: 32-bit, sign-extended old
        assertEquals(0x1_8000_0000L, bus.read(cell, 8));
    }

    @Test
    void scFailsWithoutReservationAndAfterAnotherStore() {
        long cell = BASE + 0x1000;
        assertEquals(1, run(cell, 9, amo(3, true, 3, 1, 2))); // sc.d without lr.d
        // lr.d x4; sd x2 (other value) → memory changes; sc.d fails
        bus.write(cell, 8, 1);
        long rc = run(cell, 9, amo(2, true, 4, 1, 0), sd(2, 1, 0), amo(3, true, 3, 1, 4));
        assertEquals(1, rc);
        // lr.d then sc.d succeeds; a second sc.d fails (the first one consumed the reservation)
        assertEquals(0, run(cell, 9, amo(2, true, 4, 1, 0), amo(3, true, 3, 1, 2)));
        assertEquals(9, bus.read(cell, 8));
        assertEquals(1, run(cell, 9, amo(2, true, 4, 1, 0), amo(3, true, 5, 1, 2), amo(3, true, 3, 1, 2)));
    }

    @Test
    void misalignedAmoTrapsWithCause6() {
        run(BASE + 0x1004, 1, amo(0, true, 3, 1, 2));
        assertEquals(6, h.csr(Csr.MCAUSE));
        assertEquals(BASE + 0x1004, h.csr(Csr.MTVAL));
    }

    @Test
    void misalignedLoadsAndStoresAreEmulated() {
        bus.write(BASE + 0x1000, 8, 0x8877_6655_4433_2211L);
        bus.write(BASE + 0x1008, 8, 0x0000_0000_0000_0099L);
        assertEquals(0x9988_7766_5544_3322L, run(BASE + 0x1001, 0, ld(3, 1, 0)));
        run(BASE + 0x1ffd, 0x0102_0304_0506_0708L, sd(2, 1, 0), ld(3, 1, 0));
        assertEquals(0x0102_0304_0506_0708L, h.x(3));
    }

    /** Runs one F/D instruction with mstatus.FS = fs (0 Off, 3 Dirty) and frm; returns mcause, or -1 when it did not trap. */
    private long fpCause(int insn, int fs, int frm) {
        bus.write(BASE, 4, insn);
        h.reset();
        h.setCsr(0x002, frm);
        h.setCsr(0x300, (long) fs << 13);
        h.setCsr(Csr.MCAUSE, 0);
        h.step(1);
        if (h.pc() == BASE + 4) return -1;
        assertEquals(insn & 0xffff_ffffL, h.csr(Csr.MTVAL), "tval is the instruction");
        return h.csr(Csr.MCAUSE);
    }

    @Test
    void fdInstructionsAreIllegalWithFsOffOrAReservedRoundingMode() {
        int fma = 4 << 27 | 1 << 25 | 2 << 20 | 1 << 15 | 3 << 7 | 0x43; // fmadd.d f3, f1, f2, f4, rm = 0
        int[] rounding = {r(1, 2, 1, 0, 3, 0x53), fma, r(0x61, 0, 1, 0, 3, 0x53), r(0x69, 0, 1, 0, 3, 0x53), r(0x20, 1, 1, 0, 3, 0x53)};
        int[] exact = {r(0x51, 2, 1, 2, 3, 0x53), r(0x71, 0, 1, 0, 3, 0x53), r(0x11, 2, 1, 0, 3, 0x53), r(0x79, 0, 1, 0, 3, 0x53)};
        for (int insn : rounding) {
            String t = Disassembler.disassemble(BASE, insn);
            assertEquals(2, fpCause(insn, 0, 0), t + " with FS off (priv 1.12 §3.1.6.6)");
            assertEquals(-1, fpCause(insn, 3, 0), t);
            assertEquals(2, fpCause(insn | 5 << 12, 3, 0), t + " rm 5 is reserved (unpriv §11.2)");
            assertEquals(2, fpCause(insn | 6 << 12, 3, 0), t + " rm 6 is reserved");
            assertEquals(-1, fpCause(insn | 7 << 12, 3, 4), t + " DYN with frm RMM");
            assertEquals(2, fpCause(insn | 7 << 12, 3, 5), t + " DYN with a reserved frm");
        }
        for (int insn : exact) {
            String t = Disassembler.disassemble(BASE, insn);
            assertEquals(2, fpCause(insn, 0, 0), t + " with FS off");
            assertEquals(-1, fpCause(insn, 3, 5), t + " has no rounding mode: frm is not checked");
        }
    }

    @Test
    void ecallAndIllegalInstructionSetCauseAndTval() {
        run(0, 0, ECALL);
        assertEquals(11, h.csr(Csr.MCAUSE));
        assertEquals(BASE, h.csr(Csr.MEPC));
        run(0, 0, 0xffff_ffff);
        assertEquals(2, h.csr(Csr.MCAUSE));
        assertEquals(0xffff_ffffL, h.csr(Csr.MTVAL));
        run(0, 0, csrrs(3, 0x7c0, 0)); // a CSR that does not exist
        assertEquals(2, h.csr(Csr.MCAUSE));
        assertEquals(csrrs(3, 0x7c0, 0) & 0xffff_ffffL, h.csr(Csr.MTVAL));
    }

    @Test
    void delegatedEcallFromUserGoesToSupervisorVectorWithSppClear() {
        // mret to U at BASE+0x100 (ecall there); medeleg bit 8 sends it to stvec
        for (int k = 0; k < 0x40; k++) bus.write(BASE + 4L * k, 4, 0x13);
        bus.write(BASE + 0x100, 4, ECALL);
        h.reset();
        h.mepc = BASE + 0x100;
        h.medeleg = 1 << 8;
        h.stvec = BASE + 0x200;
        h.mstatus &= ~Csr.MPP; // MPP = U
        h.mret();
        h.step(1);
        assertEquals(8, h.scause);
        assertEquals(BASE + 0x100, h.sepc);
        assertEquals(BASE + 0x200, h.pc());
        assertEquals(Csr.PRIV_S, h.privilege());
        assertEquals(0, h.mstatus & Csr.SPP);
    }

    @Test
    void vectoredInterruptsAndPriorities() {
        for (int k = 0; k < 0x100; k++) bus.write(BASE + 4L * k, 4, 0x13);
        h.reset();
        h.mtvec = (BASE + 0x100) | 1;
        h.mie = Csr.MTIP | Csr.MSIP;
        h.mstatus |= Csr.MIE_BIT;
        h.setInterrupt(Csr.MTIP | Csr.MSIP, true);
        h.checkInterrupts();
        assertEquals((1L << 63) | 3, h.mcause); // MSI outranks MTI (§3.1.9)
        assertEquals(BASE + 0x100 + 4 * 3, h.pc());
        assertEquals(0, h.mstatus & Csr.MIE_BIT);
        assertEquals(Csr.MPIE, h.mstatus & Csr.MPIE);
    }

    @Test
    void sv39WalkSetsAccessedAndDirtyAndFaultsOnUnmapped() {
        long root = BASE + 0x4000, l1 = BASE + 0x5000, l0 = BASE + 0x6000;
        bus.write(root + 2 * 8, 8, ((l1 >>> 12) << 10) | 1);                 // VA 0x80000000.. → l1
        bus.write(l1, 8, ((l0 >>> 12) << 10) | 1);
        bus.write(l0, 8, ((BASE >>> 12) << 10) | 0x0f);                      // VA 0x80000000 → code page, RWX, A=D=0
        bus.write(l0 + 8 * 8, 8, (((BASE + 0x8000) >>> 12) << 10) | 0x07);   // VA 0x80008000 → RW data page
        // code at BASE: sd x2, 0(x1); ld x3, 0(x1); ld x4, 0x1000(x1) (unmapped) → load page fault
        int[] code = {sd(2, 1, 0), ld(3, 1, 0), ld(4, 5, 0)};
        for (int k = 0; k < code.length; k++) bus.write(BASE + 4L * k, 4, code[k]);
        h.reset();
        h.satp = (8L << 60) | (root >>> 12);
        h.mstatus &= ~Csr.MPP;
        h.mstatus |= 1L << 11; // MPP = S
        h.mepc = BASE;
        h.mret();
        h.setX(1, BASE + 0x8000);
        h.setX(2, 42);
        h.setX(5, BASE + 0x9000);
        h.step(2);
        h.step(1); // the third instruction faults; one pass, so the trap handler (mtvec = 0) does not run
        assertEquals(42, h.x(3));
        assertEquals(42, bus.read(BASE + 0x8000, 8));
        assertEquals(0xc0, bus.read(l0 + 8 * 8, 8) & 0xc0, "A and D set on the data page");
        assertEquals(0x40, bus.read(l0, 8) & 0xc0, "A set on the code page, D clear");
        assertEquals(13, h.mcause);
        assertEquals(BASE + 0x9000, h.mtval);
    }
}
