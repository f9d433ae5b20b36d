package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** Open files and their I/O (linux/fuse.h fuse_open_*, create, release, flush, read, write, fsync, lseek, fallocate, copy_file_range). */
public final class FuseFileIo {
    private FuseFileIo() {}

    // fuse.h: FOPEN_* (fuse_open_out.open_flags)
    public static final int FOPEN_DIRECT_IO = 1, FOPEN_KEEP_CACHE = 2, FOPEN_NONSEEKABLE = 4, FOPEN_CACHE_DIR = 8,
            FOPEN_STREAM = 16, FOPEN_NOFLUSH = 32, FOPEN_PARALLEL_DIRECT_WRITES = 64;
    /** fuse.h: fuse_fsync_in.fsync_flags bit 0: data only (fdatasync). */
    public static final int FSYNC_FDATASYNC = 1;
    /** fuse.h: FUSE_RELEASE_FLUSH, FUSE_RELEASE_FLOCK_UNLOCK. */
    public static final int RELEASE_FLUSH = 1, RELEASE_FLOCK_UNLOCK = 2;

    /** fuse_open_in, 8 bytes. */
    public record OpenIn(int flags, int openFlags) {
        public static final int SIZE = 8;
        public static OpenIn decode(MemorySegment s, long o) { return new OpenIn(Le.u32(s, o), Le.u32(s, o + 4)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, flags); Le.u32(s, o + 4, openFlags); }
    }

    /** fuse_open_out, 16 bytes. */
    public record OpenOut(long fh, int openFlags) {
        public static final int SIZE = 16;
        public static OpenOut decode(MemorySegment s, long o) { return new OpenOut(Le.u64(s, o), Le.u32(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, fh); Le.u32(s, o + 8, openFlags); Le.u32(s, o + 12, 0); }
    }

    /** fuse_create_in, 16 bytes, followed by the name. */
    public record CreateIn(int flags, int mode, int umask, int openFlags) {
        public static final int SIZE = 16;
        public static CreateIn decode(MemorySegment s, long o) {
            return new CreateIn(Le.u32(s, o), Le.u32(s, o + 4), Le.u32(s, o + 8), Le.u32(s, o + 12));
        }
        public void encode(MemorySegment s, long o) {
            Le.u32(s, o, flags); Le.u32(s, o + 4, mode); Le.u32(s, o + 8, umask); Le.u32(s, o + 12, openFlags);
        }
    }

    /** fuse_release_in, 24 bytes (also RELEASEDIR). */
    public record ReleaseIn(long fh, int flags, int releaseFlags, long lockOwner) {
        public static final int SIZE = 24;
        public static ReleaseIn decode(MemorySegment s, long o) {
            return new ReleaseIn(Le.u64(s, o), Le.u32(s, o + 8), Le.u32(s, o + 12), Le.u64(s, o + 16));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fh); Le.u32(s, o + 8, flags); Le.u32(s, o + 12, releaseFlags); Le.u64(s, o + 16, lockOwner);
        }
    }

    /** fuse_flush_in, 24 bytes. */
    public record FlushIn(long fh, long lockOwner) {
        public static final int SIZE = 24;
        public static FlushIn decode(MemorySegment s, long o) { return new FlushIn(Le.u64(s, o), Le.u64(s, o + 16)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, fh); Le.u64(s, o + 8, 0); Le.u64(s, o + 16, lockOwner); }
    }

    /** fuse_read_in, 40 bytes. A reply shorter than {@code size} means end of file. */
    public record ReadIn(long fh, long offset, int size, int readFlags, long lockOwner, int flags) {
        public static final int SIZE = 40;
        public static ReadIn decode(MemorySegment s, long o) {
            return new ReadIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u32(s, o + 16), Le.u32(s, o + 20), Le.u64(s, o + 24),
                    Le.u32(s, o + 32));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fh); Le.u64(s, o + 8, offset); Le.u32(s, o + 16, size); Le.u32(s, o + 20, readFlags);
            Le.u64(s, o + 24, lockOwner); Le.u32(s, o + 32, flags); Le.u32(s, o + 36, 0);
        }
    }

    /** fuse_write_in, 40 bytes, followed by {@code size} bytes of data. */
    public record WriteIn(long fh, long offset, int size, int writeFlags, long lockOwner, int flags) {
        public static final int SIZE = 40;
        public static WriteIn decode(MemorySegment s, long o) {
            return new WriteIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u32(s, o + 16), Le.u32(s, o + 20), Le.u64(s, o + 24),
                    Le.u32(s, o + 32));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fh); Le.u64(s, o + 8, offset); Le.u32(s, o + 16, size); Le.u32(s, o + 20, writeFlags);
            Le.u64(s, o + 24, lockOwner); Le.u32(s, o + 32, flags); Le.u32(s, o + 36, 0);
        }
    }

    /** fuse_write_out, 8 bytes. */
    public record WriteOut(int size) {
        public static final int SIZE = 8;
        public static WriteOut decode(MemorySegment s, long o) { return new WriteOut(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, size); Le.u32(s, o + 4, 0); }
    }

    /** fuse_fsync_in, 16 bytes (also FSYNCDIR). */
    public record FsyncIn(long fh, int fsyncFlags) {
        public static final int SIZE = 16;
        public static FsyncIn decode(MemorySegment s, long o) { return new FsyncIn(Le.u64(s, o), Le.u32(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, fh); Le.u32(s, o + 8, fsyncFlags); Le.u32(s, o + 12, 0); }
    }

    /** fuse_lseek_in, 24 bytes. */
    public record LseekIn(long fh, long offset, int whence) {
        public static final int SIZE = 24;
        public static LseekIn decode(MemorySegment s, long o) { return new LseekIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u32(s, o + 16)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, fh); Le.u64(s, o + 8, offset); Le.u32(s, o + 16, whence); Le.u32(s, o + 20, 0); }
    }

    /** fuse_lseek_out, 8 bytes. */
    public record LseekOut(long offset) {
        public static final int SIZE = 8;
        public static LseekOut decode(MemorySegment s, long o) { return new LseekOut(Le.u64(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, offset); }
    }

    /** fuse_fallocate_in, 32 bytes. */
    public record FallocateIn(long fh, long offset, long length, int mode) {
        public static final int SIZE = 32;
        public static FallocateIn decode(MemorySegment s, long o) {
            return new FallocateIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u32(s, o + 24));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fh); Le.u64(s, o + 8, offset); Le.u64(s, o + 16, length); Le.u32(s, o + 24, mode); Le.u32(s, o + 28, 0);
        }
    }

    /** fuse_copy_file_range_in, 56 bytes; the request's nodeid is the source inode. */
    public record CopyFileRangeIn(long fhIn, long offIn, long nodeidOut, long fhOut, long offOut, long len, long flags) {
        public static final int SIZE = 56;
        public static CopyFileRangeIn decode(MemorySegment s, long o) {
            return new CopyFileRangeIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u64(s, o + 24),
                    Le.u64(s, o + 32), Le.u64(s, o + 40), Le.u64(s, o + 48));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fhIn); Le.u64(s, o + 8, offIn); Le.u64(s, o + 16, nodeidOut); Le.u64(s, o + 24, fhOut);
            Le.u64(s, o + 32, offOut); Le.u64(s, o + 40, len); Le.u64(s, o + 48, flags);
        }
    }
}
