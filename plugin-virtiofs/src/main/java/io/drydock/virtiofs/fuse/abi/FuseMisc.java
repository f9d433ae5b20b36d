package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** The rest: statfs, forget, interrupt, access, xattr (linux/fuse.h). */
public final class FuseMisc {
    private FuseMisc() {}

    /** fuse_kstatfs inside fuse_statfs_out, 80 bytes. */
    public record StatfsOut(long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen,
                            int frsize) {
        public static final int SIZE = 80;
        public static StatfsOut decode(MemorySegment s, long o) {
            return new StatfsOut(Le.u64(s, o), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u64(s, o + 24), Le.u64(s, o + 32),
                    Le.u32(s, o + 40), Le.u32(s, o + 44), Le.u32(s, o + 48));
        }
        public void encode(MemorySegment s, long o) {
            s.asSlice(o, SIZE).fill((byte) 0);
            Le.u64(s, o, blocks); Le.u64(s, o + 8, bfree); Le.u64(s, o + 16, bavail); Le.u64(s, o + 24, files);
            Le.u64(s, o + 32, ffree); Le.u32(s, o + 40, bsize); Le.u32(s, o + 44, namelen); Le.u32(s, o + 48, frsize);
        }
    }

    /** fuse_forget_in, 8 bytes. */
    public record ForgetIn(long nlookup) {
        public static final int SIZE = 8;
        public static ForgetIn decode(MemorySegment s, long o) { return new ForgetIn(Le.u64(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, nlookup); }
    }

    /** fuse_forget_one, 16 bytes. */
    public record ForgetOne(long nodeid, long nlookup) {
        public static final int SIZE = 16;
        public static ForgetOne decode(MemorySegment s, long o) { return new ForgetOne(Le.u64(s, o), Le.u64(s, o + 8)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, nodeid); Le.u64(s, o + 8, nlookup); }
    }

    /** fuse_batch_forget_in, 8 bytes, followed by {@code count} fuse_forget_one. */
    public record BatchForgetIn(int count) {
        public static final int SIZE = 8;
        public static BatchForgetIn decode(MemorySegment s, long o) { return new BatchForgetIn(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, count); Le.u32(s, o + 4, 0); }
    }

    /** fuse_interrupt_in, 8 bytes. */
    public record InterruptIn(long unique) {
        public static final int SIZE = 8;
        public static InterruptIn decode(MemorySegment s, long o) { return new InterruptIn(Le.u64(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u64(s, o, unique); }
    }

    /** fuse_access_in, 8 bytes. */
    public record AccessIn(int mask) {
        public static final int SIZE = 8;
        public static AccessIn decode(MemorySegment s, long o) { return new AccessIn(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, mask); Le.u32(s, o + 4, 0); }
    }

    /**
     * fuse_setxattr_in: 8 bytes without FUSE_SETXATTR_EXT (FUSE_COMPAT_SETXATTR_IN_SIZE), 16 with it; followed
     * by the name and {@code size} bytes of value. This server does not negotiate SETXATTR_EXT.
     */
    public record SetxattrIn(int size, int flags) {
        public static final int SIZE = 16;
        public static final int COMPAT_SIZE = 8;
        public static SetxattrIn decode(MemorySegment s, long o) { return new SetxattrIn(Le.u32(s, o), Le.u32(s, o + 4)); }
        /** The full 16-byte form (setxattr_flags and padding zero); a compat client sends the first 8. */
        public void encode(MemorySegment s, long o) { Le.u32(s, o, size); Le.u32(s, o + 4, flags); Le.u64(s, o + 8, 0); }

        /** The 8-byte FUSE_COMPAT_SETXATTR_IN_SIZE form, sent when SETXATTR_EXT was not negotiated. */
        public void encodeCompat(MemorySegment s, long o) { Le.u32(s, o, size); Le.u32(s, o + 4, flags); }
    }

    /** fuse_getxattr_in, 8 bytes (GETXATTR followed by the name, LISTXATTR alone). */
    public record GetxattrIn(int size) {
        public static final int SIZE = 8;
        public static GetxattrIn decode(MemorySegment s, long o) { return new GetxattrIn(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, size); Le.u32(s, o + 4, 0); }
    }

    /** fuse_getxattr_out, 8 bytes: the value size when the request's size was 0. */
    public record GetxattrOut(int size) {
        public static final int SIZE = 8;
        public static GetxattrOut decode(MemorySegment s, long o) { return new GetxattrOut(Le.u32(s, o)); }
        public void encode(MemorySegment s, long o) { Le.u32(s, o, size); Le.u32(s, o + 4, 0); }
    }
}
