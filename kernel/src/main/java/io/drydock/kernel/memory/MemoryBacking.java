package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Host memory behind a RAM region: anonymous memory, a shared memory file (memfd, for a separate-process
 * backend), or a memory-mapped range of a host file (the DAX window). Every backing unmaps
 * deterministically on {@link #close()}: after it, any access to {@link #segment()} throws
 * {@link IllegalStateException} (on every thread) instead of touching freed memory — for a backing with a
 * {@link #lease()}, once no CPU is inside it.
 *
 * <p>Created by machine assembly code and by the DAX window; devices never see a backing.
 */
public sealed interface MemoryBacking extends AutoCloseable
        permits AnonymousMemory, SharedMemoryFile, MappedFileRange, DaxWindowMemory {

    /** The mapped bytes, valid until {@link #close()}. */
    MemorySegment segment();

    default long size() { return segment().byteSize(); }

    /** A short description for summaries ("anonymous 256 MiB", "memfd drydock-ram", "file x.img+0x2000"). */
    String describe();

    /**
     * What a CPU enters to reach this memory by raw host address ({@link RamLease}), or null when it may not
     * (file-backed mappings: their pages may vanish under it). Anonymous memory and memfds have one.
     */
    default RamLease lease() { return null; }

    /** Unmaps now (with a {@link #lease()}: when the last CPU inside it leaves). Idempotent. */
    @Override void close();

    /** Memory of this process alone (an unlinked tmpfs file, else anonymous mmap), zero on first touch and reserved lazily by the host kernel. */
    static MemoryBacking anonymous(long size) throws IOException { return AnonymousMemory.map(size); }

    /** A memfd of {@code size} bytes mapped shared, so another process can map the same pages. */
    static SharedMemoryFile sharedFile(String name, long size) throws IOException { return SharedMemoryFile.create(name, size); }

    /** A reserved window of {@code size} bytes reading as zero, into which host file ranges are mapped (DAX). */
    static DaxWindowMemory daxWindow(long size) throws IOException { return DaxWindowMemory.reserve(size); }

    /** {@code length} bytes of {@code file} from {@code offset}, mapped shared (writes reach the file unless read-only). */
    static MemoryBacking mappedFile(Path file, long offset, long length, boolean readOnly) throws IOException {
        return MappedFileRange.map(file, offset, length, readOnly);
    }
}
