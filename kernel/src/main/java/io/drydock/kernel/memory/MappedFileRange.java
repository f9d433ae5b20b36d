package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A range of a host file mapped shared ({@code FileChannel.map} into a shared arena, so unmapping happens
 * at {@link #close()}, not when the garbage collector gets round to it). Writes through a read-write
 * mapping reach the host file.
 */
public final class MappedFileRange implements MemoryBacking {
    private final Path file;
    private final long offset;
    private final boolean readOnly;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFileRange(Path file, long offset, boolean readOnly, Arena arena, MemorySegment segment) {
        this.file = file;
        this.offset = offset;
        this.readOnly = readOnly;
        this.arena = arena;
        this.segment = segment;
    }

    static MappedFileRange map(Path file, long offset, long length, boolean readOnly) throws IOException {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad file range: offset " + offset + ", length " + length);
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = readOnly ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment s = ch.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE,
                    offset, length, arena);
            return new MappedFileRange(file, offset, readOnly, arena, s);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public boolean readOnly() { return readOnly; }

    public Path file() { return file; }

    public long fileOffset() { return offset; }

    @Override public MemorySegment segment() { return segment; }

    @Override public String describe() {
        return "file " + file + "+0x" + Long.toHexString(offset) + " " + Sizes.format(segment.byteSize())
                + (readOnly ? " ro" : " rw");
    }

    @Override public synchronized void close() { if (arena.scope().isAlive()) arena.close(); }
}
