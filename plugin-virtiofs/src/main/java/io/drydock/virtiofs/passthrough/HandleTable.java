package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.filesystem.FuseException;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Open files and directories (FUSE file handles) and a bound on the host descriptors they use. A
 * handle keeps its open flags; its descriptor may be closed when the table is full and idle handles are
 * the least recently used, and is re-opened through the inode's O_PATH descriptor on next use (without
 * O_CREAT/O_EXCL/O_TRUNC). When every descriptor is in use by a running request, opening fails with
 * EMFILE; so does opening more than {@code maxHandles} handles in one session (a client that OPENs and never
 * RELEASEs). A descriptor is closed only when no request uses it: RELEASE, DESTROY and a second INIT mark a
 * handle released and the last request to unpin it closes it (issue #11 finding 1). Thread-safe.
 */
final class HandleTable {
    /** An open file or directory. {@code fd} is -1 while evicted; guarded by the table lock. */
    static final class Handle {
        final long fh;
        final Inode inode;
        final int flags;
        final boolean dir;
        /** Serialises lseek + getdents64 on a directory handle. */
        final ReentrantLock dirLock = new ReentrantLock();
        int fd;
        int pins;
        /** RELEASE arrived while a request still used the descriptor: close it at the last unpin. */
        boolean released;

        Handle(long fh, Inode inode, int flags, boolean dir, int fd) {
            this.fh = fh;
            this.inode = inode;
            this.flags = flags;
            this.dir = dir;
            this.fd = fd;
        }
    }

    /** Re-opens an inode's O_PATH descriptor with data-access flags (see PassthroughFileSystem#reopen). */
    @FunctionalInterface
    interface Reopener {
        int reopen(Inode inode, int flags) throws FuseException, ErrnoException;
    }

    private final Map<Long, Handle> handles = new HashMap<>();
    /** Handles whose descriptor is open, least recently used first. */
    private final LinkedHashMap<Long, Handle> lru = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxFds;
    private final int maxHandles;
    private final Reopener reopener;
    private final InodeTable inodes;
    private int openFds;
    private int reserved;
    private long nextFh = 1;
    private long evictions;

    HandleTable(int maxFds, int maxHandles, InodeTable inodes, Reopener reopener) {
        this.maxFds = maxFds;
        this.maxHandles = maxHandles;
        this.inodes = inodes;
        this.reopener = reopener;
    }

    /** Reserves a descriptor slot before opening a file, evicting an idle descriptor when full. */
    synchronized void reserve() throws FuseException {
        if (handles.size() + reserved >= maxHandles)
            throw new FuseException(Errno.EMFILE, "passthrough: " + maxHandles + " file handles open in this session; RELEASE some first");
        makeRoom();
        reserved++;
    }

    synchronized void unreserve() { reserved--; }

    private void makeRoom() throws FuseException {
        if (openFds + reserved < maxFds) return;
        for (Iterator<Handle> it = lru.values().iterator(); it.hasNext(); ) {
            Handle h = it.next();
            if (h.pins == 0) {
                it.remove();
                Sys.closeQuietly(h.fd);
                h.fd = -1;
                openFds--;
                evictions++;
                return;
            }
        }
        throw new FuseException(Errno.EMFILE, "passthrough: all " + maxFds
                + " host file descriptors are busy with running requests (raise maxOpenFds)");
    }

    /** Registers an open descriptor under a reserved slot; returns the new handle. */
    synchronized Handle register(Inode inode, int fd, int flags, boolean dir) {
        reserved--;
        Handle h = new Handle(nextFh++, inode, flags, dir, fd);
        handles.put(h.fh, h);
        lru.put(h.fh, h);
        openFds++;
        inodes.opened(inode);
        return h;
    }

    /**
     * Pins handle {@code fh} of {@code nodeid} with an open descriptor for one request; call
     * {@link #unpin} after. EBADF for an unknown handle or one of another inode.
     */
    synchronized Handle pin(long fh, long nodeid) throws FuseException, ErrnoException {
        Handle h = handles.get(fh);
        if (h == null || h.inode.nodeid != nodeid)
            throw new FuseException(Errno.EBADF, "no file handle " + fh + " for nodeid " + nodeid);
        if (h.fd < 0) {
            makeRoom();
            Inode i = inodes.pin(h.inode);
            try {
                h.fd = reopener.reopen(i, h.flags & ~(Sys.O_CREAT | Sys.O_EXCL | Sys.O_TRUNC));
            } finally {
                inodes.unpin(i);
            }
            openFds++;
        }
        lru.put(h.fh, h); // access order: most recently used
        h.pins++;
        return h;
    }

    /** The open flags of handle {@code fh} of {@code nodeid}; EBADF as {@link #pin}. */
    synchronized int flags(long fh, long nodeid) throws FuseException {
        Handle h = handles.get(fh);
        if (h == null || h.inode.nodeid != nodeid)
            throw new FuseException(Errno.EBADF, "no file handle " + fh + " for nodeid " + nodeid);
        return h.flags;
    }

    synchronized void unpin(Handle h) {
        if (--h.pins == 0 && h.released) closeDescriptor(h);
    }

    private void closeDescriptor(Handle h) {
        if (h.fd >= 0) {
            Sys.closeQuietly(h.fd);
            h.fd = -1;
            openFds--;
        }
        inodes.closed(h.inode);
    }

    /** RELEASE: forgets the handle and closes its descriptor (when no request is using it). */
    synchronized void release(long fh, long nodeid) throws FuseException {
        Handle h = handles.get(fh);
        if (h == null || h.inode.nodeid != nodeid)
            throw new FuseException(Errno.EBADF, "no file handle " + fh + " for nodeid " + nodeid);
        handles.remove(fh);
        lru.remove(fh);
        // never close a descriptor a running request uses: the number could be reused under it
        h.released = true;
        if (h.pins == 0) closeDescriptor(h);
    }

    synchronized int openDescriptors() { return openFds; }

    synchronized int size() { return handles.size(); }

    synchronized long evictions() { return evictions; }

    /** DESTROY, a second INIT, close: releases every handle; descriptors in use close at their last unpin. */
    synchronized void clear() {
        for (Handle h : List.copyOf(handles.values())) {
            h.released = true;
            if (h.pins == 0) closeDescriptor(h);
        }
        handles.clear();
        lru.clear();
    }
}
