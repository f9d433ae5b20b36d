package io.drydock.virtiofs.passthrough;

import io.drydock.virtiofs.passthrough.HostCalls.FileHandle;
import io.drydock.kernel.sys.Sys;

/**
 * One host inode known to the client: its nodeid, identity (device, inode number, file handle), file type
 * and an O_PATH descriptor that pins it. Every count and the descriptor are guarded by {@link InodeTable}'s
 * lock; code outside the table reads {@link #fd()} only between {@link InodeTable#pin} and
 * {@link InodeTable#unpin}, when the number cannot be closed (and so recycled) under it.
 */
final class Inode {
    final long nodeid;
    final long dev;
    final long ino;
    /** S_IFMT bits; an inode's type never changes while it exists. */
    final int type;
    /** Its file handle, or null: then its descriptor is never dropped under pressure. */
    final FileHandle handle;
    /** O_PATH | O_NOFOLLOW descriptor, or -1 while dropped (re-opened by {@link #handle} at the next pin). */
    int fd;
    /** Lookups the client holds (FORGET drops them). */
    long nlookup;
    /** Open handles (HandleTable) on this inode. */
    int openHandles;
    /** Requests using {@link #fd} right now. */
    int pins;

    Inode(long nodeid, long dev, long ino, int type, int fd, FileHandle handle) {
        this.nodeid = nodeid;
        this.dev = dev;
        this.ino = ino;
        this.type = type;
        this.fd = fd;
        this.handle = handle;
    }

    /** The O_PATH descriptor; only while pinned. */
    int fd() {
        assert pins > 0 : this + " used unpinned";
        return fd;
    }

    boolean isDir() { return type == Sys.S_IFDIR; }

    boolean isRegular() { return type == Sys.S_IFREG; }

    boolean isSymlink() { return type == Sys.S_IFLNK; }

    @Override public String toString() { return "inode " + nodeid + " (dev " + dev + ", ino " + ino + ")"; }
}
