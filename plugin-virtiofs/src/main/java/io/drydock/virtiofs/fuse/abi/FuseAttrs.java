package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** Attributes and entries (linux/fuse.h fuse_attr, fuse_entry_out, fuse_attr_out, fuse_getattr_in, fuse_setattr_in). */
public final class FuseAttrs {
    private FuseAttrs() {}

    // fuse.h: fuse_setattr_in.valid bits (FATTR_*)
    public static final int FATTR_MODE = 1, FATTR_UID = 2, FATTR_GID = 4, FATTR_SIZE = 8, FATTR_ATIME = 16,
            FATTR_MTIME = 32, FATTR_FH = 64, FATTR_ATIME_NOW = 128, FATTR_MTIME_NOW = 256, FATTR_LOCKOWNER = 512,
            FATTR_CTIME = 1024, FATTR_KILL_SUIDGID = 2048;
    /** fuse.h: fuse_getattr_in.getattr_flags bit saying {@code fh} is valid. */
    public static final int GETATTR_FH = 1;

    /** fuse_attr, 88 bytes. */
    public record Attr(long ino, long size, long blocks, long atime, long mtime, long ctime, int atimeNsec,
                       int mtimeNsec, int ctimeNsec, int mode, int nlink, int uid, int gid, int rdev, int blksize,
                       int flags) {
        public static final int SIZE = 88;

        public static Attr decode(MemorySegment s, long o) {
            return new Attr(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u64(s, o + 24), Le.u64(s, o + 32),
                    Le.u64(s, o + 40), Le.u32(s, o + 48), Le.u32(s, o + 52), Le.u32(s, o + 56), Le.u32(s, o + 60),
                    Le.u32(s, o + 64), Le.u32(s, o + 68), Le.u32(s, o + 72), Le.u32(s, o + 76), Le.u32(s, o + 80),
                    Le.u32(s, o + 84));
        }

        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, ino); Le.u64(s, o + 8, size); Le.u64(s, o + 16, blocks); Le.u64(s, o + 24, atime);
            Le.u64(s, o + 32, mtime); Le.u64(s, o + 40, ctime); Le.u32(s, o + 48, atimeNsec);
            Le.u32(s, o + 52, mtimeNsec); Le.u32(s, o + 56, ctimeNsec); Le.u32(s, o + 60, mode);
            Le.u32(s, o + 64, nlink); Le.u32(s, o + 68, uid); Le.u32(s, o + 72, gid); Le.u32(s, o + 76, rdev);
            Le.u32(s, o + 80, blksize); Le.u32(s, o + 84, flags);
        }
    }

    /**
     * fuse_entry_out, 128 bytes. A LOOKUP reply with {@code nodeid} 0 is a cacheable negative entry.
     * Validity is split into seconds and nanoseconds on the wire.
     */
    public record EntryOut(long nodeid, long generation, long entryValid, int entryValidNsec, long attrValid,
                           int attrValidNsec, Attr attr) {
        public static final int SIZE = 128;

        public static EntryOut decode(MemorySegment s, long o) {
            return new EntryOut(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u32(s, o + 32),
                    Le.u64(s, o + 24), Le.u32(s, o + 36), Attr.decode(s, o + 40));
        }

        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, nodeid); Le.u64(s, o + 8, generation); Le.u64(s, o + 16, entryValid);
            Le.u64(s, o + 24, attrValid); Le.u32(s, o + 32, entryValidNsec); Le.u32(s, o + 36, attrValidNsec);
            attr.encode(s, o + 40);
        }
    }

    /** fuse_attr_out, 104 bytes. */
    public record AttrOut(long attrValid, int attrValidNsec, Attr attr) {
        public static final int SIZE = 104;

        public static AttrOut decode(MemorySegment s, long o) {
            return new AttrOut(Le.u64(s, o), Le.u32(s, o + 8), Attr.decode(s, o + 16));
        }

        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, attrValid); Le.u32(s, o + 8, attrValidNsec); Le.u32(s, o + 12, 0); attr.encode(s, o + 16);
        }
    }

    /** fuse_getattr_in, 16 bytes. */
    public record GetattrIn(int getattrFlags, long fh) {
        public static final int SIZE = 16;

        public static GetattrIn decode(MemorySegment s, long o) { return new GetattrIn(Le.u32(s, o), Le.u64(s, o + 8)); }

        public void encode(MemorySegment s, long o) { Le.u32(s, o, getattrFlags); Le.u32(s, o + 4, 0); Le.u64(s, o + 8, fh); }
    }

    /** fuse_setattr_in, 88 bytes; {@code valid} says which fields count (FATTR_*). */
    public record SetattrIn(int valid, long fh, long size, long lockOwner, long atime, long mtime, long ctime,
                            int atimeNsec, int mtimeNsec, int ctimeNsec, int mode, int uid, int gid) {
        public static final int SIZE = 88;

        public static SetattrIn decode(MemorySegment s, long o) {
            return new SetattrIn(Le.u32(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u64(s, o + 24),
                    Le.u64(s, o + 32), Le.u64(s, o + 40), Le.u64(s, o + 48), Le.u32(s, o + 56), Le.u32(s, o + 60),
                    Le.u32(s, o + 64), Le.u32(s, o + 68), Le.u32(s, o + 76), Le.u32(s, o + 80));
        }

        public void encode(MemorySegment s, long o) {
            s.asSlice(o, SIZE).fill((byte) 0);
            Le.u32(s, o, valid); Le.u64(s, o + 8, fh); Le.u64(s, o + 16, size); Le.u64(s, o + 24, lockOwner);
            Le.u64(s, o + 32, atime); Le.u64(s, o + 40, mtime); Le.u64(s, o + 48, ctime);
            Le.u32(s, o + 56, atimeNsec); Le.u32(s, o + 60, mtimeNsec); Le.u32(s, o + 64, ctimeNsec);
            Le.u32(s, o + 68, mode); Le.u32(s, o + 76, uid); Le.u32(s, o + 80, gid);
        }

        public boolean has(int bit) { return (valid & bit) != 0; }
    }
}
