package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The system calls the passthrough's lifetimes and limits need beyond {@code Sys}: file handles
 * ({@code name_to_handle_at}/{@code open_by_handle_at}, to drop an inode's O_PATH descriptor and re-open
 * the very same inode later) and {@code RLIMIT_NOFILE}. Bound through the kernel's {@link NativeCall}.
 */
final class HostCalls {
    private HostCalls() {}

    /** fcntl.h: MAX_HANDLE_SZ. */
    static final int MAX_HANDLE_SZ = 128;
    /** sys/resource.h: RLIMIT_NOFILE. */
    private static final int RLIMIT_NOFILE = 7;

    // The kernel's one shared shape (NativeCall.ofLongs): linked once for all of its calls, by whichever comes
    // first (the FUSE warm-up's thread in a device; guest RAM's mmap only where RAM is not on tmpfs), instead
    // of one link per function (getrlimit's was 7-15 ms of a cold unikernel run).
    // Every result here is a C int: narrowed with (int).
    private static final NativeCall NAME_TO_HANDLE_AT = NativeCall.ofLongs("name_to_handle_at");
    private static final NativeCall OPEN_BY_HANDLE_AT = NativeCall.ofLongs("open_by_handle_at");
    private static final NativeCall GETRLIMIT = NativeCall.ofLongs("getrlimit");
    private static final NativeCall SETRLIMIT = NativeCall.ofLongs("setrlimit");

    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));

    /**
     * A file handle (fcntl.h struct file_handle: handle_bytes, handle_type, f_handle) and the mount it is
     * valid on. Identifies one inode for its whole life, generation included: a handle of a deleted file
     * never opens a new file that reuses the inode number (ESTALE instead).
     */
    record FileHandle(int mountId, int type, byte[] bytes) {
        @Override public boolean equals(Object o) {
            return o instanceof FileHandle h && h.mountId == mountId && h.type == type && Arrays.equals(h.bytes, bytes);
        }

        @Override public int hashCode() { return 31 * (31 * mountId + type) + Arrays.hashCode(bytes); }
    }

    /** name_to_handle_at(fd, "", AT_EMPTY_PATH): the handle of the inode {@code fd} refers to (an O_PATH fd does). */
    static FileHandle handleOf(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(8 + MAX_HANDLE_SZ, 8);
            h.set(JAVA_INT, 0, MAX_HANDLE_SZ);
            MemorySegment mountId = a.allocate(JAVA_INT);
            MemorySegment empty = a.allocate(1);
            int r = (int) NAME_TO_HANDLE_AT.call(STATE.get(), fd, empty.address(), h.address(), mountId.address(), 0x1000 /* AT_EMPTY_PATH */, 0);
            if (r < 0) throw new ErrnoException("name_to_handle_at", NativeCall.errno(STATE.get()), "fd=" + fd);
            int n = h.get(JAVA_INT, 0);
            return new FileHandle(mountId.get(JAVA_INT, 0), h.get(JAVA_INT, 4), h.asSlice(8, n).toArray(JAVA_BYTE));
        }
    }

    /** open_by_handle_at(mountFd, handle, flags): needs CAP_DAC_READ_SEARCH. */
    static int openByHandle(int mountFd, FileHandle fh, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(8L + fh.bytes().length, 8);
            h.set(JAVA_INT, 0, fh.bytes().length);
            h.set(JAVA_INT, 4, fh.type());
            MemorySegment.copy(fh.bytes(), 0, h, JAVA_BYTE, 8, fh.bytes().length);
            int r = (int) OPEN_BY_HANDLE_AT.call(STATE.get(), mountFd, h.address(), flags, 0, 0, 0);
            if (r < 0) throw new ErrnoException("open_by_handle_at", NativeCall.errno(STATE.get()), "mount fd " + mountFd);
            return r;
        }
    }

    /** getrlimit(RLIMIT_NOFILE): {soft, hard}. */
    static long[] nofile() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(16, 8);
            if ((int) GETRLIMIT.call(STATE.get(), RLIMIT_NOFILE, r.address(), 0, 0, 0, 0) < 0) return new long[]{1024, 1024};
            return new long[]{r.get(JAVA_LONG, 0), r.get(JAVA_LONG, 8)};
        }
    }

    /** setrlimit(RLIMIT_NOFILE, {soft, hard}); false when refused (EPERM above the hard limit without CAP_SYS_RESOURCE). */
    static boolean setNofile(long soft, long hard) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(16, 8);
            r.set(JAVA_LONG, 0, soft);
            r.set(JAVA_LONG, 8, hard);
            return (int) SETRLIMIT.call(STATE.get(), RLIMIT_NOFILE, r.address(), 0, 0, 0, 0) == 0;
        }
    }
}
