package io.drydock.riscv;

/**
 * A translated region ({@link Region}): guest instructions with branches, side exits and loops inside,
 * compiled by {@link Translator} to one JVM method that HotSpot then compiles like any other.
 * The code is position-independent (pc is an argument) because the same physical page may be mapped at
 * several virtual addresses.
 *
 * <p><b>Chained exits.</b> Each exit to a constant pc (a branch or jal leaving the region, the fall-through
 * at its end) has a slot in {@link #next}: the block that starts there, filled in by the interpreter's
 * dispatch loop the first time that exit is taken. Later, that exit calls the successor's {@code run} directly
 * (a call site with one receiver class, which HotSpot can inline) instead of returning to the dispatch loop.
 * A successor on the same virtual page needs no check: a block runs at a virtual pc whose page the fetch TLB
 * maps to the block's code page, so a target on that virtual page is on the same physical page, whose blocks
 * are dropped together (fence.i, reset, map changes). A successor on another page is linked only when that
 * page is in the fetch TLB (never a page with a breakpoint, nor one whose fetch faults), with the target pc
 * and the fetch generation ({@link Mmu#fetchGen()}) in {@link #linkPc}/{@link #linkGen}, and followed only
 * while both match: the generation changes with every sfence.vma (priv 1.12 §4.2.1) that reaches the current
 * fetch context, with a change of context (satp, privilege: trap entry, xRET; §4.1.11), and with fence.i,
 * reset and memory-map changes, after which the dispatch loop looks the target up and links it again. The
 * pc compare keeps an alias of the block's own page (another virtual address) from following a link made
 * through the other. A jalr to a target on the same virtual page calls the block at the target's slot of its
 * code page ({@link #page}) when there is one, whatever the target (the interpreter's table dispatch and
 * function returns change targets all the time); for targets on other pages it has one slot, an inline cache
 * of one target linked and guarded as a cross-page link.
 *
 * <p><b>Calls and returns</b> ({@link #calls}). A call — {@code jal}/{@code jalr} that writes the link register
 * x1 or x5 (the return-address-stack hint of unpriv §2.5.1) — does not end its region: the callee's block runs
 * as a JVM call from the caller's frame (the same checks as a chained exit) and is given the call's return
 * address as {@code ret}; when the callee's code jumps by jalr to exactly that pc (the function's {@code ret}),
 * it returns to the caller's frame as a JVM return instead of chaining onward, and the caller, seeing the pc it
 * expected, reloads its register locals from {@code x} and goes on with the instructions after the call in the
 * same method (a loop around a call is then a JVM loop). Any other outcome is returned on up as before.
 */
abstract class Block {
    /** Guest instructions in the region: the most one pass through it (without a back edge) retires. */
    final int length;
    /** Per chainable exit: the block at its target, or null until the dispatch loop links it; per jalr: the last target's. */
    final Block[] next;
    /**
     * Per slot linked to a block on another virtual page: the target pc and the fetch generation
     * ({@link Mmu#fetchGen()}) it was linked under; the link is followed only while both still match.
     */
    final long[] linkPc, linkGen;
    /**
     * The translated blocks of this block's code page ({@link CodePage#blocks}), by half-word slot: a jalr to a
     * target on the same virtual page calls the block there, if any, without a cache.
     */
    final Block[] page;
    /**
     * Nesting of chained calls at most (the JVM stack grows by one frame per chained block), read when a block
     * is translated; 0 turns chaining off ({@code -Ddrydock.jit.chain=N}).
     */
    static volatile int chain = JitProperty.integer("drydock.jit.chain", 8, 0, Integer.MAX_VALUE);
    /** 0 turns cross-page links off ({@code -Ddrydock.jit.crosspage=0}; 1, the default, on): exits then chain on their own page only. */
    static volatile int crossPage = JitProperty.integer("drydock.jit.crosspage", 1, 0, 1);
    /** 0 turns calls inside regions off ({@code -Ddrydock.jit.calls=0}; 1, the default, on): a call then ends its region. */
    static volatile int calls = JitProperty.integer("drydock.jit.calls", 1, 0, 1);

    /** Whether a region goes on after a call (read when a region is formed and translated; needs chaining on). */
    static boolean callsInRegion() { return calls != 0 && chain > 0; }

    /** A call: jal or jalr writing x1 or x5, which pushes the return-address stack (unpriv §2.5.1, table 2.1). */
    static boolean isCall(long w) {
        int op = Op.op(w), rd = Op.rd(w);
        return (op == Op.JAL || op == Op.JALR) && (rd == 1 || rd == 5);
    }

    /**
     * Fast-entry misses this block left on (Interpreter.Miss) in a row, each within {@link #MISS_GAP} retired
     * instructions of the one before, and the retired count at the last. A loop streaming through DRAM misses once
     * per new page (hundreds of instructions apart at least); one reading a DAX window, whose pages are never fast
     * entries, at every pass.
     */
    private int misses;
    private long lastMiss = Long.MIN_VALUE / 2;
    static final int MISSES = 32, MISS_GAP = 256;

    /**
     * Counts a miss at retired count {@code at}; true when this block keeps missing (the {@link #MISSES}th close
     * miss in a row): then its page's blocks are translated again with the accesses that go on after a miss
     * ({@link CodePage#callOnMiss}).
     */
    boolean missed(long at) {
        misses = at - lastMiss < MISS_GAP ? misses + 1 : 1;
        lastMiss = at;
        return misses == MISSES;
    }

    Block(int length, int exits, Block[] page) {
        this.length = length;
        this.next = new Block[exits];
        this.linkPc = new long[exits];
        this.linkGen = new long[exits];
        this.page = page;
    }

    /**
     * Executes the region starting at virtual {@code pc} and returns the next pc; {@code in.ran} is then the
     * number of instructions retired, never more than {@code left} (which must be at least {@link #length}),
     * including those of chained successors ({@code depth} is the nesting, 0 from the dispatch loop). When an
     * instruction traps (any throwable), {@code in.trapPc} is its pc and {@code in.ran} the number that retired
     * before it, and the hart's registers are stored back. An exit to a constant pc whose successor is not
     * linked yet sets {@code in.linkFrom} to this block and {@code in.linkExit} to the exit's slot. {@code ret} is
     * the return address a caller's frame waits for (see "Calls and returns"), -1 (no pc) from the dispatch loop:
     * a jalr to it returns.
     */
    abstract long run(Interpreter in, long[] x, long pc, int left, int depth, long ret);
}
