package io.drydock.riscv;

/**
 * A translated region ({@link Region}): guest instructions with branches, side exits and loops inside,
 * compiled by {@link Translator} to one JVM method that HotSpot then compiles like any other.
 * The code is position-independent (pc is an argument) because the same physical page may be mapped at
 * several virtual addresses.
 */
abstract class Block {
    /** Guest instructions in the region: the most one pass through it (without a back edge) retires. */
    final int length;
    /** Byte offset of each instruction from the block's first pc, to report a trap at the right pc. */
    final short[] offsets;

    Block(int length, short[] offsets) {
        this.length = length;
        this.offsets = offsets;
    }

    /**
     * Executes the region starting at virtual {@code pc} and returns the next pc; {@code in.ran} is then the
     * number of instructions retired, never more than {@code left} (which must be at least {@link #length}).
     * When instruction k traps (any throwable), {@code in.trapIndex} is k and {@code in.ran} the number that
     * retired before it, and the hart's registers are stored back.
     */
    abstract long run(Interpreter in, long[] x, long pc, int left);
}
