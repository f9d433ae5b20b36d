package io.drydock.riscv;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.util.stream.Stream;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Translated blocks (loops run often enough to be translated) against the interpreter's semantics. A translator
 * bug can make a guest loop for ever (a wrong chained target): each test runs on its own thread and fails after
 * 60 s instead of hanging the build (the spinning thread ends with the test JVM).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TranslatorTest extends BareHartTest {
    static int bne(int rs1, int rs2, int off) {
        return ((off >> 12) & 1) << 31 | ((off >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((off >> 1) & 0xf) << 8 | ((off >> 11) & 1) << 7 | 0x63;
    }

    static int jal(int rd, int off) {
        return ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12
                | rd << 7 | 0x6f;
    }

    static int branch(int f3, int rs1, int rs2, int off) {
        return bne(rs1, rs2, off) & ~(7 << 12) | f3 << 12;
    }

    void load(int... words) {
        for (int k = 0; k < words.length; k++) bus.write(BASE + 4L * k, 4, words[k]);
        h.reset();
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesInATranslatedLoop() {
        return HartTest.edgeCases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            load(c.insn(), addi(4, 4, -1), bne(4, 0, -8));
            h.setX(1, c.a());
            h.setX(2, c.b());
            h.setX(4, 100);
            h.step(300);
            assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
            assertEquals(0, h.x(4));
            assertEquals(c.expect(), h.x(3));
            assertEquals(300, h.instructionsRetired());
        }));
    }

    @Test
    void trapInsideATranslatedBlockReportsItsPcAndRetiredCount() {
        // 0: addi x5,x5,1   4: ld x3,0(x1)   8: addi x1,x1,0x100   c: jal x0,0 → 0; the load leaves RAM on pass 129
        load(addi(5, 5, 1), ld(3, 1, 0), addi(1, 1, 0x100), jal(0, -12));
        bus.write(BASE + 0x400, 4, jal(0, 0)); // trap vector: spin
        bus.write(BASE + 0xff00, 8, 77);
        h.mtvec = BASE + 0x400;
        h.setX(1, BASE + 0x8000);
        h.step(128 * 4 + 1);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(128 * 4 + 1, h.instructionsRetired());
        h.step(1); // the load faults: not retired
        assertEquals(5, h.mcause);
        assertEquals(BASE + 4, h.mepc);
        assertEquals(BASE + 0x10000, h.mtval);
        assertEquals(129, h.x(5));
        assertEquals(77, h.x(3));
        assertEquals(128 * 4 + 1, h.instructionsRetired());
    }

    /**
     * A translated load or store that misses the fast entries leaves its block and is interpreted (the second path
     * or the Mmu), with the count, registers and memory exact; a block that keeps missing — a loop over RAM outside
     * the primary segment, as a copy out of a DAX window — is translated again with the accesses that go on after a
     * miss (CodePage.callOnMiss), while a loop streaming through DRAM (a miss per new page) keeps the leaving form.
     */
    @Test
    void aLoopOverAnotherRamRegionIsTranslatedAgainWithAccessesThatGoOnAfterAMiss() throws java.io.IOException {
        long extra = 0x7000_0000L;
        bus.addRam("extra", extra, io.drydock.kernel.memory.MemoryBacking.anonymous(4096));
        for (long from : new long[] {BASE + 0x8000, extra}) {
            int stride = from == extra ? 8 : 64; // DRAM: 8 pages
            // 0: ld x3,0(x1)  4: add x5,x5,x3  8: sd x5,0(x1)  c: add x1,x1,x6  10: addi x4,x4,-1  14: bne x4,x0,0
            load(ld(3, 1, 0), op(0, 0, 5, 5, 3), sd(5, 1, 0), op(0, 0, 1, 1, 6), addi(4, 4, -1), bne(4, 0, -20), jal(0, 0));
            for (int k = 0; k < 500; k++) bus.write(from + (long) k * stride, 8, 3);
            h.setX(1, from);
            h.setX(6, stride);
            h.setX(4, 500);
            h.step(500 * 6);
            assertEquals(500 * 6, h.instructionsRetired());
            assertEquals(0, h.x(4));
            assertEquals(1500, h.x(5));
            assertEquals(1500, bus.read(from + 499L * stride, 8));
            assertEquals(3 + 3, bus.read(from + stride, 8));
            CodePage page = h.mmu.codePage(BASE);
            assertNotNull(page.blocks[0], "the loop is translated");
            assertEquals(from == extra, page.callOnMiss, from == extra ? "translated again after its misses" : "DRAM: a miss per page");
        }
    }

    /** An if/else inside a loop: one region with an internal forward branch, a merge point and a back edge. */
    static final int[] IF_ELSE_LOOP = {
            i(1, 4, 7, 6, 0x13),       // 0: andi x6, x4, 1
            branch(0, 6, 0, 12),       // 4: beq x6, x0, 16
            addi(5, 5, 3),             // 8: addi x5, x5, 3
            jal(0, 8),                 // c: jal x0, 20
            addi(7, 7, 1),             // 10: addi x7, x7, 1
            addi(4, 4, -1),            // 14: addi x4, x4, -1
            bne(4, 0, -24),            // 18: bne x4, x0, 0
            addi(0, 5, 9),             // 1c: addi x0, x5, 9 (x0 stays 0)
            jal(0, 0)};                // 20: spin

    /** Runs a check with regions across branches (the opt-in mode, -Ddrydock.jit.regions=true). */
    static void acrossBranches(Runnable check) {
        boolean was = Region.acrossBranches;
        Region.acrossBranches = true;
        try { check.run(); } finally { Region.acrossBranches = was; }
    }

    @Test
    void aLoopWithAnIfElseRunsAsOneRegionAndStopsExactlyAtTheBudget() { acrossBranches(this::ifElseLoop); }

    private void ifElseLoop() {
        load(IF_ELSE_LOOP);
        h.setX(4, 1000);
        // odd x4: 6 instructions per pass, even: 5; stepped in uneven pieces so every piece ends mid-loop
        long done = 0;
        while (done < 5500) done += h.step(Math.min(37, 5500 - done));
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(5500, h.instructionsRetired());
        assertEquals(0, h.x(4));
        assertEquals(1500, h.x(5));
        assertEquals(500, h.x(7));
        assertEquals(BASE + 0x1c, h.pc);
        h.step(2);
        assertEquals(0, h.x(0));
        assertEquals(BASE + 0x20, h.pc);
    }

    @Test
    void aTrapInALaterPassOfALoopRegionCountsEveryPassBeforeIt() { acrossBranches(this::trapInALoop); }

    private void trapInALoop() {
        // 0: addi x5,x5,1  4: andi x6,x5,1  8: beq x6,x0,+8 (→ 0x10)  c: addi x7,x7,1
        // 10: ld x3,0(x1)  14: addi x1,x1,0x100  18: jal x0,0 → 0; the load leaves the 64 KiB of RAM on pass 129
        load(addi(5, 5, 1), i(1, 5, 7, 6, 0x13), branch(0, 6, 0, 8), addi(7, 7, 1),
                ld(3, 1, 0), addi(1, 1, 0x100), jal(0, -24));
        bus.write(BASE + 0x400, 4, csrrs(8, 0xb02, 0)); // trap vector: x8 = minstret, then spin
        bus.write(BASE + 0x404, 4, jal(0, 0));
        h.mtvec = BASE + 0x400;
        h.setX(1, BASE + 0x8000);
        long expect = 128 * 6 + 64 + 4; // 128 passes (odd ones 7 instructions), then addi, andi, beq, addi of pass 129
        long done = 0;
        while (h.mcause == 0 && done < 2000) done += h.step(1000);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(5, h.mcause);
        assertEquals(BASE + 0x10, h.mepc);
        assertEquals(BASE + 0x10000, h.mtval);
        assertEquals(129, h.x(5));
        assertEquals(65, h.x(7));
        assertEquals(BASE + 0x10000, h.x(1));
        assertEquals(expect, h.x(8));
    }

    @Test
    void fdInstructionsInATranslatedLoopTrapPreciselyWhenFsIsOffOrFrmReserved() {
        // 0: fld f1,0(x1)  4: fadd.d f2,f2,f1 (DYN)  8: addi x5,x5,1  c: jal x0,0 → 0
        int fld = i(0, 1, 3, 1, 0x07), fadd = r(1, 1, 2, 7, 2, 0x53);
        for (boolean fsOff : new boolean[] {true, false}) {
            load(fld, fadd, addi(5, 5, 1), jal(0, -12));
            bus.write(BASE + 0x400, 4, csrrs(8, 0xb02, 0)); // trap vector: x8 = minstret, then spin
            bus.write(BASE + 0x404, 4, jal(0, 0));
            bus.write(BASE + 0x8000, 8, Double.doubleToRawLongBits(1.5));
            h.mtvec = BASE + 0x400;
            h.setX(1, BASE + 0x8000);
            h.setCsr(0x300, 3L << 13); // FS Dirty
            h.setCsr(0x002, 0);        // frm RNE
            h.step(4000);              // 1000 passes
            assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
            assertEquals(1000, h.x(5));
            assertEquals(1500.0, Double.longBitsToDouble(h.f(2)));
            if (fsOff) h.setCsr(0x300, 0); // FS Off: the fld is illegal (priv 1.12 §3.1.6.6)
            else h.setCsr(0x002, 5);       // frm 5 is reserved: the DYN fadd is illegal (unpriv §11.2)
            h.step(100);
            assertEquals(2, h.mcause);
            assertEquals(fsOff ? BASE : BASE + 4, h.mepc);
            assertEquals((fsOff ? fld : fadd) & 0xffff_ffffL, h.mtval);
            assertEquals(1000, h.x(5));
            assertEquals(4000 + (fsOff ? 0 : 1), h.x(8), "the retired count stops at the trapping instruction");
        }
    }

    @Test
    void anIndirectCallWithFourTargetsOnTwoPagesKeepsCountAndTargetsExact() {
        // 0: andi x6,x4,3  4: slli x6,x6,10  8: add x6,x6,x9  c: jalr x1,0(x6)  10: addi x4,x4,-1  14: bne x4,x0,0
        // 18: spin; the four targets x9 + 0/0x400/0x800/0xc00 (two on this page, two on the next) each count in
        // their own register and return: the jalr's inline cache misses on every pass, the returns hit
        load(i(3, 4, 7, 6, 0x13), i(10, 6, 1, 6, 0x13), op(0, 0, 6, 6, 9), i(0, 6, 0, 1, 0x67),
                addi(4, 4, -1), bne(4, 0, -0x14), jal(0, 0));
        for (int k = 0; k < 4; k++) {
            bus.write(BASE + 0x800 + 0x400L * k, 4, addi(10 + k, 10 + k, 1));
            bus.write(BASE + 0x804 + 0x400L * k, 4, i(0, 1, 0, 0, 0x67)); // jalr x0, 0(x1)
        }
        h.setX(9, BASE + 0x800);
        h.setX(4, 1000);
        long done = 0;
        for (int piece = 0; done < 8000 && piece < 1000; piece++) done += h.step(Math.min(37, 8000 - done)); // ending anywhere in a pass
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals(8000, h.instructionsRetired());
        assertEquals(BASE + 0x18, h.pc);
        for (int k = 0; k < 4; k++) assertEquals(250, h.x(10 + k), "target " + k);
    }

    /**
     * A CSR read inside a translated loop (a quiet access, Csrs.quiet): the counter reads the retired count at that
     * instruction, and its legality is decided when it runs, not when it was translated — the same block, entered
     * in U-mode with mcounteren.IR clear, raises illegal instruction (priv 1.12 §3.1.11) at its pc, nothing retired.
     */
    @Test
    void aCsrReadInATranslatedLoopReadsTheCountAndIsCheckedAtTheCurrentPrivilege() {
        int read = csrrs(3, 0xc02, 0);             // 0: csrr x3, instret
        load(read, addi(4, 4, -1), bne(4, 0, -8), jal(0, 0)); // 4: addi x4,x4,-1  8: bne x4,x0,0  c: spin
        bus.write(BASE + 0x400, 4, jal(0, 0));    // trap vector: spin
        h.mtvec = BASE + 0x400;
        h.setX(4, 100);
        h.step(300);
        Block b = h.mmu.codePage(BASE).blocks[0];
        assertNotNull(b, "the loop was translated");
        assertEquals(0, h.x(4));
        assertEquals(297, h.x(3), "instret at the last pass's csrr");
        h.setPc(BASE);
        h.setX(4, 5);
        h.priv = Csr.PRIV_U;
        h.mcounteren = 0;
        h.step(1 + 3);                             // the block fits: entered, it traps at its first instruction
        assertEquals(b, h.mmu.codePage(BASE).blocks[0], "the same translated block ran");
        assertEquals(Trap.ILLEGAL, h.mcause);
        assertEquals(BASE, h.mepc);
        assertEquals(read & 0xffff_ffffL, h.mtval);
        assertEquals(Csr.PRIV_M, h.privilege());
        assertEquals(5, h.x(4), "nothing of the pass retired");
        assertEquals(300 + 4, h.instructionsRetired(), "300, then the spin at the vector");
    }

    /**
     * A CSR write that is not quiet (mie) ends a translated region before it (Region.form, Csrs.quiet): in a hot
     * loop, the pass whose write enables a pending interrupt takes it right after the write (priv 1.12 §3.1.9),
     * exactly as the interpreter does (CsrTest), not at the end of a region that ran on past it.
     */
    @Test
    void anMieWriteInAHotLoopEndsTheRegionSoTheInterruptItEnablesIsTakenRightAfterIt() {
        load(addi(4, 4, -1),                      // 0: x4--
                i(1, 4, 3, 5, 0x13),              // 4: sltiu x5, x4, 1 (1 on the last pass)
                i(3, 5, 1, 5, 0x13),              // 8: slli x5, x5, 3 (MSIE)
                csrrs(0, Csr.MIE, 5),             // c: csrs mie, x5
                addi(6, 6, 1),                    // 10: x6++
                bne(4, 0, -20),                   // 14: to 0
                jal(0, 0));                       // 18: spin
        bus.write(BASE + 0x400, 4, jal(0, 0));   // trap vector: spin
        h.mtvec = BASE + 0x400;
        h.mstatus |= Csr.MIE_BIT;
        h.setInterrupt(Csr.MSIP, true);
        h.setX(4, 200);
        h.step(200 * 6);
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        assertEquals((1L << 63) | 3, h.mcause);
        assertEquals(BASE + 0x10, h.mepc, "taken right after the csrs");
        assertEquals(199, h.x(6), "the last pass's x6++ did not run");
    }
}
