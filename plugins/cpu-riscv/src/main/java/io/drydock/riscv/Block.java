package io.drydock.riscv;

/**
 * A translated region ({@link Region}): guest instructions with branches, side exits and loops inside,
 * compiled by {@link Translator} to one JVM method that HotSpot then compiles like any other.
 * The code is position-independent (pc is an argument) because the same physical page may be mapped at
 * several virtual addresses.
 *
 * <p><b>Chained exits.</b> Each exit to a constant pc (a branch or jal leaving the region, the fall-through
 * at its end) has a slot in {@link #next}: the block that starts there, filled in by the interpreter's
 * dispatch loop the first time that exit is taken and the successor is on the same virtual page. Later, that
 * exit calls the successor's {@code run} directly (a call site with one receiver class, which HotSpot can
 * inline) instead of returning to the dispatch loop. Same page only: a block runs at a virtual pc whose page
 * the fetch TLB maps to the block's code page, so a target on that virtual page is on the same physical page,
 * whose blocks are dropped together (fence.i, reset, map changes) — no generation check is needed. A jalr
 * has a slot too, an inline cache of one target: used when the target is on the same virtual page and at
 * the cached block's start, re-linked by the dispatch loop on a miss.
 */
abstract class Block {
    /** Guest instructions in the region: the most one pass through it (without a back edge) retires. */
    final int length;
    /** Per chainable exit: the block at its target, or null until the dispatch loop links it; per jalr: the last target's. */
    final Block[] next;
    /** Offset of the first instruction in its page (a jalr's inline cache compares the target with it). */
    final int start;
    /**
     * Nesting of chained calls at most (the JVM stack grows by one frame per chained block), read when a block
     * is translated; 0 turns chaining off ({@code -Ddrydock.jit.chain=N}).
     */
    static volatile int chain = Integer.getInteger("drydock.jit.chain", 8);

    Block(int length, int exits, int start) {
        this.length = length;
        this.next = new Block[exits];
        this.start = start;
    }

    /**
     * Executes the region starting at virtual {@code pc} and returns the next pc; {@code in.ran} is then the
     * number of instructions retired, never more than {@code left} (which must be at least {@link #length}),
     * including those of chained successors ({@code depth} is the nesting, 0 from the dispatch loop). When an
     * instruction traps (any throwable), {@code in.trapPc} is its pc and {@code in.ran} the number that retired
     * before it, and the hart's registers are stored back. An exit to a constant pc whose successor is not
     * linked yet sets {@code in.linkFrom} to this block and {@code in.linkExit} to the exit's slot.
     */
    abstract long run(Interpreter in, long[] x, long pc, int left, int depth);
}
