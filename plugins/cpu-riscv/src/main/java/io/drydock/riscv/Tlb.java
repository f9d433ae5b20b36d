package io.drydock.riscv;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One direct-mapped software TLB: virtual page number → the RAM segment and the addend that turns a virtual
 * address into an offset in it ({@code offset = va + add}). A hit costs one tag compare. The leaf level of
 * the page-table entry each translation came from is kept beside it, so that an address-specific
 * sfence.vma can also drop the 4 KiB pieces of a superpage it covers (priv 1.12 §4.2.1).
 */
final class Tlb {
    static final int BITS = 10, SIZE = 1 << BITS, MASK = SIZE - 1;

    final long[] tag = new long[SIZE];
    final long[] add = new long[SIZE];
    final MemorySegment[] seg = new MemorySegment[SIZE];
    /** Decoded code pages (fetch TLBs only), else null. */
    final CodePage[] code;
    private final byte[] level = new byte[SIZE];
    /** Entries filled from superpage leaves (level > 0) since the last clear: 0 means dropPage needs no scan. */
    private int superpages;

    Tlb(boolean fetch) {
        code = fetch ? new CodePage[SIZE] : null;
        clear();
    }

    void fill(long vpn, MemorySegment s, long addend, int leafLevel) {
        int i = (int) vpn & MASK;
        tag[i] = vpn;
        seg[i] = s;
        add[i] = addend;
        level[i] = (byte) leafLevel;
        if (leafLevel > 0) superpages++;
    }

    void clear() {
        Arrays.fill(tag, -1);
        Arrays.fill(seg, null);
        if (code != null) Arrays.fill(code, null);
        Arrays.fill(level, (byte) 0);
        superpages = 0;
    }

    /**
     * Drops the translation of page {@code vpn} and every cached piece of a superpage that contains it (the
     * leaf PTE for that address may be the superpage's, so all its pieces are stale together).
     */
    void dropPage(long vpn) {
        drop((int) vpn & MASK, vpn);
        if (superpages == 0) return;
        for (int i = 0; i < SIZE; i++) {
            int l = level[i];
            if (l > 0 && tag[i] != -1 && (tag[i] >>> (9 * l)) == (vpn >>> (9 * l))) drop(i, tag[i]);
        }
    }

    private void drop(int i, long vpn) {
        if (tag[i] != vpn) return;
        tag[i] = -1;
        seg[i] = null;
        if (code != null) code[i] = null;
        level[i] = 0;
    }
}
