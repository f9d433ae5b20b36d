package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux file-system calls used by plugin-virtiofs (passthrough, /dev/fuse) and plugin-dax, bound through {@link NativeCall} with errno captured.
 * Every method either returns the call's result or throws {@link ErrnoException} naming the call, the
 * errno and what it acted on. Names are passed as raw bytes ({@code byte[]}, no NUL): guest file
 * names are not necessarily UTF-8 and are never resolved through {@code java.nio.file}.
 *
 * <p>Constants are Linux x86-64 / asm-generic values (also used by riscv64 guests); an aarch64 host
 * would need its own O_DIRECTORY/O_NOFOLLOW/O_DIRECT values. Thread-safe; each thread has its own
 * errno capture segment.
 */
public final class Sys {
    private Sys() {}

    // fcntl.h (asm-generic)
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3, O_CREAT = 0100,
            O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000,
            O_DSYNC = 010000, O_DIRECT = 040000, O_LARGEFILE = 0100000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_NOATIME = 01000000, O_CLOEXEC = 02000000, O_SYNC = 04010000,
            O_PATH = 010000000;
    public static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200,
            AT_EACCESS = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
    // linux/openat2.h
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08;
    // sys/stat.h
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    // unistd.h, linux/fs.h
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
    // sys/mount.h
    public static final long MS_NOSUID = 2, MS_NODEV = 4;
    public static final int MNT_FORCE = 1, MNT_DETACH = 2;
    // sys/xattr.h
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;
    private static final NativeCall OPENAT = NativeCall.variadic("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3);
    private static final NativeCall CLOSE = NativeCall.of("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall DUP = NativeCall.of("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall STATX = NativeCall.of("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final NativeCall FSTATFS = NativeCall.of("fstatfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final NativeCall READLINKAT = NativeCall.of("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final NativeCall MKDIRAT = NativeCall.of("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall MKNODAT = NativeCall.of("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final NativeCall UNLINKAT = NativeCall.of("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall RENAMEAT2 = NativeCall.of("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall LINKAT = NativeCall.of("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall SYMLINKAT = NativeCall.of("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final NativeCall FCHMODAT = NativeCall.of("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final NativeCall FCHOWNAT = NativeCall.of("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final NativeCall UTIMENSAT = NativeCall.of("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final NativeCall FACCESSAT = NativeCall.of("faccessat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final NativeCall FTRUNCATE = NativeCall.of("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final NativeCall PREAD = NativeCall.of("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final NativeCall PREADV = NativeCall.of("preadv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final NativeCall PWRITE = NativeCall.of("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final NativeCall READ = NativeCall.of("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeCall WRITE = NativeCall.of("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeCall FSYNC = NativeCall.of("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall FDATASYNC = NativeCall.of("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall SYNCFS = NativeCall.of("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall FALLOCATE = NativeCall.of("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final NativeCall LSEEK = NativeCall.of("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final NativeCall COPY_FILE_RANGE = NativeCall.of("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final NativeCall GETDENTS64 = NativeCall.of("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeCall GETXATTR = NativeCall.of("getxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final NativeCall SETXATTR = NativeCall.of("setxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final NativeCall LISTXATTR = NativeCall.of("listxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final NativeCall REMOVEXATTR = NativeCall.of("removexattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final NativeCall MOUNT = NativeCall.of("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final NativeCall UMOUNT2 = NativeCall.of("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall UMASK = NativeCall.plain("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall GETEUID = NativeCall.plain("geteuid", FunctionDescriptor.of(JAVA_INT));

    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));

    private static MemorySegment state() { return STATE.get(); }

    private static ErrnoException fail(String call, String subject) {
        return new ErrnoException(call, NativeCall.errno(state()), subject);
    }

    /** A NUL-terminated copy of {@code bytes}. */
    public static MemorySegment cstr(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        s.set(JAVA_BYTE, bytes.length, (byte) 0);
        return s;
    }

    public static MemorySegment cstr(Arena arena, String s) { return cstr(arena, s.getBytes(StandardCharsets.UTF_8)); }

    static String show(byte[] name) { return new String(name, StandardCharsets.UTF_8); }

    /** Wraps a Throwable from {@code invokeExact} (never thrown: our handles have no checked errors). */
    private static AssertionError linkage(Throwable t) { return new AssertionError("native call failed to link", t); }

    public static int openat(int dirfd, byte[] name, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPENAT.handle().invokeExact(state(), dirfd, cstr(a, name), flags, mode);
            if (fd < 0) throw fail("openat", "dirfd=" + dirfd + ", " + show(name));
            return fd;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** openat2(2): {@code struct open_how {u64 flags; u64 mode; u64 resolve}}. */
    public static int openat2(int dirfd, byte[] name, int flags, int mode, long resolve) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 8, mode & 0xffffffffL);
            how.set(JAVA_LONG, 16, resolve);
            long fd = Syscall.call(state(), Syscall.OPENAT2, dirfd, cstr(a, name).address(), how.address(), 24L, 0, 0);
            if (fd < 0) throw fail("openat2", "dirfd=" + dirfd + ", " + show(name));
            return (int) fd;
        }
    }

    public static void close(int fd) throws ErrnoException {
        try {
            if ((int) CLOSE.handle().invokeExact(state(), fd) < 0) throw fail("close", "fd=" + fd);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** Closes {@code fd} where a failure can only be reported, not acted on; returns the errno or 0. */
    public static int closeQuietly(int fd) {
        try { close(fd); return 0; } catch (ErrnoException e) { return e.errno(); }
    }

    public static int dup(int fd) throws ErrnoException {
        try {
            int r = (int) DUP.handle().invokeExact(state(), fd);
            if (r < 0) throw fail("dup", "fd=" + fd);
            return r;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS): never follows a symlink. */
    public static Statx statx(int fd) throws ErrnoException {
        return statxAt(fd, new byte[0], AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    }

    public static Statx statxAt(int dirfd, byte[] name, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Statx.SIZE, 8);
            int r = (int) STATX.handle().invokeExact(state(), dirfd, cstr(a, name), flags, Statx.BASIC_STATS, buf);
            if (r < 0) throw fail("statx", "fd=" + dirfd + ", " + show(name));
            return Statx.decode(buf);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static StatFs fstatfs(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(StatFs.SIZE, 8);
            if ((int) FSTATFS.handle().invokeExact(state(), fd, buf) < 0) throw fail("fstatfs", "fd=" + fd);
            return StatFs.decode(buf);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** readlinkat(fd, "", ...) on an O_PATH fd of a symlink; returns the target bytes verbatim. */
    public static byte[] readlink(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4097);
            long n = (long) READLINKAT.handle().invokeExact(state(), fd, cstr(a, new byte[0]), buf, 4097L);
            if (n < 0) throw fail("readlinkat", "fd=" + fd);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void mkdirat(int dirfd, byte[] name, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) MKDIRAT.handle().invokeExact(state(), dirfd, cstr(a, name), mode) < 0)
                throw fail("mkdirat", "dirfd=" + dirfd + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void mknodat(int dirfd, byte[] name, int mode, long dev) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) MKNODAT.handle().invokeExact(state(), dirfd, cstr(a, name), mode, dev) < 0)
                throw fail("mknodat", "dirfd=" + dirfd + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void unlinkat(int dirfd, byte[] name, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) UNLINKAT.handle().invokeExact(state(), dirfd, cstr(a, name), flags) < 0)
                throw fail("unlinkat", "dirfd=" + dirfd + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void renameat2(int olddir, byte[] oldName, int newdir, byte[] newName, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) RENAMEAT2.handle().invokeExact(state(), olddir, cstr(a, oldName), newdir, cstr(a, newName), flags) < 0)
                throw fail("renameat2", show(oldName) + " -> " + show(newName) + ", flags=" + flags);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void linkat(int olddir, byte[] oldName, int newdir, byte[] newName, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) LINKAT.handle().invokeExact(state(), olddir, cstr(a, oldName), newdir, cstr(a, newName), flags) < 0)
                throw fail("linkat", show(oldName) + " -> " + show(newName));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void symlinkat(byte[] target, int dirfd, byte[] name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) SYMLINKAT.handle().invokeExact(state(), cstr(a, target), dirfd, cstr(a, name)) < 0)
                throw fail("symlinkat", "dirfd=" + dirfd + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void fchmodat(int dirfd, byte[] name, int mode, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) FCHMODAT.handle().invokeExact(state(), dirfd, cstr(a, name), mode, flags) < 0)
                throw fail("fchmodat", "dirfd=" + dirfd + ", " + show(name) + ", mode=0" + Integer.toOctalString(mode));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void fchownat(int dirfd, byte[] name, int uid, int gid, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) FCHOWNAT.handle().invokeExact(state(), dirfd, cstr(a, name), uid, gid, flags) < 0)
                throw fail("fchownat", "dirfd=" + dirfd + ", uid=" + uid + ", gid=" + gid);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** UTIME_NOW / UTIME_OMIT for the nanosecond field (linux/stat.h). */
    public static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    public static void utimensat(int dirfd, byte[] name, long atime, long atimeNsec, long mtime, long mtimeNsec, int flags)
            throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ts = a.allocate(32, 8);
            ts.set(JAVA_LONG, 0, atime);
            ts.set(JAVA_LONG, 8, atimeNsec);
            ts.set(JAVA_LONG, 16, mtime);
            ts.set(JAVA_LONG, 24, mtimeNsec);
            if ((int) UTIMENSAT.handle().invokeExact(state(), dirfd, cstr(a, name), ts, flags) < 0)
                throw fail("utimensat", "dirfd=" + dirfd + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void faccessat(int dirfd, byte[] name, int mode, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) FACCESSAT.handle().invokeExact(state(), dirfd, cstr(a, name), mode, flags) < 0)
                throw fail("faccessat", "dirfd=" + dirfd + ", mode=" + mode);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void ftruncate(int fd, long length) throws ErrnoException {
        try {
            if ((int) FTRUNCATE.handle().invokeExact(state(), fd, length) < 0) throw fail("ftruncate", "fd=" + fd + ", " + length);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** pread(2) into a native segment; returns bytes read (0 at EOF). */
    public static long pread(int fd, MemorySegment dst, long offset) throws ErrnoException {
        try {
            long n = (long) PREAD.handle().invokeExact(state(), fd, dst, dst.byteSize(), offset);
            if (n < 0) throw fail("pread", "fd=" + fd + ", offset=" + offset);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** preadv(2) into several native segments (a scattered destination such as guest pages). */
    public static long preadv(int fd, List<MemorySegment> dsts, long offset) throws ErrnoException {
        if (dsts.size() == 1) return pread(fd, dsts.getFirst(), offset);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16L * dsts.size(), 8);
            for (int i = 0; i < dsts.size(); i++) {
                iov.set(JAVA_LONG, 16L * i, dsts.get(i).address());
                iov.set(JAVA_LONG, 16L * i + 8, dsts.get(i).byteSize());
            }
            long n = (long) PREADV.handle().invokeExact(state(), fd, iov, dsts.size(), offset);
            if (n < 0) throw fail("preadv", "fd=" + fd + ", offset=" + offset);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long pwrite(int fd, MemorySegment src, long offset) throws ErrnoException {
        try {
            long n = (long) PWRITE.handle().invokeExact(state(), fd, src, src.byteSize(), offset);
            if (n < 0) throw fail("pwrite", "fd=" + fd + ", offset=" + offset);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long read(int fd, MemorySegment dst) throws ErrnoException {
        try {
            long n = (long) READ.handle().invokeExact(state(), fd, dst, dst.byteSize());
            if (n < 0) throw fail("read", "fd=" + fd);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long write(int fd, MemorySegment src) throws ErrnoException {
        try {
            long n = (long) WRITE.handle().invokeExact(state(), fd, src, src.byteSize());
            if (n < 0) throw fail("write", "fd=" + fd);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void fsync(int fd, boolean dataOnly) throws ErrnoException {
        try {
            int r = dataOnly ? (int) FDATASYNC.handle().invokeExact(state(), fd) : (int) FSYNC.handle().invokeExact(state(), fd);
            if (r < 0) throw fail(dataOnly ? "fdatasync" : "fsync", "fd=" + fd);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void syncfs(int fd) throws ErrnoException {
        try {
            if ((int) SYNCFS.handle().invokeExact(state(), fd) < 0) throw fail("syncfs", "fd=" + fd);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void fallocate(int fd, int mode, long offset, long length) throws ErrnoException {
        try {
            if ((int) FALLOCATE.handle().invokeExact(state(), fd, mode, offset, length) < 0)
                throw fail("fallocate", "fd=" + fd + ", mode=" + mode + ", " + offset + "+" + length);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        try {
            long r = (long) LSEEK.handle().invokeExact(state(), fd, offset, whence);
            if (r < 0) throw fail("lseek", "fd=" + fd + ", offset=" + offset + ", whence=" + whence);
            return r;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long len, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(JAVA_LONG), out = a.allocate(JAVA_LONG);
            in.set(JAVA_LONG, 0, offIn);
            out.set(JAVA_LONG, 0, offOut);
            long n = (long) COPY_FILE_RANGE.handle().invokeExact(state(), fdIn, in, fdOut, out, len, flags);
            if (n < 0) throw fail("copy_file_range", "fd " + fdIn + "@" + offIn + " -> fd " + fdOut + "@" + offOut);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** getdents64(2) into {@code buf}; returns the bytes filled (0 at the end of the directory). */
    public static long getdents64(int fd, MemorySegment buf) throws ErrnoException {
        try {
            long n = (long) GETDENTS64.handle().invokeExact(state(), fd, buf, buf.byteSize());
            if (n < 0) throw fail("getdents64", "fd=" + fd);
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** getxattr(2) on a path (here always {@code /proc/self/fd/N}); {@code dst} may be NULL to ask the size. */
    public static long getxattr(byte[] path, byte[] name, MemorySegment dst) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            long n = (long) GETXATTR.handle().invokeExact(state(), cstr(a, path), cstr(a, name), dst, dst.byteSize());
            if (n < 0) throw fail("getxattr", show(path) + ", " + show(name));
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void setxattr(byte[] path, byte[] name, MemorySegment value, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) SETXATTR.handle().invokeExact(state(), cstr(a, path), cstr(a, name), value, value.byteSize(), flags) < 0)
                throw fail("setxattr", show(path) + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static long listxattr(byte[] path, MemorySegment dst) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            long n = (long) LISTXATTR.handle().invokeExact(state(), cstr(a, path), dst, dst.byteSize());
            if (n < 0) throw fail("listxattr", show(path));
            return n;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void removexattr(byte[] path, byte[] name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) REMOVEXATTR.handle().invokeExact(state(), cstr(a, path), cstr(a, name)) < 0)
                throw fail("removexattr", show(path) + ", " + show(name));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void mount(String source, String target, String fsType, long flags, String data) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) MOUNT.handle().invokeExact(state(), cstr(a, source), cstr(a, target), cstr(a, fsType), flags,
                    cstr(a, data)) < 0)
                throw fail("mount", target + " (" + fsType + ")");
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    public static void umount2(String target, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) UMOUNT2.handle().invokeExact(state(), cstr(a, target), flags) < 0) throw fail("umount2", target);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** umask(2): sets the process umask and returns the previous one. */
    public static int umask(int mask) {
        try { return (int) UMASK.handle().invokeExact(mask); } catch (Throwable t) { throw linkage(t); }
    }

    public static int geteuid() {
        try { return (int) GETEUID.handle().invokeExact(); } catch (Throwable t) { throw linkage(t); }
    }

    /** {@code /proc/self/fd/N}: the magic link through which an O_PATH fd is re-opened or used by path. */
    public static byte[] procFdPath(int fd) {
        return ("/proc/self/fd/" + fd).getBytes(StandardCharsets.US_ASCII);
    }
}
