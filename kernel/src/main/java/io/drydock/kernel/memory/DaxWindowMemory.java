package io.drydock.kernel.memory;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.NativeCall;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A DAX window's host memory (virtio 1.2 §5.11.6.5, shared memory region 0 of virtio-fs): one contiguous
 * reservation of the window's size, made once, whose address never changes — so a RAM region over it, the
 * harts' TLBs and {@link GuestMemory} keep working while file ranges come and go inside it.
 *
 * <ul>
 *   <li>Unmapped parts are private anonymous zero pages ({@code MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE},
 *       read/write): they read as zero; a guest store there lands in a private page of this process and is
 *       thrown away at the next {@link #mapFile}/{@link #zero} of that range. Nothing faults, nothing reaches a
 *       file.</li>
 *   <li>{@link #mapFile} replaces a range with a file range ({@code mmap(MAP_FIXED)}), atomically for
 *       concurrent accesses: shared (stores reach the file) or private (stores stay in copy-on-write pages of
 *       this process; loads see the file's page cache until the page is written).</li>
 *   <li>{@link #zero} puts anonymous zero pages back at once (no garbage collector involved).</li>
 * </ul>
 *
 * <p>A file page that lies wholly past the end of its file raises SIGBUS when touched. Callers (the DAX
 * engine) map only up to the file's size rounded up to a page; a file truncated by the host under a live
 * mapping still makes such pages fault, which the JDK turns into an {@link InternalError} on the accessing
 * thread: {@link GuestMemory} and the system bus report that as a failed guest access.
 *
 * <p>Thread-safe: changes and {@link #close} are serialised; accesses need no lock.
 */
public final class DaxWindowMemory implements MemoryBacking {
    private static final NativeCall GETPAGESIZE = NativeCall.plain("getpagesize", FunctionDescriptor.of(JAVA_INT));
    /** The host page size: offsets, lengths and file offsets must be multiples of it. */
    public static final long PAGE_SIZE = pageSize();

    private static final int RW = Mmap.PROT_READ | Mmap.PROT_WRITE;
    private static final int ZERO_FLAGS = Mmap.MAP_PRIVATE | Mmap.MAP_ANONYMOUS | Mmap.MAP_NORESERVE;

    private final Arena arena;
    private final MemorySegment segment;

    private DaxWindowMemory(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    static DaxWindowMemory reserve(long size) throws IOException {
        if (size <= 0 || size % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("DAX window size must be a positive multiple of " + PAGE_SIZE + ", was " + size);
        }
        Arena arena = Arena.ofShared();
        try {
            return new DaxWindowMemory(arena, Mmap.map(size, RW, ZERO_FLAGS, -1, 0, arena));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps {@code length} bytes of the file open as {@code fd} from {@code fileOffset} at window offset
     * {@code offset}, replacing whatever was there. {@code fd} may be closed afterwards (the mapping keeps the
     * file). A shared mapping needs {@code fd} open read-write; a private one read-only is enough.
     *
     * @throws IllegalArgumentException for a range that is not page-aligned or not inside the window
     * @throws IllegalStateException    after {@link #close()}
     * @throws ErrnoException           when the host refuses (EACCES for an fd opened without the access needed)
     */
    public synchronized void mapFile(long offset, long length, int fd, long fileOffset, boolean shared) throws ErrnoException {
        check(offset, length);
        if (fileOffset < 0 || fileOffset % PAGE_SIZE != 0) throw new IllegalArgumentException("file offset 0x" + Long.toHexString(fileOffset) + " not page-aligned");
        Mmap.mapFixed(segment.asSlice(offset, length), length, RW,
                (shared ? Mmap.MAP_SHARED : Mmap.MAP_PRIVATE) | Mmap.MAP_FIXED, fd, fileOffset);
    }

    /** Puts zero pages back over [offset, offset+length): the range reads as zero from now on. */
    public synchronized void zero(long offset, long length) throws ErrnoException {
        check(offset, length);
        Mmap.mapFixed(segment.asSlice(offset, length), length, RW, ZERO_FLAGS | Mmap.MAP_FIXED, -1, 0);
    }

    private void check(long offset, long length) {
        if (!arena.scope().isAlive()) throw new IllegalStateException("DAX window is closed");
        if (offset < 0 || length <= 0 || offset % PAGE_SIZE != 0 || length % PAGE_SIZE != 0 || offset > segment.byteSize() - length) {
            throw new IllegalArgumentException(String.format("window range 0x%x+0x%x is not page-aligned inside 0x%x bytes",
                    offset, length, segment.byteSize()));
        }
    }

    @Override public MemorySegment segment() { return segment; }

    @Override public String describe() { return "dax window " + Sizes.format(segment.byteSize()); }

    /** Unmaps the whole window (file ranges included) now. Idempotent. */
    @Override public synchronized void close() { if (arena.scope().isAlive()) arena.close(); }

    private static long pageSize() {
        try {
            return (int) GETPAGESIZE.handle().invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpagesize downcall failed", t);
        }
    }
}
