package io.drydock.kernel.virtio;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the device-readable part of a {@link DescriptorChain} as one stream, across buffer boundaries
 * (requests may break at any descriptor, virtio 1.2 §2.7.4). Methods throw
 * {@link IndexOutOfBoundsException} when asked for more than {@link #remaining()} (check first: a short
 * request is a protocol error for the device to answer, not a queue fault) and {@link VirtqueueException}
 * when guest memory vanished under the chain.
 */
public final class ChainReader extends ChainCursor {
    ChainReader(Virtqueue queue, List<GuestRange> segments, long total) { super(queue, segments, total); }

    /** Fills {@code dst} completely. */
    public void readFully(byte[] dst) { read(MemorySegment.ofArray(dst), 0, dst.length); }

    /** The next {@code n} bytes as a little-endian buffer positioned at 0. */
    public ByteBuffer readBuffer(int n) {
        byte[] b = new byte[n];
        readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies the next {@code len} bytes into {@code dst} at {@code dstOffset}. */
    public void read(MemorySegment dst, long dstOffset, long len) {
        walk(len, (memory, addr, done, n) -> memory.read(addr, dst, dstOffset + done, n));
    }

    public int read8() { return readBuffer(1).get() & 0xff; }

    public int read16() { return readBuffer(2).getShort() & 0xffff; }

    public int read32() { return readBuffer(4).getInt(); }

    public long read64() { return readBuffer(8).getLong(); }

    /**
     * Zero-copy views of the next {@code len} bytes (one per buffer piece), for host I/O such as
     * {@code pwrite} straight from guest memory. Valid for this request only.
     */
    public List<MemorySegment> slices(long len) {
        List<MemorySegment> out = new ArrayList<>();
        walk(len, (memory, addr, done, n) -> out.add(memory.slice(addr, n)));
        return out;
    }
}
