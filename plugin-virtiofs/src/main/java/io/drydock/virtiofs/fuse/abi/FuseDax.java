package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** DAX window requests (linux/fuse.h fuse_setupmapping_in, fuse_removemapping_in/_one; since 7.31). */
public final class FuseDax {
    private FuseDax() {}

    /** fuse.h: FUSE_SETUPMAPPING_FLAG_WRITE, FUSE_SETUPMAPPING_FLAG_READ. */
    public static final long FLAG_WRITE = 1, FLAG_READ = 2;
    /** fuse.h: FUSE_REMOVEMAPPING_MAX_ENTRY = PAGE_SIZE / sizeof(fuse_removemapping_one) for 4 KiB pages. */
    public static final int REMOVEMAPPING_MAX_ENTRY = 4096 / 16;

    /** fuse_setupmapping_in, 40 bytes. {@code fh} is -1 when Linux maps by nodeid. */
    public record SetupmappingIn(long fh, long foffset, long len, long flags, long moffset) {
        public static final int SIZE = 40;
        public static SetupmappingIn decode(MemorySegment s, long o) {
            return new SetupmappingIn(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u64(s, o + 24), Le.u64(s, o + 32));
        }
        public void encode(MemorySegment s, long o) {
            Le.u64(s, o, fh); Le.u64(s, o + 8, foffset); Le.u64(s, o + 16, len); Le.u64(s, o + 24, flags); Le.u64(s, o + 32, moffset);
        }
    }

    /** fuse_removemapping_in, 4 bytes (unpadded), followed directly by {@code count} entries. */
    public record RemovemappingIn(int count) {
        public static final int SIZE = 4;
        public static RemovemappingIn decode(MemorySegment s, long o) { return new RemovemappingIn(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, count); }
    }

    /** fuse_removemapping_one, 16 bytes. */
    public record RemovemappingOne(long moffset, long len) {
        public static final int SIZE = 16;
        public static RemovemappingOne decode(MemorySegment s, long o) { return new RemovemappingOne(Le.u64(s, o), Le.u64(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, moffset); Le.u64(s, o + 8, len); }
    }
}
