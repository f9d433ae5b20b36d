package io.drydock.riscv;

/**
 * The decoded form of one physical code page: a packed {@link Op} word per half-word slot (plus the two
 * {@link Op#PAGE_END} sentinels), and the translated {@link Block}s starting at each slot with the entry
 * counts that decide when to translate. Dropped as a whole by fence.i, reset and memory-map changes, so
 * blocks follow exactly the invalidation rules of the decoded words they were built from.
 */
final class CodePage {
    final long[] ops = new long[2050];
    final Block[] blocks = new Block[2048];
    /**
     * The heat of each slot before translation ({@link Interpreter#HOT}): the entries at it (or with
     * {@code -Ddrydock.jit.heat=instructions} the instructions interpreted from them); {@link #NEVER} once translation was
     * refused, from where counting up takes 32768 + HOT entries (fewer when they come from old blocks: {@link
     * Interpreter#EXIT_HEAT}; 2^22 + HOT instructions) before it is tried again
     * (no separate test for it on the hot path: a branch C2 never saw taken becomes a deoptimisation trap, and the
     * first refused block took it).
     */
    final int[] heat = new int[2048];
    static final int NEVER = Interpreter.ENTRIES ? Short.MIN_VALUE : -(1 << 22);
    /**
     * Whether blocks translated from this page call the loads and stores that go on after a fast-entry miss
     * ({@code ldN}/{@code stN}) instead of those that leave the block ({@code ldNHit}/{@code stNHit}): set once
     * a block of the page left on {@link Block#MISSES} misses, e.g. a copy loop reading a DAX window, whose pages
     * are never in the fast entries.
     */
    boolean callOnMiss;
    /** The heat window ({@link Interpreter#WINDOW}) that the counts in {@link #heat} were taken in. */
    long window;

    /**
     * The heat window in which the first block of this page was translated (a large value before): how long the page
     * has held hot code ({@link Interpreter#EXIT_HEAT}).
     */
    long translatedSince = Long.MAX_VALUE >> 1;

    CodePage() {
        ops[2048] = ops[2049] = Op.pack(Op.PAGE_END, 0, 0, 0, 0, false);
    }

    /** Called when a block of this page was translated (in the current {@link #window}). */
    void translated() {
        if (translatedSince > window) translatedSince = window;
    }

    /**
     * This page, its counts taken in window {@code w}: when they were taken in an earlier one, they go back to 0
     * (refusals keep counting up from NEVER).
     */
    CodePage inWindow(long w) {
        if (window != w) newWindow(w); // the reset out of line: this test is inlined where pages are looked up
        return this;
    }

    private void newWindow(long w) {
        window = w;
        // min, not a test per slot: C2 vectorises it (a Linux boot spent 3 % of the hart's time in the tested loop)
        for (int i = 0; i < heat.length; i++) heat[i] = Math.min(heat[i], 0);
    }
}
