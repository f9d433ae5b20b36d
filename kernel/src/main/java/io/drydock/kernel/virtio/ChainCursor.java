package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;

import java.util.List;

/**
 * A position in a list of guest buffers, shared by {@link ChainReader} and {@link ChainWriter}: it walks the
 * segments, and turns a guest-memory fault (RAM unmapped since the chain was parsed) into NEEDS_RESET.
 * Not thread-safe: one cursor per request.
 */
abstract sealed class ChainCursor permits ChainReader, ChainWriter {
    /** A step over guest memory: copy {@code len} bytes at guest {@code addr}, {@code done} bytes into the call. */
    @FunctionalInterface
    interface Step {
        void apply(GuestMemory memory, long addr, long done, long len);
    }

    final Virtqueue queue;
    private final List<GuestRange> segments;
    private final long total;
    private int segment;
    private long inSegment;
    private long position;

    ChainCursor(Virtqueue queue, List<GuestRange> segments, long total) {
        this.queue = queue;
        this.segments = segments;
        this.total = total;
    }

    /** Bytes left. */
    public final long remaining() { return total - position; }

    /** Bytes consumed so far. */
    public final long position() { return position; }

    /** Moves forward {@code n} bytes without touching memory. */
    public final void skip(long n) { walk(n, (m, a, d, l) -> {}); }

    /**
     * Walks {@code n} bytes, calling {@code step} once per piece of a segment.
     *
     * @throws IndexOutOfBoundsException when fewer than {@code n} bytes remain (a device bug: check
     *                                   {@link #remaining()} first)
     * @throws VirtqueueException        when guest memory went away under the chain (already reported)
     */
    final void walk(long n, Step step) {
        if (n < 0 || n > remaining()) {
            throw new IndexOutOfBoundsException("chain cursor: " + n + " bytes asked, " + remaining() + " left");
        }
        long done = 0;
        while (done < n) {
            GuestRange r = segments.get(segment);
            long len = Math.min(n - done, r.length() - inSegment);
            if (len > 0) {
                try {
                    step.apply(queue.memory(), r.address() + inSegment, done, len);
                } catch (GuestMemoryException e) {
                    throw queue.fail(VirtqueueError.ADDRESS_OUT_OF_RAM, e.getMessage());
                }
            }
            done += len;
            inSegment += len;
            position += len;
            if (inSegment == r.length() && segment < segments.size() - 1) {
                segment++;
                inSegment = 0;
            }
        }
    }
}
