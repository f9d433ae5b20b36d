package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.filesystem.FuseException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Extended attributes of an inode, reached by path through the magic link {@code /proc/self/fd/N} of
 * its O_PATH descriptor (f*xattr refuse O_PATH descriptors), only for regular files and directories.
 * A symlink's link would lead to the symlink itself, but user.* xattrs are not allowed on symlinks
 * anyway; special files (devices, FIFOs, sockets) answer as having none and refuse changes, so the
 * server never touches a host device's attributes.
 *
 * <p>The {@code security.*} and {@code trusted.*} namespaces (file capabilities, SELinux labels, overlayfs
 * metadata: host-privileged meaning) are hidden unless the operator asked for them: reads answer ENODATA,
 * changes EPERM, lists leave them out (the C virtiofsd passes them unless told otherwise with xattrmap;
 * we refuse by default, issue #11 finding 7).
 */
final class PassthroughXattrs {
    private PassthroughXattrs() {}

    private static byte[] path(Inode i) {
        return i.isRegular() || i.isDir() ? Sys.procFdPath(i.fd()) : null;
    }

    private static boolean privileged(byte[] name) {
        return startsWith(name, "security.") || startsWith(name, "trusted.");
    }

    private static boolean startsWith(byte[] name, String prefix) {
        if (name.length < prefix.length()) return false;
        for (int k = 0; k < prefix.length(); k++) if (name[k] != prefix.charAt(k)) return false;
        return true;
    }

    static byte[] get(Inode i, byte[] name, boolean privilegedAllowed) throws IOException {
        if (!privilegedAllowed && privileged(name)) throw new FuseException(Errno.ENODATA, "security/trusted xattrs are off");
        byte[] path = path(i);
        if (path == null) throw new FuseException(Errno.ENODATA, "no xattrs on special files here");
        try (Arena a = Arena.ofConfined()) {
            while (true) {
                long size = Sys.getxattr(path, name, MemorySegment.NULL);
                MemorySegment buf = a.allocate(Math.max(1, size));
                try {
                    long n = Sys.getxattr(path, name, buf.asSlice(0, size));
                    return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ERANGE) throw e; // ERANGE: it grew in between, ask again
                }
            }
        }
    }

    static byte[] list(Inode i, boolean privilegedAllowed) throws IOException {
        byte[] all = listAll(i);
        if (privilegedAllowed) return all;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(all.length);
        for (int from = 0, to; from < all.length; from = to + 1) { // NUL-separated names
            to = from;
            while (to < all.length && all[to] != 0) to++;
            byte[] name = java.util.Arrays.copyOfRange(all, from, to);
            if (!privileged(name)) {
                out.writeBytes(name);
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    private static byte[] listAll(Inode i) throws IOException {
        byte[] path = path(i);
        if (path == null) return new byte[0];
        try (Arena a = Arena.ofConfined()) {
            while (true) {
                long size = Sys.listxattr(path, MemorySegment.NULL);
                MemorySegment buf = a.allocate(Math.max(1, size));
                try {
                    long n = Sys.listxattr(path, buf.asSlice(0, size));
                    return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ERANGE) throw e;
                }
            }
        }
    }

    static void set(Inode i, byte[] name, MemorySegment value, int flags, boolean privilegedAllowed) throws IOException {
        if (!privilegedAllowed && privileged(name)) throw new FuseException(Errno.EPERM, "security/trusted xattrs are off");
        byte[] path = path(i);
        if (path == null) throw new FuseException(Errno.EPERM, "xattrs on special files");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(Math.max(1, value.byteSize())).copyFrom(value).asSlice(0, value.byteSize());
            Sys.setxattr(path, name, v, flags);
        }
    }

    static void remove(Inode i, byte[] name, boolean privilegedAllowed) throws IOException {
        if (!privilegedAllowed && privileged(name)) throw new FuseException(Errno.EPERM, "security/trusted xattrs are off");
        byte[] path = path(i);
        if (path == null) throw new FuseException(Errno.EPERM, "xattrs on special files");
        Sys.removexattr(path, name);
    }
}
