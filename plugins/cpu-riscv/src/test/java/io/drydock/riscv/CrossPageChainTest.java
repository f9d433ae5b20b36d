package io.drydock.riscv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.drydock.riscv.Asm.*;
import static io.drydock.riscv.Csr.*;
import static io.drydock.riscv.TranslatorTest.bne;
import static io.drydock.riscv.TranslatorTest.jal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Chained exits to blocks on another virtual page (Block, "Chained exits"): a loop whose blocks call each other
 * across a page boundary, by a jalr and by a jal, keeps running the right code when what the second virtual
 * page means changes — a page-table change made visible by sfence.vma (priv 1.12 §4.2.1), a write of satp
 * selecting another address space (§4.1.11), new code made visible by fence.i (Zifencei) — each time after the
 * links were made and followed.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossPageChainTest extends BareHartTest {
    static final long ROOT = BASE + 0x1000, L1 = BASE + 0x2000, L0 = BASE + 0x3000;
    static final long ROOT2 = BASE + 0x4000, L1B = BASE + 0x5000, L0B = BASE + 0x6000;
    static final long P0 = BASE + 0x8000, A1 = BASE + 0x9000, A2 = BASE + 0xa000, A3 = BASE + 0xb000;
    static final long VA = 0x4000_0000L; // vpn[2] = 1
    static final long V = 1, R = 2, X = 8, A = 64, D = 128;
    static final int PASSES = 500;

    private static long pte(long pa, long flags) { return ((pa >>> 12) << 10) | flags; }

    /** Root → L1 → L0 mapping VA to P0 and VA + 0x1000 to {@code second}. */
    private void map(long root, long l1, long l0, long second) {
        bus.write(root + 8, 8, pte(l1, V));
        bus.write(l1, 8, pte(l0, V));
        bus.write(l0, 8, pte(P0, R | X | A | D | V));
        bus.write(l0 + 8, 8, pte(second, R | X | A | D | V));
    }

    /** At {@code pa} (mapped at VA + 0x1000): add 1 to {@code reg}, then jal back to VA + 8 (a cross-page jal). */
    private void callee(long pa, int reg) {
        bus.write(pa, 4, addi(reg, reg, 1));
        bus.write(pa + 4, 4, jal(0, -0xffc));
    }

    /** Runs the loop for PASSES passes from VA in S-mode and returns when it reached its spin at VA + 0xc. */
    private void runLoop() {
        h.setX(4, PASSES);
        h.setPc(VA);
        long total = 5L * PASSES; // addi, jalr, addi, jal, bne
        long done = 0;
        for (int piece = 0; done < total && piece < 10_000; piece++) done += h.step(Math.min(301, total - done));
        assertEquals(VA + 0xc, h.pc, "reached the end of the loop without a trap");
    }

    private static long sv39(long root) { return (8L << 60) | (root >>> 12); }

    @Test
    void crossPageLinksFollowSfenceSatpAndFenceI() {
        // VA+0: addi x4,x4,-1   VA+4: jalr x1,0(x9) → VA+0x1000   VA+8: bne x4,x0,-8   VA+c: spin
        bus.write(P0, 4, addi(4, 4, -1));
        bus.write(P0 + 4, 4, i(0, 9, 0, 1, 0x67));
        bus.write(P0 + 8, 4, bne(4, 0, -8));
        bus.write(P0 + 12, 4, jal(0, 0));
        callee(A1, 5);
        callee(A2, 6);
        callee(A3, 7);
        bus.write(BASE + 0x100, 4, jal(0, 0)); // trap vector: spin (the asserts on pc then fail)
        map(ROOT, L1, L0, A1);
        map(ROOT2, L1B, L0B, A3);
        h.reset();
        h.mtvec = BASE + 0x100;
        h.setX(9, VA + 0x1000);
        h.satp = sv39(ROOT);
        h.setPriv(PRIV_S);

        runLoop();
        assertEquals(PASSES, h.x(5));
        Block caller = h.mmu.codePage(VA).blocks[0];
        assertNotNull(caller, "the caller was translated");
        assertSame(h.mmu.codePage(VA + 0x1000).blocks[0], caller.next[0], "its jalr linked to the block on the other page");
        runLoop();
        assertEquals(2 * PASSES, h.x(5), "linked and followed");

        // the second page now maps to A2: made visible by sfence.vma of that address
        bus.write(L0 + 8, 8, pte(A2, R | X | A | D | V));
        h.mmu.fence(false, VA + 0x1000, true, 0);
        runLoop();
        assertEquals(2 * PASSES, h.x(5), "the old target's block no longer runs");
        assertEquals(PASSES, h.x(6));

        // another address space (satp written; no fence needed for a new root, §4.1.11), then back
        Csrs.write(h, SATP, sv39(ROOT2));
        runLoop();
        assertEquals(PASSES, h.x(7));
        Csrs.write(h, SATP, sv39(ROOT));
        runLoop();
        assertEquals(2 * PASSES, h.x(6));

        // new code at A2, made visible by fence.i
        bus.write(A2, 4, addi(8, 8, 1));
        h.mmu.flushCode();
        runLoop();
        assertEquals(2 * PASSES, h.x(6), "the old code's block no longer runs");
        assertEquals(PASSES, h.x(8));
        assertEquals(2 * PASSES, h.x(5));
        assertEquals(PASSES, h.x(7));
    }
}
