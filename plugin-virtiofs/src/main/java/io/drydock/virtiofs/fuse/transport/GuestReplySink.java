package io.drydock.virtiofs.fuse.transport;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.virtio.GuestRange;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The writable descriptors of a request chain as a {@link ReplySink}: {@code fuse_out_header} and the reply
 * go straight into the guest's buffers (READ {@code preadv}s from the host file into them, no copy). The
 * ranges were checked by the virtqueue's chain parser; {@link GuestMemory#slice} checks each piece again
 * against RAM as it is now, so a region unmapped meanwhile faults instead of reaching freed memory.
 */
final class GuestReplySink implements ReplySink {
    private final GuestMemory memory;
    private final List<GuestRange> ranges;
    private final long capacity;

    GuestReplySink(GuestMemory memory, List<GuestRange> ranges, long capacity) {
        this.memory = memory;
        this.ranges = ranges;
        this.capacity = capacity;
    }

    @Override public long capacity() { return capacity; }

    @Override public List<MemorySegment> slices(long offset, long length) {
        if (offset < 0 || length < 0 || offset > capacity - length) {
            throw new IndexOutOfBoundsException("reply range " + offset + "+" + length + " beyond " + capacity);
        }
        List<MemorySegment> out = new ArrayList<>(2);
        long skip = offset, left = length;
        for (GuestRange r : ranges) {
            if (left == 0) break;
            if (skip >= r.length()) {
                skip -= r.length();
                continue;
            }
            long n = Math.min(r.length() - skip, left);
            out.add(memory.slice(r.address() + skip, n));
            left -= n;
            skip = 0;
        }
        return out;
    }
}
