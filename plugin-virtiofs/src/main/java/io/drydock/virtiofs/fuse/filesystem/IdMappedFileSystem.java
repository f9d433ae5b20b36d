package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.Attr;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.abi.FuseMisc.StatfsOut;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The one place guest and host user/group IDs are translated ({@code scripts/virtiofsd --translate-uid/-gid}):
 * on the way in, the caller's uid/gid of every request (so the passthrough runs it, and creates entries, as
 * the mapped host IDs) and the owner a SETATTR sets; on the way out, the owner in every attribute reply
 * (LOOKUP, GETATTR, SETATTR, MKNOD, MKDIR, SYMLINK, LINK, CREATE, READDIRPLUS). A request from a forbidden
 * guest ID, or a chown to one, fails with EPERM before it reaches the file system (RELEASE and RELEASEDIR
 * excepted: they run as nobody, so a handle is never leaked). Not translated: IDs inside
 * xattr values (POSIX ACLs, which are off), and the supplementary groups (FUSE does not send them).
 */
public final class IdMappedFileSystem extends ForwardingFileSystem {
    private final IdMap uids, gids;

    public IdMappedFileSystem(FuseFileSystem delegate, IdMap uids, IdMap gids) {
        super(delegate);
        this.uids = uids;
        this.gids = gids;
    }

    /** The filesystem itself when both maps are the identity, else it behind the translation. */
    public static FuseFileSystem of(FuseFileSystem fs, IdMap uids, IdMap gids) {
        return uids.isIdentity() && gids.isIdentity() ? fs : new IdMappedFileSystem(fs, uids, gids);
    }

    // ---- guest to host

    private static int host(IdMap map, int guestId, String what) throws FuseException {
        return (int) map.toHost(guestId).orElseThrow(() ->
                new FuseException(Errno.EPERM, what + " " + Integer.toUnsignedString(guestId) + " is forbidden"));
    }

    private FuseContext in(FuseContext c) throws FuseException {
        return new FuseContext(c.unique(), c.nodeid(), host(uids, c.uid(), "guest uid"), host(gids, c.gid(), "guest gid"), c.pid());
    }

    /** nobody: the credentials a request from a forbidden ID enters with, so that RELEASE still closes (Linux's overflow ID). */
    private static final int NOBODY = 65534;

    /** The mapped caller, or nobody for a forbidden ID (only RELEASE/RELEASEDIR take that; every other operation refuses it). */
    private FuseContext releasing(FuseContext c) {
        return new FuseContext(c.unique(), c.nodeid(), (int) uids.toHost(c.uid()).orElse(NOBODY), (int) gids.toHost(c.gid()).orElse(NOBODY), c.pid());
    }

    private SetattrIn in(SetattrIn s) throws FuseException {
        int uid = s.uid(), gid = s.gid();
        if ((s.valid() & FuseAttrs.FATTR_UID) != 0) uid = host(uids, uid, "chown to guest uid");
        if ((s.valid() & FuseAttrs.FATTR_GID) != 0) gid = host(gids, gid, "chown to guest gid");
        return new SetattrIn(s.valid(), s.fh(), s.size(), s.lockOwner(), s.atime(), s.mtime(), s.ctime(),
                s.atimeNsec(), s.mtimeNsec(), s.ctimeNsec(), s.mode(), uid, gid);
    }

    // ---- host to guest

    private Attr out(Attr a) {
        return new Attr(a.ino(), a.size(), a.blocks(), a.atime(), a.mtime(), a.ctime(), a.atimeNsec(), a.mtimeNsec(),
                a.ctimeNsec(), a.mode(), a.nlink(), uids.toGuest(a.uid()), gids.toGuest(a.gid()), a.rdev(), a.blksize(), a.flags());
    }

    private EntryOut out(EntryOut e) {
        return new EntryOut(e.nodeid(), e.generation(), e.entryValid(), e.entryValidNsec(), e.attrValid(), e.attrValidNsec(), out(e.attr()));
    }

    private AttrOut out(AttrOut a) { return new AttrOut(a.attrValid(), a.attrValidNsec(), out(a.attr())); }

    // ---- every operation with a caller: the caller's IDs go in mapped; attributes come out mapped

    // enter() never refuses: a handle opened before its process changed to a forbidden ID must still be released
    @Override public Scope enter(FuseContext c) throws IOException { return delegate.enter(releasing(c)); }
    @Override public int poll(FuseContext c, long nodeid, long fh, int events) throws IOException { return delegate.poll(in(c), nodeid, fh, events); }
    @Override public EntryOut lookup(FuseContext c, long parent, FuseName name) throws IOException { return out(delegate.lookup(in(c), parent, name)); }
    @Override public AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException { return out(delegate.getattr(in(c), nodeid, fh)); }
    @Override public AttrOut setattr(FuseContext c, long nodeid, SetattrIn s) throws IOException { return out(delegate.setattr(in(c), nodeid, in(s))); }
    @Override public byte[] readlink(FuseContext c, long nodeid) throws IOException { return delegate.readlink(in(c), nodeid); }
    @Override public EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException { return out(delegate.symlink(in(c), parent, name, target)); }
    @Override public EntryOut mknod(FuseContext c, long parent, FuseName name, int mode, int rdev, int umask) throws IOException { return out(delegate.mknod(in(c), parent, name, mode, rdev, umask)); }
    @Override public EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException { return out(delegate.mkdir(in(c), parent, name, mode, umask)); }
    @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException { delegate.unlink(in(c), parent, name); }
    @Override public void rmdir(FuseContext c, long parent, FuseName name) throws IOException { delegate.rmdir(in(c), parent, name); }
    @Override public void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags) throws IOException { delegate.rename(in(c), parent, name, newParent, newName, flags); }
    @Override public EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException { return out(delegate.link(in(c), nodeid, newParent, newName)); }
    @Override public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException { return delegate.open(in(c), nodeid, flags); }
    @Override public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) throws IOException { return delegate.read(in(c), nodeid, fh, offset, size, dst); }
    @Override public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags) throws IOException { return delegate.write(in(c), nodeid, fh, offset, data, writeFlags, flags); }
    @Override public StatfsOut statfs(FuseContext c, long nodeid) throws IOException { return delegate.statfs(in(c), nodeid); }
    @Override public void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner) throws IOException { delegate.release(releasing(c), nodeid, fh, flags, releaseFlags, lockOwner); }
    @Override public void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { delegate.fsync(in(c), nodeid, fh, datasync); }
    @Override public void setxattr(FuseContext c, long nodeid, byte[] name, MemorySegment value, int flags) throws IOException { delegate.setxattr(in(c), nodeid, name, value, flags); }
    @Override public byte[] getxattr(FuseContext c, long nodeid, byte[] name) throws IOException { return delegate.getxattr(in(c), nodeid, name); }
    @Override public byte[] listxattr(FuseContext c, long nodeid) throws IOException { return delegate.listxattr(in(c), nodeid); }
    @Override public void removexattr(FuseContext c, long nodeid, byte[] name) throws IOException { delegate.removexattr(in(c), nodeid, name); }
    @Override public void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException { delegate.flush(in(c), nodeid, fh, lockOwner); }
    @Override public OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException { return delegate.opendir(in(c), nodeid, flags); }
    @Override public void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException { delegate.readdir(in(c), nodeid, fh, offset, sink); }
    @Override public void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException { delegate.releasedir(releasing(c), nodeid, fh, flags); }
    @Override public void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { delegate.fsyncdir(in(c), nodeid, fh, datasync); }
    @Override public void access(FuseContext c, long nodeid, int mask) throws IOException { delegate.access(in(c), nodeid, mask); }
    @Override public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException { delegate.fallocate(in(c), nodeid, fh, offset, length, mode); }
    @Override public long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException { return delegate.lseek(in(c), nodeid, fh, offset, whence); }
    @Override public void syncfs(FuseContext c, long nodeid) throws IOException { delegate.syncfs(in(c), nodeid); }
    @Override public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException { return delegate.openForMapping(in(c), nodeid, fh, writable); }
    @Override public void interrupt(FuseContext c, long unique) { delegate.interrupt(c, unique); }

    @Override public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut, long offOut, long len, long flags) throws IOException {
        return delegate.copyFileRange(in(c), nodeidIn, fhIn, offIn, nodeidOut, fhOut, offOut, len, flags);
    }

    @Override public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException {
        Created created = delegate.create(in(c), parent, name, flags, mode, umask);
        return new Created(out(created.entry()), created.open());
    }

    @Override public void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException {
        delegate.readdirplus(in(c), nodeid, fh, offset, new DirPlusSink() {
            @Override public boolean fits(int nameLength) { return sink.fits(nameLength); }
            @Override public boolean add(EntryOut entry, long nextOffset, int type, byte[] name) { return sink.add(out(entry), nextOffset, type, name); }
        });
    }
}
