package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** FUSE_INIT: the version this server speaks, the capability flags, and the init structs. */
public final class FuseInit {
    private FuseInit() {}

    /** fuse.h: FUSE_KERNEL_VERSION. */
    public static final int MAJOR = 7;
    /** The minor version this server speaks: 7.38 (INIT_EXT/flags2, SETUPMAPPING, SYNCFS, total_extlen). */
    public static final int MINOR = 38;
    /** Oldest minor accepted: 7.31 introduced SETUPMAPPING/REMOVEMAPPING and map_alignment. */
    public static final int MIN_MINOR = 31;

    // fuse.h INIT flags (bits 0-31 in flags; bits 32-63 in flags2 with FUSE_INIT_EXT)
    public static final long ASYNC_READ = 1L << 0, POSIX_LOCKS = 1L << 1, ATOMIC_O_TRUNC = 1L << 3,
            EXPORT_SUPPORT = 1L << 4, BIG_WRITES = 1L << 5, DONT_MASK = 1L << 6, FLOCK_LOCKS = 1L << 10,
            HAS_IOCTL_DIR = 1L << 11, AUTO_INVAL_DATA = 1L << 12, DO_READDIRPLUS = 1L << 13,
            READDIRPLUS_AUTO = 1L << 14, ASYNC_DIO = 1L << 15, WRITEBACK_CACHE = 1L << 16,
            NO_OPEN_SUPPORT = 1L << 17, PARALLEL_DIROPS = 1L << 18, HANDLE_KILLPRIV = 1L << 19,
            POSIX_ACL = 1L << 20, ABORT_ERROR = 1L << 21, MAX_PAGES = 1L << 22, CACHE_SYMLINKS = 1L << 23,
            NO_OPENDIR_SUPPORT = 1L << 24, EXPLICIT_INVAL_DATA = 1L << 25, MAP_ALIGNMENT = 1L << 26,
            SUBMOUNTS = 1L << 27, HANDLE_KILLPRIV_V2 = 1L << 28, SETXATTR_EXT = 1L << 29, INIT_EXT = 1L << 30,
            SECURITY_CTX = 1L << 32, HAS_INODE_DAX = 1L << 33, CREATE_SUPP_GROUP = 1L << 34,
            HAS_EXPIRE_ONLY = 1L << 35, DIRECT_IO_ALLOW_MMAP = 1L << 36;

    /** fuse_init_in, 64 bytes with INIT_EXT (only the first 16 are sent by older clients). */
    public record InitIn(int major, int minor, int maxReadahead, long flags) {
        public static final int SIZE = 64;
        public static final int COMPAT_SIZE = 16;

        /** Decodes {@code available} bytes: flags2 (@16) is read only when present and INIT_EXT is set. */
        public static InitIn decode(MemorySegment s, long o, long available) {
            long flags = Le.u32(s, o + 12) & 0xffffffffL;
            if (available >= 20 && (flags & INIT_EXT) != 0) flags |= (Le.u32(s, o + 16) & 0xffffffffL) << 32;
            return new InitIn(Le.u32(s, o), Le.u32(s, o + 4), Le.u32(s, o + 8), flags);
        }

        public void encode(MemorySegment s, long o) {
            Le.u32(s, o, major); Le.u32(s, o + 4, minor); Le.u32(s, o + 8, maxReadahead);
            Le.u32(s, o + 12, (int) flags); Le.u32(s, o + 16, (int) (flags >>> 32));
            s.asSlice(o + 20, 44).fill((byte) 0);
        }
    }

    /** fuse_init_out, 64 bytes; {@code mapAlignment} is log2 of the DAX mapping alignment. */
    public record InitOut(int major, int minor, int maxReadahead, long flags, int maxBackground,
                          int congestionThreshold, int maxWrite, int timeGran, int maxPages, int mapAlignment) {
        public static final int SIZE = 64;

        public static InitOut decode(MemorySegment s, long o) {
            long flags = (Le.u32(s, o + 12) & 0xffffffffL) | (Le.u32(s, o + 32) & 0xffffffffL) << 32;
            return new InitOut(Le.u32(s, o), Le.u32(s, o + 4), Le.u32(s, o + 8), flags, Le.u16(s, o + 16),
                    Le.u16(s, o + 18), Le.u32(s, o + 20), Le.u32(s, o + 24), Le.u16(s, o + 28), Le.u16(s, o + 30));
        }

        public void encode(MemorySegment s, long o) {
            s.asSlice(o, SIZE).fill((byte) 0);
            Le.u32(s, o, major); Le.u32(s, o + 4, minor); Le.u32(s, o + 8, maxReadahead);
            Le.u32(s, o + 12, (int) flags); Le.u16(s, o + 16, maxBackground); Le.u16(s, o + 18, congestionThreshold);
            Le.u32(s, o + 20, maxWrite); Le.u32(s, o + 24, timeGran); Le.u16(s, o + 28, maxPages);
            Le.u16(s, o + 30, mapAlignment); Le.u32(s, o + 32, (int) (flags >>> 32));
        }
    }
}
