package io.drydock.riscv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One direct-mapped software TLB: virtual page number → the RAM segment and the addend that turns a virtual
 * address into an offset in it ({@code offset = va + add}). The leaf level of the page-table entry each
 * translation came from is kept beside it, so that an address-specific sfence.vma can also drop the 4 KiB
 * pieces of a superpage it covers (priv 1.12 §4.2.1).
 *
 * <p>A data TLB also keeps {@link #fast}, what the interpreter's and translated code's inline checks read:
 * the entries on the machine's primary RAM segment (the Mmu's {@code ram}) as (tag, host address − va) pairs
 * in native memory read by raw address (no bounds check, which a long[] cost twice per access), so a hit costs
 * one compare and one raw access (valid while the Mmu holds the
 * segment's {@link io.drydock.kernel.memory.RamLease}; see {@code Mmu.enterRam}); entries on any
 * other segment (a DAX window) are in {@link #tag}/{@link #seg} only and hit in the interpreter's second path
 * ({@code Interpreter.loadOther/storeOther}), a call away.
 */
final class Tlb {
    static final int BITS = 10, SIZE = 1 << BITS, MASK = SIZE - 1;

    final long[] tag = new long[SIZE];
    final long[] add = new long[SIZE];
    final MemorySegment[] seg = new MemorySegment[SIZE];
    /**
     * Data TLBs: 2 × SIZE longs of native memory (freed with this TLB, which lives as long as its Mmu and so as the
     * Interpreter reading it): [2i] the vpn of entry i when its segment is the primary one, else -1; [2i+1] its
     * host address − va. Else null.
     */
    final MemorySegment fast;
    /** {@link #fast}'s host address (what the Interpreter reads), 0 for a fetch TLB. */
    final long fastAddress;
    /** The layout of {@link #fast}'s entries, written here and read by the Interpreter. */
    static final ValueLayout.OfLong FAST = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Decoded code pages (fetch TLBs only), else null. */
    final CodePage[] code;
    /** Per entry: the leaf level of its PTE (bits 0–1) and {@link #GLOBAL}. */
    private final byte[] level = new byte[SIZE];
    /** In {@link #level}: a global mapping (priv 1.12 §4.3.1), which an ASID-specific sfence.vma keeps. */
    private static final int GLOBAL = 0x10;
    /** Global entries filled since the last clear: 0 means an ASID fence can clear the whole TLB. */
    private int globals;
    /**
     * The superpages whose pieces were filled since the last clear, as (level, vpn >>> 9 * level) keys, at most
     * {@link #SUPER_KEYS} different ones ({@code superpages} = their count; more than that: scan on every drop).
     * A page-specific sfence.vma of a page outside all of them (an OS fencing a user page while its kernel runs
     * from gigapages) needs no scan of the 1024 entries: a fence per demand-paging fault made that scan, over
     * every set, 40 % of sys.elf's hart time (docs/speed.md, session 6).
     */
    private final long[] superKeys = new long[SUPER_KEYS];
    private int superpages;
    private static final int SUPER_KEYS = 8;
    /**
     * The indices filled since the last clear, while there are at most {@link #LOG} ({@code fills} counts on to
     * LOG + 1): clearing then resets those entries instead of all 1024. An OS's per-address-space fence (sys.elf's
     * unmapping, Linux's flush of an mm) clears sets that hold a few dozen pages; the arrays' full fill (about
     * 40 KB per set) was 4–5 % of sys.elf's hart samples in a warm JVM (docs/speed.md, session 6).
     */
    private final short[] filled = new short[LOG];
    private int fills = LOG + 1; // the arrays start as zeros, not -1: the first clear is a full one
    private static final int LOG = 64;

    Tlb(boolean fetch) {
        code = fetch ? new CodePage[SIZE] : null;
        fast = fetch ? null : Arena.ofAuto().allocate(16L * SIZE, 16);
        fastAddress = fetch ? 0 : fast.address();
        // the hit path reads the entries by raw address masked to Interpreter.HOST_BITS (as the primary segment's
        // accesses, Mmu): above that an entry would be misread, so such a host stops here (none known: user space
        // ends at 2^47, or 2^56 with 5-level paging)
        if (fastAddress + 16L * SIZE > Interpreter.HOST_BITS)
            throw new IllegalStateException("the TLB's fast entries were allocated above 2^56 (0x" + Long.toHexString(fastAddress) + ")");
        clear();
    }

    /**
     * {@code host}: the host address of {@code s}'s first byte when {@code s} is the Mmu's primary RAM segment
     * and its lease is held (the entry goes into {@link #fast} too, its addend absolute), else -1.
     */
    void fill(long vpn, MemorySegment s, long addend, int leafLevel, boolean global, long host) {
        int i = (int) vpn & MASK;
        if (fills < LOG) filled[fills] = (short) i;
        if (fills <= LOG) fills++;
        if (fast != null) {
            fast.setAtIndex(FAST, 2 * i, host != -1 ? vpn : -1);
            fast.setAtIndex(FAST, 2 * i + 1, addend + host);
        }
        tag[i] = vpn;
        seg[i] = s;
        add[i] = addend;
        level[i] = (byte) (leafLevel | (global ? GLOBAL : 0));
        if (global) globals++;
        if (leafLevel > 0) noteSuperpage(vpn, leafLevel);
    }

    private void noteSuperpage(long vpn, int leafLevel) {
        long key = ((long) leafLevel << 60) | (vpn >>> (9 * leafLevel));
        if (superpages > SUPER_KEYS) return; // too many to track: every drop scans
        for (int k = 0; k < superpages; k++) if (superKeys[k] == key) return;
        if (superpages < SUPER_KEYS) superKeys[superpages] = key;
        superpages++;
    }

    /** True when {@code vpn} may lie in a superpage some entry was filled from since the last clear. */
    private boolean inSuperpage(long vpn) {
        if (superpages > SUPER_KEYS) return true;
        for (int k = 0; k < superpages; k++) {
            long key = superKeys[k];
            int l = (int) (key >>> 60);
            if ((key & ((1L << 60) - 1)) == vpn >>> (9 * l)) return true;
        }
        return false;
    }

    void clear() {
        if (fills <= LOG) {
            for (int k = 0; k < fills; k++) reset(filled[k]);
        } else {
            Arrays.fill(tag, -1);
            if (fast != null) fast.fill((byte) -1);
            Arrays.fill(seg, null);
            if (code != null) Arrays.fill(code, null);
            Arrays.fill(level, (byte) 0);
        }
        fills = 0;
        superpages = 0;
        globals = 0;
    }

    /**
     * An sfence.vma for one address space (rs2 ≠ x0, every address): priv 1.12 §4.2.1 orders only the
     * non-global mappings of that space, so global ones (an OS kernel's) stay and need no walk afterwards.
     */
    void dropNonGlobal() {
        if (globals == 0) {
            clear();
            return;
        }
        if (fills <= LOG) { // every entry in use is in the log: look at those only
            for (int k = 0; k < fills; k++) if ((level[filled[k]] & GLOBAL) == 0) reset(filled[k]);
            return;
        }
        for (int i = 0; i < SIZE; i++) if (tag[i] != -1 && (level[i] & GLOBAL) == 0) drop(i, tag[i]);
    }

    /**
     * Drops the translation of page {@code vpn} and every cached piece of a superpage that contains it (the
     * leaf PTE for that address may be the superpage's, so all its pieces are stale together).
     */
    void dropPage(long vpn) {
        drop((int) vpn & MASK, vpn);
        if (superpages == 0 || !inSuperpage(vpn)) return;
        for (int i = 0; i < SIZE; i++) {
            int l = level[i] & 3;
            if (l > 0 && tag[i] != -1 && (tag[i] >>> (9 * l)) == (vpn >>> (9 * l))) drop(i, tag[i]);
        }
    }

    /** Entry i's fast tag (the vpn, or -1). */
    long fastTag(int i) { return fast.getAtIndex(FAST, 2 * i); }

    private void drop(int i, long vpn) {
        if (tag[i] == vpn) reset(i);
    }

    private void reset(int i) {
        tag[i] = -1;
        if (fast != null) fast.setAtIndex(FAST, 2 * i, -1);
        seg[i] = null;
        if (code != null) code[i] = null;
        level[i] = 0;
    }
}
