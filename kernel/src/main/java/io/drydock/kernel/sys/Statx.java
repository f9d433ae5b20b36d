package io.drydock.kernel.sys;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The fields of {@code struct statx} (linux/stat.h; arch-independent, 256 bytes) that FUSE needs.
 * Device numbers are kept as (major, minor); {@link #dev()} combines them for identity keys.
 */
public record Statx(int mode, int nlink, int uid, int gid, long ino, long size, long blocks, int blksize,
                    long atime, int atimeNsec, long mtime, int mtimeNsec, long ctime, int ctimeNsec,
                    int rdevMajor, int rdevMinor, int devMajor, int devMinor) {
    static final int SIZE = 256;
    /** STATX_BASIC_STATS. */
    static final int BASIC_STATS = 0x7ff;

    static Statx decode(MemorySegment b) {
        // linux/stat.h struct statx: mask@0 blksize@4 attributes@8 nlink@16 uid@20 gid@24 mode@28 ino@32
        // size@40 blocks@48 attributes_mask@56 atime@64 btime@80 ctime@96 mtime@112 rdev@128/132 dev@136/140
        return new Statx(Short.toUnsignedInt(b.get(JAVA_SHORT, 28)), b.get(JAVA_INT, 16), b.get(JAVA_INT, 20),
                b.get(JAVA_INT, 24), b.get(JAVA_LONG, 32), b.get(JAVA_LONG, 40), b.get(JAVA_LONG, 48), b.get(JAVA_INT, 4),
                b.get(JAVA_LONG, 64), b.get(JAVA_INT, 72), b.get(JAVA_LONG, 112), b.get(JAVA_INT, 120),
                b.get(JAVA_LONG, 96), b.get(JAVA_INT, 104),
                b.get(JAVA_INT, 128), b.get(JAVA_INT, 132), b.get(JAVA_INT, 136), b.get(JAVA_INT, 140));
    }

    public int type() { return mode & Sys.S_IFMT; }

    public boolean isDirectory() { return type() == Sys.S_IFDIR; }

    public boolean isRegular() { return type() == Sys.S_IFREG; }

    public boolean isSymlink() { return type() == Sys.S_IFLNK; }

    /** The device as one number, unique per (major, minor). */
    public long dev() { return ((long) devMajor << 32) | (devMinor & 0xffffffffL); }

    /** rdev in the kernel's new_encode_dev form, which is what {@code fuse_attr.rdev} carries (fs/fuse/inode.c). */
    public int rdevEncoded() {
        return (rdevMinor & 0xff) | (rdevMajor << 8) | ((rdevMinor & ~0xff) << 12);
    }
}
