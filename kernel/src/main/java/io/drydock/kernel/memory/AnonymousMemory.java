package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory of this process alone, zero on first touch and reserved lazily by the host kernel: an unlinked sparse
 * tmpfs file mapped shared ({@link TmpfsRam}: no FFM link in a cold run), or, where no tmpfs has room or
 * anonymous memory gets huge pages unasked, private anonymous memory (mmap MAP_ANONYMOUS|MAP_NORESERVE).
 * Untouched pages cost nothing either way.
 */
public final class AnonymousMemory implements MemoryBacking {
    private final RamLease lease;
    private final MemorySegment segment;
    private final boolean tmpfs;

    private AnonymousMemory(Arena arena, MemorySegment segment, boolean tmpfs) {
        this.lease = new RamLease(arena, segment, () -> {});
        this.segment = segment;
        this.tmpfs = tmpfs;
    }

    static AnonymousMemory map(long size) throws IOException { return map(size, TmpfsRam.directories()); }

    /** {@link #map(long)} trying the tmpfs directories {@code dirs} first (none: anonymous mmap). */
    static AnonymousMemory map(long size, List<Path> dirs) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("memory size must be positive, was " + size);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment s = TmpfsRam.map(dirs, size, arena);
            if (s != null) return new AnonymousMemory(arena, s, true);
            s = Mmap.map(size, Mmap.PROT_READ | Mmap.PROT_WRITE,
                    Mmap.MAP_PRIVATE | Mmap.MAP_ANONYMOUS | Mmap.MAP_NORESERVE, -1, 0, arena);
            return new AnonymousMemory(arena, s, false);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** True when the pages come from an unlinked tmpfs file, false for anonymous mmap. */
    public boolean onTmpfs() { return tmpfs; }

    @Override public MemorySegment segment() { return segment; }

    @Override public String describe() { return (tmpfs ? "anonymous (tmpfs) " : "anonymous ") + Sizes.format(segment.byteSize()); }

    @Override public RamLease lease() { return lease; }

    /** Unmaps now, or when the last CPU inside its {@link #lease()} leaves. */
    @Override public void close() { lease.close(); }
}
