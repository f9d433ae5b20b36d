package io.drydock.kernel.virtio;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the device-writable part of a {@link DescriptorChain} as one stream. {@link #written()} is what
 * the device passes as the used length (virtio 1.2 §2.7.8.2: "the device MUST set len to ... the number of
 * bytes written"). Throws like {@link ChainReader}.
 */
public final class ChainWriter extends ChainCursor {
    ChainWriter(Virtqueue queue, List<GuestRange> segments, long total) { super(queue, segments, total); }

    /** Bytes written so far: the used length. */
    public long written() { return position(); }

    public void write(byte[] src) { write(MemorySegment.ofArray(src), 0, src.length); }

    /** Writes {@code src.remaining()} bytes, advancing its position. */
    public void write(ByteBuffer src) {
        int n = src.remaining();
        write(MemorySegment.ofBuffer(src), 0, n);
        src.position(src.position() + n);
    }

    public void write(MemorySegment src, long srcOffset, long len) {
        walk(len, (memory, addr, done, n) -> memory.write(addr, src, srcOffset + done, n));
    }

    /** Writes {@code len} copies of {@code value}. */
    public void fill(long len, byte value) { walk(len, (memory, addr, done, n) -> memory.fill(addr, n, value)); }

    public void write32(int value) { write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value)); }

    public void write64(long value) { write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value)); }

    /**
     * Zero-copy views of the next {@code len} bytes (e.g. to {@code pread} a host file straight into the
     * guest's buffer), counted as written.
     */
    public List<MemorySegment> slices(long len) {
        List<MemorySegment> out = new ArrayList<>();
        walk(len, (memory, addr, done, n) -> out.add(memory.slice(addr, n)));
        return out;
    }
}
