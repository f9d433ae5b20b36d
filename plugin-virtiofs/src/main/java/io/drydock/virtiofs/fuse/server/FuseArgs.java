package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseName;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A cursor over a request's arguments (the bytes after {@code fuse_in_header}, before the extensions).
 * Every guest-sourced length is checked here, in {@link #take}, and nowhere else: a struct, a
 * NUL-terminated string or a payload that would run past the end gets EINVAL.
 */
final class FuseArgs {
    /** XATTR_NAME_MAX (linux/limits.h). */
    static final int XATTR_NAME_MAX = 255;
    /** PATH_MAX (linux/limits.h), NUL included: the longest symlink target. */
    static final int PATH_MAX = 4096;

    private final MemorySegment request;
    private long pos;
    private final long end;

    FuseArgs(MemorySegment request, long start, long end) {
        this.request = request;
        this.pos = start;
        this.end = end;
    }

    MemorySegment segment() { return request; }

    long remaining() { return end - pos; }

    /** Consumes {@code n} bytes and returns their offset in {@link #segment()}. */
    long take(long n) throws FuseException {
        if (n < 0 || n > end - pos)
            throw new FuseException(Errno.EINVAL, "request arguments: need " + n + " bytes, have " + (end - pos));
        long at = pos;
        pos += n;
        return at;
    }

    /** The next {@code n} bytes as a view of the request (WRITE data, xattr values). */
    MemorySegment bytes(long n) throws FuseException {
        return request.asSlice(take(n), n);
    }

    /** A NUL-terminated byte string of at most {@code max} bytes before the NUL; EINVAL without a NUL. */
    byte[] cstring(int max) throws FuseException {
        long limit = Math.min(end - pos, (long) max + 1);
        for (long i = 0; i < limit; i++) {
            if (request.get(ValueLayout.JAVA_BYTE, pos + i) == 0) {
                byte[] s = request.asSlice(pos, i).toArray(ValueLayout.JAVA_BYTE);
                take(i + 1);
                return s;
            }
        }
        throw new FuseException(limit > max ? Errno.ENAMETOOLONG : Errno.EINVAL,
                "string without NUL in " + limit + " bytes");
    }

    /** A directory entry name: NUL-terminated, then validated by {@link FuseName#of}. */
    FuseName name() throws FuseException {
        return FuseName.of(cstring(FuseName.NAME_MAX));
    }

    /** An xattr name: NUL-terminated, 1..XATTR_NAME_MAX bytes. */
    byte[] xattrName() throws FuseException {
        byte[] n = cstring(XATTR_NAME_MAX);
        if (n.length == 0) throw new FuseException(Errno.EINVAL, "empty xattr name");
        return n;
    }
}
