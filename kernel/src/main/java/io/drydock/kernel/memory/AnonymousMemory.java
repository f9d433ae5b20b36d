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

    /**
     * Links the libc calls every machine's RAM makes (mmap, and munmap at its end) on a daemon thread of its
     * own, so that a cold start can do it on a second core while it loads the plugins: the first FFM downcall
     * link of a JVM spins dozens of classes (the stub and its lambda forms, which the AOT cache cannot hold),
     * about 40 ms of a cold scripts/run done inline at assembly. Harmless when already linked; a failure
     * here is ignored, and the mapping itself then links (and reports) as it always does.
     */
    public static void linkAhead() {
        Thread.ofPlatform().daemon().name("mmap-link").start(() -> {
            try {
                Mmap.link();
            } catch (RuntimeException | LinkageError ignored) {
                // the mapping links again and reports the problem where it matters
            }
        });
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
