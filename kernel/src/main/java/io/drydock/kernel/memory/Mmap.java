package io.drydock.kernel.memory;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** mmap(2), munmap(2), memfd_create(2), ftruncate(2) and close(2), for the memory backings only. */
final class Mmap {
    private Mmap() {}

    static final int PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    static final int MFD_CLOEXEC = 1;
    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private static final NativeCall MMAP = NativeCall.of("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final NativeCall MEMFD_CREATE = NativeCall.of("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall FTRUNCATE = NativeCall.of("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final NativeCall MUNMAP = NativeCall.plain("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeCall CLOSE = NativeCall.plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** Maps {@code size} bytes; the returned segment is unmapped when {@code arena} closes. */
    static MemorySegment map(long size, int prot, int flags, int fd, long offset, Arena arena) throws ErrnoException {
        MemorySegment address;
        int errno;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            address = (MemorySegment) MMAP.handle().invokeExact(state, MemorySegment.NULL, size, prot, flags, fd, offset);
            errno = NativeCall.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (address.equals(MAP_FAILED)) throw new ErrnoException("mmap", errno, size + " bytes");
        return address.reinterpret(size, arena, Mmap::unmapQuietly);
    }

    /**
     * mmap(2) with MAP_FIXED over [at, at+size) of an existing mapping this process owns: the old pages are
     * replaced atomically (a concurrent access sees the old or the new page, never a hole). {@code flags} must
     * include MAP_FIXED; {@code at} and {@code size} must be page-aligned (the kernel says EINVAL otherwise).
     */
    static void mapFixed(MemorySegment at, long size, int prot, int flags, int fd, long offset) throws ErrnoException {
        if ((flags & MAP_FIXED) == 0) throw new IllegalArgumentException("mapFixed without MAP_FIXED");
        MemorySegment address;
        int errno;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            address = (MemorySegment) MMAP.handle().invokeExact(state, at, size, prot, flags, fd, offset);
            errno = NativeCall.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (address.equals(MAP_FAILED)) throw new ErrnoException("mmap", errno, size + " bytes at 0x" + Long.toHexString(at.address()));
        if (address.address() != at.address()) throw new IllegalStateException("MAP_FIXED mapping moved to 0x" + Long.toHexString(address.address()));
    }

    private static void unmapQuietly(MemorySegment segment) {
        try {
            int rc = (int) MUNMAP.handle().invokeExact(segment, segment.byteSize());
            if (rc != 0) throw new IllegalStateException("munmap of " + segment.byteSize() + " bytes failed");
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    static int memfdCreate(String name) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            int fd = (int) MEMFD_CREATE.handle().invokeExact(state, call.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0) throw new ErrnoException("memfd_create", NativeCall.errno(state), name);
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("memfd_create downcall failed", t);
        }
    }

    static void ftruncate(int fd, long size) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(call);
            int rc = (int) FTRUNCATE.handle().invokeExact(state, fd, size);
            if (rc != 0) throw new ErrnoException("ftruncate", NativeCall.errno(state), "fd " + fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ftruncate downcall failed", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.handle().invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall failed", t);
        }
    }
}
