package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.filesystem.FuseException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodeids to inodes and (device, inode number) to inode, so hard links share one nodeid. Nodeids are
 * handed out from a counter (never the host inode number) and never reused. The lookup count comes
 * from the client and cannot be trusted (qemu commit c241aa94): it only decides when our O_PATH
 * descriptor is closed, never anything about host files. Thread-safe (one lock).
 */
final class InodeTable {
    /** fuse.h: FUSE_ROOT_ID. */
    static final long ROOT_ID = 1;
    /** errno.h: ESTALE, for a nodeid the client should no longer use. */
    static final int ESTALE = 116;

    private record Key(long dev, long ino) {}

    private final Map<Long, Inode> byNodeid = new HashMap<>();
    private final Map<Key, Inode> byKey = new HashMap<>();
    private final int maxInodes;
    private long nextNodeid = ROOT_ID + 1;

    InodeTable(int rootFd, Statx root, int maxInodes) {
        this.maxInodes = maxInodes;
        Inode r = new Inode(ROOT_ID, root.dev(), root.ino(), root.type(), rootFd);
        r.nlookup = 1;
        byNodeid.put(ROOT_ID, r);
        byKey.put(new Key(r.dev, r.ino), r);
    }

    synchronized Inode get(long nodeid) throws FuseException {
        Inode i = byNodeid.get(nodeid);
        if (i == null) throw new FuseException(ESTALE, "unknown nodeid " + nodeid);
        return i;
    }

    /**
     * Takes a lookup reference for the inode that {@code fd} (O_PATH) refers to: the known inode if its
     * (dev, ino) is known (then {@code fd} is closed), else a new one owning {@code fd}.
     */
    synchronized Inode reference(int fd, Statx st) throws FuseException {
        Key key = new Key(st.dev(), st.ino());
        Inode known = byKey.get(key);
        if (known != null) {
            Sys.closeQuietly(fd);
            known.nlookup++;
            return known;
        }
        if (byNodeid.size() >= maxInodes) {
            Sys.closeQuietly(fd);
            throw new FuseException(Errno.ENFILE, "passthrough: inode table full (" + maxInodes
                    + " inodes, each holding a host descriptor); the client must FORGET some first");
        }
        Inode i = new Inode(nextNodeid++, st.dev(), st.ino(), st.type(), fd);
        i.nlookup = 1;
        byNodeid.put(i.nodeid, i);
        byKey.put(key, i);
        return i;
    }

    /** FORGET: drops up to {@code n} lookups; the inode goes when none are left and no file is open. */
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
        if (i.nlookup == 0 && i.openHandles == 0 && byNodeid.remove(i.nodeid) != null) {
            byKey.remove(new Key(i.dev, i.ino));
            Sys.closeQuietly(i.fd);
        }
    }

    synchronized int size() { return byNodeid.size(); }

    synchronized long lookupCount(long nodeid) {
        Inode i = byNodeid.get(nodeid);
        return i == null ? 0 : i.nlookup;
    }

    /** DESTROY: forgets everything but the root. */
    synchronized void clear() {
        List<Inode> all = new ArrayList<>(byNodeid.values());
        for (Inode i : all) {
            if (i.nodeid == ROOT_ID) continue;
            i.nlookup = 0;
            i.openHandles = 0;
            dropIfUnused(i);
        }
    }

    /** Closes every descriptor, the root's included. */
    synchronized void closeAll() {
        for (Inode i : byNodeid.values()) Sys.closeQuietly(i.fd);
        byNodeid.clear();
        byKey.clear();
    }
}
