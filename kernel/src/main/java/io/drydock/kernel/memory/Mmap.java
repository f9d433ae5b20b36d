package io.drydock.kernel.memory;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * mmap(2), munmap(2), memfd_create(2), ftruncate(2) and close(2), for the memory backings only: all through
 * {@link NativeCall#ofLongs}'s one FFM shape, so that a cold run links one downcall for its backings, not one
 * per function (mmap's link was most of a bare ELF's machine assembly, munmap's most of its shutdown; guest RAM
 * on tmpfs, {@link TmpfsRam}, now needs none).
 */
final class Mmap {
    private Mmap() {}

    static final int PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    static final int MFD_CLOEXEC = 1;
    /** mmap's MAP_FAILED, {@code (void *) -1}. */
    private static final long FAILED = -1L;

    private static final NativeCall MMAP = NativeCall.ofLongs("mmap");
    private static final NativeCall MUNMAP = NativeCall.ofLongs("munmap");
    private static final NativeCall MEMFD_CREATE = NativeCall.ofLongs("memfd_create");
    private static final NativeCall FTRUNCATE = NativeCall.ofLongs("ftruncate");
    private static final NativeCall CLOSE = NativeCall.ofLongs("close");

    /** Maps {@code size} bytes; the returned segment is unmapped when {@code arena} closes. */
    static MemorySegment map(long size, int prot, int flags, int fd, long offset, Arena arena) throws ErrnoException {
        long address = mmap(0L, size, prot, flags, fd, offset, "");
        return MemorySegment.ofAddress(address).reinterpret(size, arena, Mmap::unmapQuietly);
    }

    /**
     * mmap(2) with MAP_FIXED over [at, at+size) of an existing mapping this process owns: the old pages are
     * replaced atomically (a concurrent access sees the old or the new page, never a hole). {@code flags} must
     * include MAP_FIXED; {@code at} and {@code size} must be page-aligned (the kernel says EINVAL otherwise).
     * The call takes {@code at}'s raw address, which (unlike a segment argument) does not keep its arena open
     * during the call: the caller serialises this with the mapping's close (DaxWindowMemory's methods are
     * synchronized), or MAP_FIXED could land on addresses already given back and reused.
     */
    static void mapFixed(MemorySegment at, long size, int prot, int flags, int fd, long offset) throws ErrnoException {
        if ((flags & MAP_FIXED) == 0) throw new IllegalArgumentException("mapFixed without MAP_FIXED");
        long address = mmap(at.address(), size, prot, flags, fd, offset, " at 0x" + Long.toHexString(at.address()));
        if (address != at.address()) throw new IllegalStateException("MAP_FIXED mapping moved to 0x" + Long.toHexString(address));
    }

    private static long mmap(long at, long size, int prot, int flags, int fd, long offset, String where) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            long address = MMAP.call(state, at, size, prot, flags, fd, offset);
            if (address == FAILED) throw new ErrnoException("mmap", NativeCall.errno(state), size + " bytes" + where);
            return address;
        }
    }

    private static void unmapQuietly(MemorySegment segment) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            if ((int) MUNMAP.call(state, segment.address(), segment.byteSize(), 0, 0, 0, 0) != 0) {
                throw new IllegalStateException("munmap of " + segment.byteSize() + " bytes failed: errno " + NativeCall.errno(state));
            }
        }
    }

    static int memfdCreate(String name) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            int fd = (int) MEMFD_CREATE.call(state, call.allocateFrom(name).address(), MFD_CLOEXEC, 0, 0, 0, 0);
            if (fd < 0) throw new ErrnoException("memfd_create", NativeCall.errno(state), name);
            return fd;
        }
    }

    static void ftruncate(int fd, long size) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            if ((int) FTRUNCATE.call(state, fd, size, 0, 0, 0, 0) != 0) {
                throw new ErrnoException("ftruncate", NativeCall.errno(state), "fd " + fd);
            }
        }
    }

    static void close(int fd) {
        try (Arena call = Arena.ofConfined()) {
            int ignored = (int) CLOSE.call(NativeCall.newCallState(call), fd, 0, 0, 0, 0, 0);
        }
    }
}
