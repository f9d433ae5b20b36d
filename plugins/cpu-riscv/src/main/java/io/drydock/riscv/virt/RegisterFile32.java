package io.drydock.riscv.virt;

import io.drydock.kernel.bus.BusDevice;

/**
 * A device whose registers are 32-bit words: accesses of other widths are composed from word reads and
 * read-modify-write word writes (an 8-byte access touches two words, low first), so each device only
 * decodes aligned words. Synchronised: one access at a time per device.
 */
abstract class RegisterFile32 implements BusDevice {
    /** The word at a 4-aligned offset. */
    protected abstract int readWord(long offset);

    /** Writes a word at a 4-aligned offset; {@code mask} has ones for the bytes written. */
    protected abstract void writeWord(long offset, int value, int mask);

    @Override public final synchronized long read(long offset, int size) {
        if (size == 8) return (readWord(offset) & 0xffff_ffffL) | ((long) readWord(offset + 4) << 32);
        int shift = (int) (offset & 3) * 8;
        long v = (readWord(offset & ~3L) & 0xffff_ffffL) >>> shift;
        return size == 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override public final synchronized void write(long offset, int size, long value) {
        if (size == 8) {
            writeWord(offset, (int) value, -1);
            writeWord(offset + 4, (int) (value >>> 32), -1);
            return;
        }
        int shift = (int) (offset & 3) * 8;
        int mask = size == 4 ? -1 : (int) (((1L << (size * 8)) - 1) << shift);
        writeWord(offset & ~3L, (int) (value << shift), mask);
    }

    static int merge(int old, int value, int mask) { return (old & ~mask) | (value & mask); }
}
