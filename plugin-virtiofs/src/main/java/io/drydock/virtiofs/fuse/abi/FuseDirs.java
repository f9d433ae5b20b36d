package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** Directory entries and namespace operations (linux/fuse.h fuse_dirent, fuse_direntplus, mkdir, mknod, rename, link). */
public final class FuseDirs {
    private FuseDirs() {}

    /** fuse.h: fuse_dirent header before the name. */
    public static final int DIRENT_HEADER = 24;
    /** fuse.h: fuse_direntplus = fuse_entry_out + fuse_dirent header. */
    public static final int DIRENTPLUS_HEADER = FuseAttrs.EntryOut.SIZE + DIRENT_HEADER;

    /** fuse.h FUSE_DIRENT_ALIGN: records are padded to 8 bytes. */
    public static int align8(int n) { return (n + 7) & ~7; }

    /** Size of a fuse_dirent record for a name of {@code nameLen} bytes. */
    public static int direntSize(int nameLen) { return align8(DIRENT_HEADER + nameLen); }

    /** Size of a fuse_direntplus record. */
    public static int direntplusSize(int nameLen) { return align8(DIRENTPLUS_HEADER + nameLen); }

    /** One fuse_dirent: {@code off} is the cookie of the next entry; {@code type} is DT_* (mode >> 12). */
    public record Dirent(long ino, long off, int type, byte[] name) {
        /** Writes the record, zero padding included, and returns its size. */
        public int encode(MemorySegment s, long o) {
            Le.u64(s, o, ino); Le.u64(s, o + 8, off); Le.u32(s, o + 16, name.length); Le.u32(s, o + 20, type);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, s, o + DIRENT_HEADER, name.length);
            int size = direntSize(name.length);
            s.asSlice(o + DIRENT_HEADER + name.length, size - DIRENT_HEADER - name.length).fill((byte) 0);
            return size;
        }

        public static Dirent decode(MemorySegment s, long o) {
            int len = Le.u32(s, o + 16);
            byte[] name = s.asSlice(o + DIRENT_HEADER, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return new Dirent(Le.u64(s, o), Le.u64(s, o + 8), Le.u32(s, o + 20), name);
        }
    }

    /** One fuse_direntplus. */
    public record DirentPlus(FuseAttrs.EntryOut entry, Dirent dirent) {
        public int encode(MemorySegment s, long o) {
            entry.encode(s, o);
            dirent.encode(s, o + FuseAttrs.EntryOut.SIZE);
            return direntplusSize(dirent.name().length);
        }

        public static DirentPlus decode(MemorySegment s, long o) {
            return new DirentPlus(FuseAttrs.EntryOut.decode(s, o), Dirent.decode(s, o + FuseAttrs.EntryOut.SIZE));
        }
    }

    /** fuse_mkdir_in, 8 bytes, followed by the name. */
    public record MkdirIn(int mode, int umask) {
        public static final int SIZE = 8;
        public static MkdirIn decode(MemorySegment s, long o) { return new MkdirIn(Le.u32(s, o), Le.u32(s, o + 4)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, mode); Le.u32(s, o + 4, umask); }
    }

    /** fuse_mknod_in, 16 bytes, followed by the name. */
    public record MknodIn(int mode, int rdev, int umask) {
        public static final int SIZE = 16;
        public static MknodIn decode(MemorySegment s, long o) { return new MknodIn(Le.u32(s, o), Le.u32(s, o + 4), Le.u32(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, mode); Le.u32(s, o + 4, rdev); Le.u32(s, o + 8, umask); Le.u32(s, o + 12, 0); }
    }

    /** fuse_rename_in, 8 bytes, followed by old and new names. */
    public record RenameIn(long newdir) {
        public static final int SIZE = 8;
        public static RenameIn decode(MemorySegment s, long o) { return new RenameIn(Le.u64(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, newdir); }
    }

    /** fuse_rename2_in, 16 bytes; flags are RENAME_NOREPLACE 1, RENAME_EXCHANGE 2, RENAME_WHITEOUT 4. */
    public record Rename2In(long newdir, int flags) {
        public static final int SIZE = 16;
        public static Rename2In decode(MemorySegment s, long o) { return new Rename2In(Le.u64(s, o), Le.u32(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, newdir); Le.u32(s, o + 8, flags); Le.u32(s, o + 12, 0); }
    }

    /** fuse_link_in, 8 bytes, followed by the new name; the request's nodeid is the new parent. */
    public record LinkIn(long oldnodeid) {
        public static final int SIZE = 8;
        public static LinkIn decode(MemorySegment s, long o) { return new LinkIn(Le.u64(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, oldnodeid); }
    }
}
