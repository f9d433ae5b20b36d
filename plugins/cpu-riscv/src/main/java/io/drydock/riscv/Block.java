package io.drydock.riscv;

/**
 * A translated basic block: a straight-line run of guest instructions, at most the last of which jumps or
 * branches, compiled by {@link Translator} to one JVM method that HotSpot then compiles like any other.
 * The code is position-independent (pc is an argument) because the same physical page may be mapped at
 * several virtual addresses.
 */
abstract class Block {
    /** Guest instructions in the block; all of them retire when {@link #run} returns normally. */
    final int length;
    /** Byte offset of each instruction from the block's first pc, to report a trap at the right pc. */
    final short[] offsets;

    Block(int length, short[] offsets) {
        this.length = length;
        this.offsets = offsets;
    }

    /**
     * Executes the block starting at virtual {@code pc} and returns the next pc. When instruction k traps
     * (any throwable), {@code in.trapIndex} is k on the way out: instructions 0..k-1 retired, k did not.
     */
    abstract long run(Interpreter in, long[] x, long pc);
}
