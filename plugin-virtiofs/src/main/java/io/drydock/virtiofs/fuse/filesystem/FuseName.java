package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.kernel.sys.Errno;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A single path component sent by the FUSE client, as raw bytes. Only {@link #of} makes one, and it
 * accepts exactly what a directory entry can be named: 1..255 bytes, no '/', no NUL, not "." or ".."
 * (a modified guest kernel may send such names: containers/libkrun#329; this server resolves no paths).
 */
public record FuseName(byte[] bytes) {
    /** NAME_MAX (linux/limits.h). */
    public static final int NAME_MAX = 255;

    public FuseName {
        bytes = bytes.clone();
    }

    public static FuseName of(byte[] bytes) throws FuseException {
        if (bytes.length == 0) throw new FuseException(Errno.EINVAL, "empty name");
        if (bytes.length > NAME_MAX) throw new FuseException(Errno.ENAMETOOLONG, "name of " + bytes.length + " bytes");
        for (byte b : bytes)
            if (b == '/' || b == 0) throw new FuseException(Errno.EINVAL, "name with '/' or NUL");
        if (bytes[0] == '.' && (bytes.length == 1 || (bytes.length == 2 && bytes[1] == '.')))
            throw new FuseException(Errno.EINVAL, "name \".\" or \"..\"");
        return new FuseName(bytes);
    }

    public static FuseName of(String s) throws FuseException { return of(s.getBytes(StandardCharsets.UTF_8)); }

    @Override public byte[] bytes() { return bytes.clone(); }

    /** The bytes without a defensive copy, for system calls that only read them. */
    public byte[] raw() { return bytes; }

    @Override public boolean equals(Object o) { return o instanceof FuseName n && Arrays.equals(bytes, n.bytes); }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public String toString() { return new String(bytes, StandardCharsets.UTF_8); }
}
