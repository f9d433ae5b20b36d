package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a directory descriptor with getdents64(2) from a cookie ({@code d_off} of the previous entry,
 * 0 for the start), handing each entry to a visitor until it declines one.
 */
final class DirReader {
    private DirReader() {}

    /** One linux_dirent64 entry: {@code nextOffset} is its d_off, the cookie after it. */
    interface Visitor {
        /** Returns false to stop (the entry was not taken). */
        boolean visit(long ino, long nextOffset, int type, byte[] name) throws java.io.IOException;
    }

    /** The caller holds the handle's dirLock: lseek and getdents64 share the descriptor's position. */
    static void read(int fd, long offset, Visitor visitor) throws java.io.IOException {
        Sys.lseek(fd, offset, Sys.SEEK_SET);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(32 * 1024, 8);
            while (true) {
                long n = Sys.getdents64(fd, buf);
                if (n == 0) return;
                long at = 0;
                while (at < n) {
                    // linux/dirent.h linux_dirent64: d_ino u64 @0, d_off s64 @8, d_reclen u16 @16, d_type u8 @18, d_name @19
                    long ino = buf.get(ValueLayout.JAVA_LONG, at);
                    long off = buf.get(ValueLayout.JAVA_LONG, at + 8);
                    int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, at + 16));
                    int type = Byte.toUnsignedInt(buf.get(ValueLayout.JAVA_BYTE, at + 18));
                    long nameEnd = at + 19;
                    while (nameEnd < at + reclen && buf.get(ValueLayout.JAVA_BYTE, nameEnd) != 0) nameEnd++;
                    byte[] name = buf.asSlice(at + 19, nameEnd - at - 19).toArray(ValueLayout.JAVA_BYTE);
                    if (!visitor.visit(ino, off, type, name)) return;
                    at += reclen;
                }
            }
        }
    }

    static boolean isDotOrDotDot(byte[] name) {
        return name.length > 0 && name[0] == '.' && (name.length == 1 || (name.length == 2 && name[1] == '.'));
    }

}
