package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A memfd mapped shared: the same pages can be handed to another process (a vhost-user backend) by
 * passing {@link #fd()} over a Unix socket. Closing unmaps and closes the descriptor.
 */
public final class SharedMemoryFile implements MemoryBacking {
    private final String name;
    private final int fd;
    private final RamLease lease;
    private final MemorySegment segment;

    private SharedMemoryFile(String name, int fd, Arena arena, MemorySegment segment) {
        this.name = name;
        this.fd = fd;
        this.lease = new RamLease(arena, segment, () -> Mmap.close(fd));
        this.segment = segment;
    }

    static SharedMemoryFile create(String name, long size) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("memory size must be positive, was " + size);
        int fd = Mmap.memfdCreate(name);
        Arena arena = Arena.ofShared();
        try {
            Mmap.ftruncate(fd, size);
            MemorySegment s = Mmap.map(size, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED, fd, 0, arena);
            return new SharedMemoryFile(name, fd, arena, s);
        } catch (IOException | RuntimeException e) {
            arena.close();
            Mmap.close(fd);
            throw e;
        }
    }

    /**
     * Maps {@code size} bytes at {@code offset} of a shared memory file another process passed us (a
     * vhost-user frontend's guest RAM); this object owns {@code fd} from now on, also when mapping fails.
     * The caller has checked the range against the file's size: pages past the end of the file would fault
     * (SIGBUS) on access. The mapping starts at offset 0 of the file, as libvhost-user maps it, so
     * {@code offset} need not be page-aligned.
     */
    public static SharedMemoryFile adopt(String name, int fd, long offset, long size) throws IOException {
        if (size <= 0 || offset < 0 || offset > Long.MAX_VALUE - size)
            throw new IllegalArgumentException("bad range " + offset + "+" + size);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = Mmap.map(offset + size, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED, fd, 0, arena);
            return new SharedMemoryFile(name, fd, arena, whole.asSlice(offset, size));
        } catch (IOException | RuntimeException e) {
            arena.close();
            Mmap.close(fd);
            throw e;
        }
    }

    /** The memfd's descriptor, valid until {@link #close()}. */
    public int fd() { return fd; }

    @Override public MemorySegment segment() { return segment; }

    @Override public String describe() { return "memfd " + name + " " + Sizes.format(segment.byteSize()); }

    @Override public RamLease lease() { return lease; }

    /** Unmaps and closes the descriptor now, or when the last CPU inside its {@link #lease()} leaves. */
    @Override public void close() { lease.close(); }
}
