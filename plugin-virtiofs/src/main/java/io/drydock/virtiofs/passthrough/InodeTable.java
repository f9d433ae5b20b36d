package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.passthrough.HostCalls.FileHandle;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodeids to inodes and (device, inode number) to inode, so hard links share one nodeid. Nodeids are
 * handed out from a counter (never the host inode number) and never reused.
 *
 * <p>Lifetimes (issue #11 finding 1; the C and Rust virtiofsd pin inodes per request): an inode's O_PATH
 * descriptor is closed only when nothing refers to it — no client lookup (FORGET), no open handle and no
 * running request ({@link #pin}/{@link #unpin}). FORGET, DESTROY and a second INIT only drop references, so
 * a descriptor number a request is using can never be closed and recycled onto another file under it.
 * The lookup count comes from the client and cannot be trusted (qemu commit c241aa94): it only decides
 * when our descriptor goes, never anything about host files.
 *
 * <p>Bounds: at most {@code maxFds} inode descriptors stay open. Beyond it the least recently used
 * descriptor no request is using is closed and the inode re-opened by its file handle
 * ({@code open_by_handle_at}, as the Rust virtiofsd's {@code --inode-file-handles}) at its next use, so a
 * host user stat-ing many files through the mount never exhausts RLIMIT_NOFILE. Inodes without a usable
 * handle (another mount, a file system without handles, no CAP_DAC_READ_SEARCH) keep their descriptor.
 * At most {@code maxInodes} inodes are known: ENFILE beyond. Thread-safe (one lock).
 */
final class InodeTable {
    /** fuse.h: FUSE_ROOT_ID. */
    static final long ROOT_ID = 1;
    /** errno.h: ESTALE, for a nodeid the client should no longer use. */
    static final int ESTALE = 116;

    private record Key(long dev, long ino) {}

    private final Map<Long, Inode> byNodeid = new HashMap<>();
    private final Map<Key, Inode> byKey = new HashMap<>();
    /** Inodes whose descriptor is open and that have a handle, least recently used first. */
    private final LinkedHashMap<Long, Inode> droppable = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxInodes;
    private final int maxFds;
    /** Descriptor used as open_by_handle_at's mount_fd (the root's), and its mount id; -1 when handles are off. */
    private final int mountFd;
    private final int mountId;
    /** Closed when the last reference to anything goes after {@link #close} (the root's and /proc/self/fd). */
    private final int[] closeLast;
    private long nextNodeid = ROOT_ID + 1;
    private int openFds;
    private long dropped, reopened;
    private boolean closed, finished;

    /**
     * @param mountFd a plain (not O_PATH: open_by_handle_at refuses those with EBADF) descriptor of the root,
     *                open_by_handle_at's mount_fd, or -1: inode descriptors are then never dropped
     * @param closeLast descriptors to close once {@link #close} was called and no request runs any more
     *                  (mountFd among them)
     */
    InodeTable(int rootFd, Statx root, int maxInodes, int maxFds, int mountFd, int... closeLast) {
        this.maxInodes = maxInodes;
        this.maxFds = maxFds;
        this.closeLast = closeLast;
        FileHandle rootHandle = mountFd >= 0 ? probeHandles(rootFd, mountFd) : null;
        this.mountFd = rootHandle != null ? mountFd : -1;
        this.mountId = rootHandle != null ? rootHandle.mountId() : -1;
        Inode r = new Inode(ROOT_ID, root.dev(), root.ino(), root.type(), rootFd, null);
        r.nlookup = 1;
        byNodeid.put(ROOT_ID, r);
        byKey.put(new Key(r.dev, r.ino), r);
        openFds = 1;
    }

    /** The root's handle if handles work here (name_to_handle_at and open_by_handle_at both), else null. */
    private static FileHandle probeHandles(int rootFd, int mountFd) {
        try {
            FileHandle h = HostCalls.handleOf(rootFd);
            Sys.close(HostCalls.openByHandle(mountFd, h, Sys.O_PATH | Sys.O_CLOEXEC));
            return h;
        } catch (ErrnoException e) {
            return null; // EOPNOTSUPP (no handles on this file system), EPERM (no CAP_DAC_READ_SEARCH)
        }
    }

    /** Whether inode descriptors can be dropped and re-opened by handle. */
    boolean handlesWork() { return mountFd >= 0; }

    /** The file handle to keep for an inode opened as {@code fd}, or null when it cannot be re-opened by it. */
    FileHandle handleFor(int fd) {
        if (mountFd < 0) return null;
        try {
            FileHandle h = HostCalls.handleOf(fd);
            return h.mountId() == mountId ? h : null; // another mount: the root's descriptor cannot open it
        } catch (ErrnoException e) {
            return null;
        }
    }

    /**
     * Pins inode {@code nodeid} for one request: its descriptor stays open (re-opened by handle if it was
     * dropped) until {@link #unpin}. ESTALE for an unknown nodeid or an inode that no longer exists.
     */
    synchronized Inode pin(long nodeid) throws FuseException {
        Inode i = byNodeid.get(nodeid);
        if (i == null) throw new FuseException(ESTALE, "unknown nodeid " + nodeid);
        return pin(i);
    }

    /** Pins a known inode (one an open handle refers to). */
    synchronized Inode pin(Inode i) throws FuseException {
        if (finished) throw new FuseException(ESTALE, "the file system is closed");
        if (i.fd < 0) {
            if (i.handle == null) throw new FuseException(ESTALE, i + " has no descriptor");
            makeRoom();
            try {
                i.fd = HostCalls.openByHandle(mountFd, i.handle, Sys.O_PATH | Sys.O_NOFOLLOW | Sys.O_CLOEXEC);
            } catch (ErrnoException e) {
                throw new FuseException(ESTALE, i + " is gone: " + e.getMessage());
            }
            openFds++;
            reopened++;
        }
        i.pins++;
        if (i.handle != null) droppable.put(i.nodeid, i);
        return i;
    }

    synchronized void unpin(Inode i) {
        i.pins--;
        dropIfUnused(i);
    }

    /** Closes idle descriptors (least recently used first) while the budget is exhausted. */
    private void makeRoom() {
        for (Iterator<Inode> it = droppable.values().iterator(); openFds >= maxFds && it.hasNext(); ) {
            Inode v = it.next();
            if (v.pins > 0) continue;
            it.remove();
            Sys.closeQuietly(v.fd);
            v.fd = -1;
            openFds--;
            dropped++;
        }
    }

    /**
     * Takes a lookup reference for the inode that {@code fd} (O_PATH) refers to: the known inode if its
     * (dev, ino) is known and is the same file (then {@code fd} is closed), else a new one owning {@code fd}.
     */
    synchronized Inode reference(int fd, Statx st) throws FuseException {
        Key key = new Key(st.dev(), st.ino());
        Inode known = byKey.get(key);
        if (known != null && known.fd < 0 && !known.handle.equals(handleFor(fd))) {
            byKey.remove(key); // its descriptor was dropped and the number now names another file
            known = null;
        }
        if (known != null) {
            Sys.closeQuietly(fd);
            known.nlookup++;
            return known;
        }
        if (byNodeid.size() >= maxInodes) {
            Sys.closeQuietly(fd);
            throw new FuseException(Errno.ENFILE, "passthrough: inode table full (" + maxInodes
                    + " inodes); the client must FORGET some first");
        }
        FileHandle handle = handleFor(fd);
        makeRoom();
        Inode i = new Inode(nextNodeid++, st.dev(), st.ino(), st.type(), fd, handle);
        i.nlookup = 1;
        byNodeid.put(i.nodeid, i);
        byKey.put(key, i);
        openFds++;
        if (handle != null) droppable.put(i.nodeid, i);
        return i;
    }

    /** FORGET: drops up to {@code n} lookups; the inode goes when nothing refers to it any more. */
    synchronized void forget(long nodeid, long n) {
        Inode i = byNodeid.get(nodeid);
        if (i == null || nodeid == ROOT_ID) return;
        i.nlookup = Long.compareUnsigned(n, i.nlookup) >= 0 ? 0 : i.nlookup - n;
        dropIfUnused(i);
    }

    synchronized void opened(Inode i) { i.openHandles++; }

    synchronized void closed(Inode i) {
        i.openHandles--;
        dropIfUnused(i);
    }

    private void dropIfUnused(Inode i) {
        if (i.nodeid != ROOT_ID && i.nlookup == 0 && i.openHandles == 0 && i.pins == 0 && byNodeid.remove(i.nodeid) != null) {
            Key key = new Key(i.dev, i.ino);
            if (byKey.get(key) == i) byKey.remove(key);
            droppable.remove(i.nodeid);
            closeDescriptor(i);
        }
        finishIfIdle();
    }

    private void closeDescriptor(Inode i) {
        if (i.fd >= 0) {
            Sys.closeQuietly(i.fd);
            i.fd = -1;
            openFds--;
        }
    }

    /**
     * After {@link #close}: once only the root is left and no request uses it, closes the root (the
     * mount_fd every re-open by handle uses, so it goes last) and {@code closeLast}, exactly once.
     */
    private void finishIfIdle() {
        if (!closed || finished || byNodeid.size() != 1) return;
        Inode r = byNodeid.get(ROOT_ID);
        if (r == null || r.pins != 0 || r.openHandles != 0) return;
        finished = true;
        byNodeid.clear();
        byKey.clear();
        droppable.clear();
        closeDescriptor(r);
        for (int fd : closeLast) if (fd >= 0) Sys.closeQuietly(fd);
    }

    synchronized int size() { return byNodeid.size(); }

    /** Inode descriptors open now. */
    synchronized int openDescriptors() { return openFds; }

    /** Inode descriptors dropped under pressure / re-opened by handle, since start. */
    synchronized long droppedDescriptors() { return dropped; }

    synchronized long reopenedDescriptors() { return reopened; }

    synchronized long lookupCount(long nodeid) {
        Inode i = byNodeid.get(nodeid);
        return i == null ? 0 : i.nlookup;
    }

    /** DESTROY, a new INIT: the client's lookups are gone (the root's stays). Open handles are dropped by the HandleTable. */
    synchronized void clear() {
        for (Inode i : List.copyOf(byNodeid.values())) {
            if (i.nodeid == ROOT_ID) continue;
            i.nlookup = 0;
            dropIfUnused(i);
        }
    }

    /**
     * The file system closes: every lookup goes, the root's included; descriptors close as their last user
     * (a request still running on a worker) lets go, and {@code closeLast} after the very last.
     */
    synchronized void close() {
        if (closed) return;
        closed = true;
        for (Inode i : List.copyOf(byNodeid.values())) {
            i.nlookup = 0;
            dropIfUnused(i);
        }
        finishIfIdle();
    }

    /** Whether {@link #close} was called and every descriptor is closed. */
    synchronized boolean finished() { return finished; }
}
