package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks one descriptor chain of a split virtqueue (virtio 1.2 §2.7.5) assuming a hostile guest. This is the
 * one place where guest-supplied descriptor indices, lengths, flags and addresses are checked; each
 * violation becomes a {@link VirtqueueError} (thrown as a {@link ChainError} to the queue, which reports
 * it). Bounds: every index is checked against its table, every descriptor is visited at most once (a
 * stamp per table slot, so no per-chain allocation), at most {@code size} buffer descriptors per chain,
 * total length below 2^32, every buffer wholly inside RAM.
 *
 * <p>Used under its queue's lock (one chain at a time).
 */
final class ChainParser {
    static final int DESC_SIZE = 16;
    static final int F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;
    private static final long MAX_TOTAL = 0xffff_ffffL;

    /** A guest error found while parsing; the queue turns it into a reported fault. */
    static final class ChainError extends Exception {
        final VirtqueueError error;
        final String detail;

        ChainError(VirtqueueError error, String detail) {
            super(error + ": " + detail, null, false, false);
            this.error = error;
            this.detail = detail;
        }
    }

    private final GuestMemory memory;
    private final long descTable;
    private final int size;
    private final boolean indirectAllowed;
    private final int[] seenDirect;
    private final int[] seenIndirect;
    private int stamp;

    ChainParser(GuestMemory memory, long descTable, int size, boolean indirectAllowed) {
        this.memory = memory;
        this.descTable = descTable;
        this.size = size;
        this.indirectAllowed = indirectAllowed;
        this.seenDirect = new int[size];
        this.seenIndirect = new int[size];
    }

    /** Parses the chain starting at {@code head} (as read from the available ring). */
    DescriptorChain parse(Virtqueue queue, int head) throws ChainError {
        if (head >= size) throw new ChainError(VirtqueueError.DESCRIPTOR_INDEX_OUT_OF_RANGE, "head " + head + " ≥ queue size " + size);
        if (++stamp == 0) { // wrapped after 2^32 chains: forget every old stamp
            java.util.Arrays.fill(seenDirect, 0);
            java.util.Arrays.fill(seenIndirect, 0);
            stamp = 1;
        }
        List<GuestRange> readable = new ArrayList<>(4);
        List<GuestRange> writable = new ArrayList<>(4);
        long readableLength = 0, writableLength = 0;
        int buffers = 0;

        long table = descTable;
        int tableSize = size;
        int[] seen = seenDirect;
        boolean inIndirect = false;
        int index = head;
        while (true) {
            if (seen[index] == stamp) {
                throw new ChainError(VirtqueueError.DESCRIPTOR_LOOP, "head " + head + " revisits descriptor " + index
                        + (inIndirect ? " of its indirect table" : ""));
            }
            seen[index] = stamp;
            long at = table + (long) index * DESC_SIZE;
            long addr = memory.read64(at);
            long len = memory.read32(at + 8) & 0xffff_ffffL;
            int flags = memory.read16(at + 12);
            int next = memory.read16(at + 14);

            if ((flags & F_INDIRECT) != 0) {
                // virtio 1.2 §2.7.5.3.1: the driver MUST NOT set INDIRECT unless negotiated, MUST NOT nest
                // indirect tables, and MUST NOT set INDIRECT and NEXT together.
                if (!indirectAllowed) throw new ChainError(VirtqueueError.INDIRECT_NOT_NEGOTIATED, "descriptor " + index);
                if (inIndirect) throw new ChainError(VirtqueueError.NESTED_INDIRECT, "entry " + index + " of head " + head + "'s table");
                if ((flags & F_NEXT) != 0) throw new ChainError(VirtqueueError.INDIRECT_WITH_NEXT, "descriptor " + index);
                if (len == 0 || len % DESC_SIZE != 0) {
                    throw new ChainError(VirtqueueError.INDIRECT_BAD_LENGTH, "descriptor " + index + " table length " + len);
                }
                long entries = len / DESC_SIZE;
                if (buffers + entries > size) {
                    throw new ChainError(VirtqueueError.CHAIN_TOO_LONG, "head " + head + ": indirect table of " + entries
                            + " after " + buffers + " descriptors, queue size " + size);
                }
                if (!memory.isRam(addr, len)) {
                    throw new ChainError(VirtqueueError.ADDRESS_OUT_OF_RAM, String.format("indirect table 0x%x+%d", addr, len));
                }
                // §2.7.5.3.2: the device MUST ignore the WRITE flag of the descriptor pointing at a table.
                table = addr;
                tableSize = (int) entries;
                seen = seenIndirect;
                inIndirect = true;
                index = 0;
                continue;
            }

            if (++buffers > size) {
                throw new ChainError(VirtqueueError.CHAIN_TOO_LONG, "head " + head + " has more than " + size + " descriptors");
            }
            if ((flags & F_WRITE) != 0) {
                writableLength += len;
            } else {
                // §2.7.4.2: device-writable descriptors come after every device-readable one.
                if (!writable.isEmpty()) {
                    throw new ChainError(VirtqueueError.READABLE_AFTER_WRITABLE, "head " + head + ", descriptor " + index);
                }
                readableLength += len;
            }
            if (readableLength + writableLength > MAX_TOTAL) {
                throw new ChainError(VirtqueueError.TOTAL_LENGTH_OVERFLOW, "head " + head + " totals "
                        + (readableLength + writableLength) + " bytes");
            }
            if (!memory.isRam(addr, len)) {
                throw new ChainError(VirtqueueError.ADDRESS_OUT_OF_RAM, String.format("head %d, descriptor %d: 0x%x+%d",
                        head, index, addr, len));
            }
            ((flags & F_WRITE) != 0 ? writable : readable).add(new GuestRange(addr, len));

            if ((flags & F_NEXT) == 0) break;
            if (next >= tableSize) {
                throw new ChainError(VirtqueueError.DESCRIPTOR_INDEX_OUT_OF_RANGE, "descriptor " + index + " next " + next
                        + " ≥ " + (inIndirect ? "indirect table size " : "queue size ") + tableSize);
            }
            index = next;
        }
        return new DescriptorChain(queue, head, List.copyOf(readable), List.copyOf(writable), readableLength, writableLength);
    }
}
