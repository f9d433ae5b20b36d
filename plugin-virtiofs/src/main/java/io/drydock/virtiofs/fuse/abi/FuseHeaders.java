package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;

/** The request and reply headers (linux/fuse.h {@code fuse_in_header}, {@code fuse_out_header}). */
public final class FuseHeaders {
    private FuseHeaders() {}

    /** fuse_in_header, 40 bytes; {@code len} includes the header; {@code totalExtlen} counts 8-byte units. */
    public record InHeader(int len, int opcode, long unique, long nodeid, int uid, int gid, int pid, int totalExtlen) {
        public static final int SIZE = 40;

        public static InHeader decode(MemorySegment s, long o) {
            return new InHeader(Le.u32(s, o), Le.u32(s, o + 4), Le.u64(s, o + 8), Le.u64(s, o + 16), Le.u32(s, o + 24),
                    Le.u32(s, o + 28), Le.u32(s, o + 32), Le.u16(s, o + 36));
        }

        public void encode(MemorySegment s, long o) {
            Le.u32(s, o, len); Le.u32(s, o + 4, opcode); Le.u64(s, o + 8, unique); Le.u64(s, o + 16, nodeid);
            Le.u32(s, o + 24, uid); Le.u32(s, o + 28, gid); Le.u32(s, o + 32, pid); Le.u16(s, o + 36, totalExtlen);
            Le.u16(s, o + 38, 0);
        }
    }

    /** fuse_out_header, 16 bytes; {@code error} is 0 or a negative errno. */
    public record OutHeader(int len, int error, long unique) {
        public static final int SIZE = 16;

        public static OutHeader decode(MemorySegment s, long o) {
            return new OutHeader(Le.u32(s, o), Le.u32(s, o + 4), Le.u64(s, o + 8));
        }

        public void encode(MemorySegment s, long o) {
            Le.u32(s, o, len); Le.u32(s, o + 4, error); Le.u64(s, o + 8, unique);
        }
    }
}
