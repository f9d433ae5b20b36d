package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Sys;

/**
 * One host inode known to the client: its nodeid, identity (device, inode number), file type and an
 * O_PATH descriptor that pins it. Lookup and open counts are guarded by {@link InodeTable}'s lock.
 */
final class Inode {
    final long nodeid;
    final long dev;
    final long ino;
    /** S_IFMT bits; an inode's type never changes while we hold its descriptor. */
    final int type;
    /** O_PATH | O_NOFOLLOW descriptor: usable as a dirfd, for fstat, and re-opened via /proc/self/fd. */
    final int fd;
    long nlookup;
    int openHandles;

    Inode(long nodeid, long dev, long ino, int type, int fd) {
        this.nodeid = nodeid;
        this.dev = dev;
        this.ino = ino;
        this.type = type;
        this.fd = fd;
    }

    boolean isDir() { return type == Sys.S_IFDIR; }

    boolean isRegular() { return type == Sys.S_IFREG; }

    boolean isSymlink() { return type == Sys.S_IFLNK; }

    @Override public String toString() { return "inode " + nodeid + " (dev " + dev + ", ino " + ino + ")"; }
}
