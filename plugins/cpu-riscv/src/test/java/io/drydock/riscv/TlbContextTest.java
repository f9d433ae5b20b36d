package io.drydock.riscv;

import org.junit.jupiter.api.Test;

import static io.drydock.riscv.Csr.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The per-context TLBs (TlbContexts): switching privilege, SUM/MXR/MPRV or satp selects other TLBs and
 * flushes nothing, yet never lets a translation made in one context serve another; sfence.vma drops what it
 * names (priv 1.12 §4.2.1, §3.1.6.3).
 */
class TlbContextTest extends BareHartTest {
    static final long ROOT = BASE + 0x4000, L1 = BASE + 0x5000, L0 = BASE + 0x6000;
    static final long ROOT2 = BASE + 0x7000, L1B = BASE + 0xe000, L0B = BASE + 0xf000;
    static final long VA = 0x4000_0000L; // vpn[2] = 1
    static final long PTE_V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;

    private static long pte(long pa, long flags) { return ((pa >>> 12) << 10) | flags; }

    /** Root → L1 → L0 for VA.., the L0 entries given: page k of VA maps to (pa, flags). */
    private void map(long root, long l1, long l0, long[] pas, long flags) {
        bus.write(root + 8, 8, pte(l1, PTE_V));
        bus.write(l1, 8, pte(l0, PTE_V));
        for (int k = 0; k < pas.length; k++) bus.write(l0 + 8L * k, 8, pte(pas[k], flags | A | D | PTE_V));
    }

    private void enter(int priv, long satp) {
        h.satp = satp;
        h.setPriv(priv);
    }

    private static long sv39(long root) { return (8L << 60) | (root >>> 12); }

    @Test
    void trapAndXretKeepTheTranslationsOfEachPrivilege() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000, BASE + 0x9000}, R | W);
        bus.write(BASE + 0x8000, 8, 111);
        enter(PRIV_S, sv39(ROOT));
        assertEquals(111, h.mmu.load(VA, 8));
        long vpn = VA >>> 12;
        int i = (int) vpn & Tlb.MASK;
        assertEquals(vpn, h.mmu.lTag[i]);
        // a trap into M and back (mstatus written in M on the way) leaves the S-mode entry in place
        h.mtvec = BASE;
        h.enterTrap(Trap.ECALL_S, false, 0);
        assertEquals(PRIV_M, h.priv);
        assertNotEquals(vpn, h.mmu.lTag[i], "M-mode uses its own (untranslated) TLBs");
        Csrs.write(h, MSCRATCH, 5);
        h.setCsr(MSTATUS, h.mstatus | MIE_BIT);
        h.mret();
        assertEquals(PRIV_S, h.priv);
        assertEquals(vpn, h.mmu.lTag[i], "the S-mode entry survived the trap, the mstatus write and mret");
    }

    @Test
    void sumIsPartOfTheContext() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000}, R | W | U);
        bus.write(BASE + 0x8000, 8, 7);
        enter(PRIV_S, sv39(ROOT));
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8), "S-mode may not read a U page with SUM = 0");
        assertEquals(Trap.LOAD_PAGE, h.trapCause);
        h.setCsr(SSTATUS, h.mstatus | SUM);
        assertEquals(7, h.mmu.load(VA, 8));
        h.setCsr(SSTATUS, h.mstatus & ~SUM);
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8), "the SUM = 1 translation must not serve SUM = 0");
        h.setCsr(SSTATUS, h.mstatus | SUM);
        assertEquals(7, h.mmu.load(VA, 8));
        h.setPriv(PRIV_U);
        assertEquals(7, h.mmu.load(VA, 8), "U-mode reads its own page");
    }

    @Test
    void mxrAndMprvArePartOfTheContext() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000}, X); // execute-only, S page
        bus.write(BASE + 0x8000, 8, 9);
        enter(PRIV_S, sv39(ROOT));
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8));
        h.setCsr(SSTATUS, h.mstatus | MXR);
        assertEquals(9, h.mmu.load(VA, 8), "MXR makes an execute-only page readable");
        h.setCsr(SSTATUS, h.mstatus & ~MXR);
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8));
        // M-mode: untranslated, until MPRV with MPP = S translates loads as S-mode does
        h.setPriv(PRIV_M);
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8), "M-mode reads physical VA: nothing there");
        assertEquals(Trap.LOAD_ACCESS, h.trapCause);
        h.setCsr(MSTATUS, (h.mstatus & ~MPP) | (1L << 11) | MPRV | MXR);
        assertEquals(9, h.mmu.load(VA, 8), "MPRV: the load is translated with S-mode's permissions and MXR");
        h.setCsr(MSTATUS, h.mstatus & ~MXR);
        assertThrows(Trap.class, () -> h.mmu.load(VA, 8));
    }

    @Test
    void satpSelectsTheAddressSpaceWithoutAFence() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000}, R | W);
        map(ROOT2, L1B, L0B, new long[]{BASE + 0x9000}, R | W);
        bus.write(BASE + 0x8000, 8, 1);
        bus.write(BASE + 0x9000, 8, 2);
        enter(PRIV_S, sv39(ROOT));
        for (int round = 0; round < 3; round++) {
            Csrs.write(h, SATP, sv39(ROOT));
            assertEquals(1, h.mmu.load(VA, 8));
            Csrs.write(h, SATP, sv39(ROOT2));
            assertEquals(2, h.mmu.load(VA, 8));
        }
    }

    @Test
    void addressSpecificSfenceDropsOnlyThatPage() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000, BASE + 0x9000}, R | W);
        enter(PRIV_S, sv39(ROOT));
        h.mmu.load(VA, 8);
        h.mmu.load(VA + 0x1000, 8);
        int i0 = (int) (VA >>> 12) & Tlb.MASK, i1 = i0 + 1;
        h.mmu.fence(false, VA + 0x123, true, 0);
        assertEquals(-1, h.mmu.lTag[i0]);
        assertEquals((VA >>> 12) + 1, h.mmu.lTag[i1]);
        h.mmu.fence(true, 0, true, 0);
        assertEquals(-1, h.mmu.lTag[i1]);
    }

    @Test
    void addressSpecificSfenceDropsEveryPieceOfASuperpage() {
        // a 2 MiB leaf at L1 (VA → BASE, which is 2 MiB aligned)
        bus.write(ROOT + 8, 8, pte(L1, PTE_V));
        bus.write(L1, 8, pte(BASE, R | W | A | D | PTE_V));
        enter(PRIV_S, sv39(ROOT));
        h.mmu.load(VA + 0x8000, 8);
        h.mmu.load(VA + 0x9000, 8);
        int i8 = (int) ((VA + 0x8000) >>> 12) & Tlb.MASK, i9 = i8 + 1;
        assertEquals((VA + 0x9000) >>> 12, h.mmu.lTag[i9]);
        h.mmu.fence(false, VA + 0x8000, true, 0);
        assertEquals(-1, h.mmu.lTag[i8]);
        assertEquals(-1, h.mmu.lTag[i9], "the other 4 KiB piece of the same superpage is stale too");
    }

    @Test
    void aFenceOutsideTheCachedSuperpagesKeepsThemAndOneInsideDropsThemEvenPastTheTrackedNumber() {
        // ten 2 MiB leaves at L1 (VA + k * 2 MiB → BASE), more than Tlb tracks by key; piece k at offset (k + 1) pages
        bus.write(ROOT + 8, 8, pte(L1, PTE_V));
        for (int k = 0; k < 10; k++) bus.write(L1 + 8L * k, 8, pte(BASE, R | W | A | D | PTE_V));
        bus.write(L1 + 8L * 10, 8, pte(L0, PTE_V));
        bus.write(L0, 8, pte(BASE + 0x8000, R | W | A | D | PTE_V));
        enter(PRIV_S, sv39(ROOT));
        long va4k = VA + 10 * 0x20_0000L;
        h.mmu.load(VA + 0x1000, 8);
        h.mmu.load(va4k, 8);
        int first = (int) ((VA + 0x1000) >>> 12) & Tlb.MASK;
        h.mmu.fence(false, va4k, true, 0); // a 4 KiB page in no superpage: the superpage's piece stays
        assertEquals((VA + 0x1000) >>> 12, h.mmu.lTag[first]);
        assertEquals(-1, h.mmu.lTag[(int) (va4k >>> 12) & Tlb.MASK]);
        for (int k = 1; k < 10; k++) h.mmu.load(VA + k * 0x20_0000L + (k + 1) * 0x1000L, 8);
        long piece9 = VA + 9 * 0x20_0000L + 10 * 0x1000L;
        assertEquals(piece9 >>> 12, h.mmu.lTag[(int) (piece9 >>> 12) & Tlb.MASK]);
        h.mmu.fence(false, VA + 9 * 0x20_0000L + 0x5000, true, 0); // another page of superpage 9
        assertEquals(-1, h.mmu.lTag[(int) (piece9 >>> 12) & Tlb.MASK], "a piece of the fenced superpage is stale");
        assertEquals((VA + 0x1000) >>> 12, h.mmu.lTag[first], "other superpages stay");
        h.mmu.fence(false, VA, true, 0);
        assertEquals(-1, h.mmu.lTag[first]);
    }

    @Test
    void modifiedPageTableSeenAfterSfenceOfThatAddress() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000}, R | W);
        bus.write(BASE + 0x8000, 8, 1);
        bus.write(BASE + 0x9000, 8, 2);
        enter(PRIV_S, sv39(ROOT));
        assertEquals(1, h.mmu.load(VA, 8));
        bus.write(L0, 8, pte(BASE + 0x9000, R | W | A | D | PTE_V));
        h.setPriv(PRIV_M);
        h.setPriv(PRIV_S);
        h.mmu.fence(false, VA, true, 0);
        assertEquals(2, h.mmu.load(VA, 8));
    }

    @Test
    void asidSpecificSfenceDropsOnlyThatAddressSpace() {
        map(ROOT, L1, L0, new long[]{BASE + 0x8000}, R | W);
        map(ROOT2, L1B, L0B, new long[]{BASE + 0x9000}, R | W);
        long a1 = sv39(ROOT) | (1L << 44), a2 = sv39(ROOT2) | (2L << 44);
        enter(PRIV_S, a1);
        Csrs.write(h, SATP, a1);
        assertEquals(a1, h.satp, "16 ASID bits (§4.1.11)");
        h.mmu.load(VA, 8);
        Csrs.write(h, SATP, a2);
        h.mmu.load(VA, 8);
        int i = (int) (VA >>> 12) & Tlb.MASK;
        h.mmu.fence(true, 0, false, 1);
        assertEquals(VA >>> 12, h.mmu.lTag[i], "ASID 2's entry stays");
        Csrs.write(h, SATP, a1);
        assertEquals(-1, h.mmu.lTag[i], "ASID 1's entries are gone");
    }

    @Test
    void asidSpecificSfenceKeepsGlobalMappingsAndAGlobalFenceDropsThem() {
        // page 0 global through its leaf, page 1 not; page 2 of another L1 entry global through the L1 pointer (§4.3.1)
        map(ROOT, L1, L0, new long[]{BASE + 0x8000, BASE + 0x9000}, R | W);
        bus.write(L0, 8, pte(BASE + 0x8000, R | W | A | D | PTE_V | 32));
        long l0g = BASE + 0xa000, vaG = VA + 0x20_0000L;
        bus.write(L1 + 8, 8, pte(l0g, PTE_V | 32));
        bus.write(l0g, 8, pte(BASE + 0x9000, R | W | A | D | PTE_V));
        long a1 = sv39(ROOT) | (1L << 44);
        enter(PRIV_S, a1);
        h.mmu.load(VA, 8);
        h.mmu.load(VA + 0x1000, 8);
        h.mmu.load(vaG, 8);
        int i0 = (int) (VA >>> 12) & Tlb.MASK, iG = (int) (vaG >>> 12) & Tlb.MASK;
        h.mmu.fence(true, 0, false, 1);
        assertEquals(VA >>> 12, h.mmu.lTag[i0], "a global leaf stays");
        assertEquals(vaG >>> 12, h.mmu.lTag[iG], "a mapping under a global pointer is global too");
        assertEquals(-1, h.mmu.lTag[i0 + 1], "the non-global one is gone");
        h.mmu.fence(true, 0, true, 0);
        assertEquals(-1, h.mmu.lTag[i0]);
        assertEquals(-1, h.mmu.lTag[iG]);
    }

    @Test
    void anAddressSpaceFenceForgetsEveryEntryWhetherFewOrManyWereFilled() {
        // Tlb resets the entries it logged when at most 64 were filled since the last clear, else all of them
        long[] pas = new long[80];
        java.util.Arrays.fill(pas, BASE + 0x8000);
        map(ROOT, L1, L0, pas, R | W);
        long a1 = sv39(ROOT) | (1L << 44);
        enter(PRIV_S, a1);
        for (int many : new int[]{3, 80, 64, 65}) {
            for (int k = 0; k < many; k++) h.mmu.load(VA + k * 0x1000L, 8);
            h.mmu.fence(true, 0, false, 1);
            for (int k = 0; k < 80; k++) {
                int i = (int) ((VA >>> 12) + k) & Tlb.MASK;
                assertEquals(-1, h.mmu.lTag[i], many + " filled, entry " + k);
                assertEquals(-1, h.mmu.loads.fastTag(i), many + " filled, fast entry " + k);
            }
        }
    }

    @Test
    void anAddressSpaceFenceKeepsTheGlobalEntryWhetherFewOrManyWereFilled() {
        // the global page at index 80 of the same L0 table; 3 or 80 non-global ones before it (Tlb's log, or a full scan)
        long[] pas = new long[81];
        java.util.Arrays.fill(pas, BASE + 0x8000);
        map(ROOT, L1, L0, pas, R | W);
        bus.write(L0 + 8L * 80, 8, pte(BASE + 0x9000, R | W | A | D | PTE_V | 32));
        long vaG = VA + 80 * 0x1000L;
        enter(PRIV_S, sv39(ROOT) | (1L << 44));
        for (int many : new int[]{3, 80}) {
            h.mmu.load(vaG, 8);
            for (int k = 0; k < many; k++) h.mmu.load(VA + k * 0x1000L, 8);
            h.mmu.fence(true, 0, false, 1);
            assertEquals(vaG >>> 12, h.mmu.lTag[(int) (vaG >>> 12) & Tlb.MASK], many + " filled: the global entry stays");
            for (int k = 0; k < many; k++) assertEquals(-1, h.mmu.lTag[(int) ((VA >>> 12) + k) & Tlb.MASK], many + " filled, entry " + k);
            h.mmu.fence(true, 0, true, 0);
        }
    }
}
