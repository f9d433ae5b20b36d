package io.drydock.virtiofs.fuse.transport;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** A {@link ReplySink} over one contiguous (native, for direct reads) segment. */
public record SegmentSink(MemorySegment buffer) implements ReplySink {
    @Override public long capacity() { return buffer.byteSize(); }

    @Override public List<MemorySegment> slices(long offset, long length) {
        return List.of(buffer.asSlice(offset, length));
    }
}
