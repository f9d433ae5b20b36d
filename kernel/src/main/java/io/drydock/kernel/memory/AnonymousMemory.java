package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Private anonymous memory (mmap MAP_ANONYMOUS|MAP_NORESERVE): untouched pages cost nothing. */
public final class AnonymousMemory implements MemoryBacking {
    private final Arena arena;
    private final MemorySegment segment;

    private AnonymousMemory(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    static AnonymousMemory map(long size) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("memory size must be positive, was " + size);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment s = Mmap.map(size, Mmap.PROT_READ | Mmap.PROT_WRITE,
                    Mmap.MAP_PRIVATE | Mmap.MAP_ANONYMOUS | Mmap.MAP_NORESERVE, -1, 0, arena);
            return new AnonymousMemory(arena, s);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override public MemorySegment segment() { return segment; }

    @Override public String describe() { return "anonymous " + Sizes.format(segment.byteSize()); }

    @Override public synchronized void close() { if (arena.scope().isAlive()) arena.close(); }
}
