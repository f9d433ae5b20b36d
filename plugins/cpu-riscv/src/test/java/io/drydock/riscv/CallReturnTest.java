package io.drydock.riscv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.drydock.riscv.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls inside a translated region (Block, "Calls and returns"): a loop that calls one function by jal (link x1)
 * and another by jalr (link x5), each returning by jalr to its link register. The caller's region goes on after
 * each call, the callees return into it; the registers, the retired count (also at step boundaries that fall
 * inside a callee) and a trap inside a callee must be what the interpreter leaves.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallReturnTest extends BareHartTest {
    /** Instructions per pass: addi, jal, (f: addi, ret), add, jalr, (g: addi, ld, ret), bne. */
    static final int PER_PASS = 10;

    private void load() {
        int[] main = {
                addi(4, 4, -1),                         // 0: addi x4, x4, -1
                TranslatorTest.jal(1, 0x100),           // 4: jal x1, f (0x104)
                r(0, 10, 6, 0, 6, 0x33),                // 8: add x6, x6, x10
                i(0, 9, 0, 5, 0x67),                    // c: jalr x5, 0(x9) → g (0x200)
                TranslatorTest.bne(4, 0, -16),          // 10: bne x4, x0, 0
                TranslatorTest.jal(0, 0),               // 14: spin
        };
        for (int k = 0; k < main.length; k++) bus.write(BASE + 4L * k, 4, main[k]);
        bus.write(BASE + 0x104, 4, addi(10, 10, 3));    // f: addi x10, x10, 3
        bus.write(BASE + 0x108, 4, i(0, 1, 0, 0, 0x67)); //    jalr x0, 0(x1): ret
        bus.write(BASE + 0x200, 4, addi(7, 7, 1));      // g: addi x7, x7, 1
        bus.write(BASE + 0x204, 4, ld(3, 8, 0));        //    ld x3, 0(x8)
        bus.write(BASE + 0x208, 4, i(0, 5, 0, 0, 0x67)); //    jalr x0, 0(x5)
        bus.write(BASE + 0x400, 4, csrrs(31, 0xb02, 0));  // trap vector: x31 = minstret, then spin
        bus.write(BASE + 0x404, 4, TranslatorTest.jal(0, 0));
        bus.write(BASE + 0x8000, 8, 99);
        h.reset();
        h.mtvec = BASE + 0x400;
        h.setX(9, BASE + 0x200);
        h.setX(8, BASE + 0x8000);
    }

    @Test
    void calleesReturnIntoTheCallersRegion() {
        load();
        int passes = 1000;
        h.setX(4, passes);
        long total = (long) PER_PASS * passes;
        long done = 0;
        // pieces of 7 and 13: the budget runs out inside callees and inside the caller after a return
        for (int piece = 0; done < total; piece++) {
            long step = Math.min(piece % 2 == 0 ? 7 : 13, total - done);
            h.step(step);
            done += step;
            assertEquals(done, h.instructionsRetired(), "retired count after " + piece + " pieces");
        }
        assertEquals(BASE + 0x14, h.pc);
        assertEquals(0, h.x(4));
        assertEquals(3L * passes, h.x(10));
        assertEquals(3L * passes * (passes + 1) / 2, h.x(6), "x6 summed x10 after each call to f");
        assertEquals(passes, h.x(7));
        assertEquals(99, h.x(3));
        assertEquals(BASE + 8, h.x(1));
        assertEquals(BASE + 0x10, h.x(5));
        Block caller = h.mmu.codePage(BASE).blocks[0];
        assertNotNull(caller, "the loop was translated");
        // through the bne at least (regions across branches also take the spin after it); without calls, addi and jal
        assertTrue(Block.callsInRegion() ? caller.length >= 5 : caller.length == 2, "the region goes on after its calls: " + caller.length);
    }

    @Test
    void aTrapInACalleeReportsItsPcAndRetiredCount() {
        load();
        h.setX(4, 1_000_000);
        h.step(500L * PER_PASS + 3); // inside pass 501, in f
        assertNotNull(h.mmu.codePage(BASE).blocks[0], "the loop was translated");
        h.setX(8, BASE + 0x10000); // g's load now leaves RAM
        h.step(1000);
        assertEquals(5, h.mcause, "load access fault");
        assertEquals(BASE + 0x204, h.mepc);
        assertEquals(BASE + 0x10000, h.mtval);
        assertEquals(500L * PER_PASS + 7, h.x(31), "retired before the trap: addi, jal, addi, ret, add, jalr, addi of pass 501");
        assertEquals(501, h.x(7));
        assertEquals(3L * 501, h.x(10));
        assertEquals(BASE + 0x10, h.x(5));
        assertEquals(1_000_000 - 501, h.x(4));
    }

    @Test
    void aJumpTableLoopComesBackToItsDispatch() {
        // 0x300: addi x4,x4,-1; andi x11,x4,1; slli x11,x11,4; add x11,x11,x12; jalr x0,0(x11) → case 0x380 or 0x390
        int[] dispatch = {addi(4, 4, -1), i(1, 4, 7, 11, 0x13), i(4, 11, 1, 11, 0x13), r(0, 12, 11, 0, 11, 0x33), i(0, 11, 0, 0, 0x67)};
        for (int k = 0; k < dispatch.length; k++) bus.write(BASE + 0x300 + 4L * k, 4, dispatch[k]);
        // each case: add to its register, then bne x4,x0 back to the dispatch; at the end spin
        bus.write(BASE + 0x380, 4, addi(6, 6, 1));
        bus.write(BASE + 0x384, 4, TranslatorTest.bne(4, 0, 0x300 - 0x384));
        bus.write(BASE + 0x388, 4, TranslatorTest.jal(0, 0));
        bus.write(BASE + 0x390, 4, addi(7, 7, 2));
        bus.write(BASE + 0x394, 4, TranslatorTest.bne(4, 0, 0x300 - 0x394));
        bus.write(BASE + 0x398, 4, TranslatorTest.jal(0, 0));
        h.reset();
        h.setPc(BASE + 0x300);
        h.setX(12, BASE + 0x380);
        int passes = 2001; // the last pass (x4 = 0) goes to case 0x380 and ends there
        h.setX(4, passes);
        long total = 7L * passes, done = 0;
        for (int piece = 0; done < total; piece++) {
            long step = Math.min(piece % 2 == 0 ? 301 : 5, total - done); // 5: not even one pass of dispatch and case
            h.step(step);
            done += step;
            assertEquals(done, h.instructionsRetired(), "retired count after " + piece + " pieces");
        }
        assertEquals(BASE + 0x388, h.pc);
        assertEquals(0, h.x(4));
        assertEquals(1001, h.x(6), "even x4 after the decrement: case 0x380");
        assertEquals(2 * 1000, h.x(7), "odd: case 0x390");
        assertNotNull(h.mmu.codePage(BASE).blocks[0x300 >>> 1], "the dispatch was translated");
    }
}
