package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.abi.FuseMisc.ForgetOne;
import io.drydock.virtiofs.fuse.abi.FuseMisc.StatfsOut;
import io.drydock.virtiofs.fuse.server.FuseSession;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** A {@link FuseFileSystem} that passes every operation to another: the base of decorators. */
public class ForwardingFileSystem implements FuseFileSystem {
    protected final FuseFileSystem delegate;

    public ForwardingFileSystem(FuseFileSystem delegate) { this.delegate = delegate; }

    @Override public long refusedInitFlags() { return delegate.refusedInitFlags(); }
    @Override public void init(FuseSession session) throws IOException { delegate.init(session); }

    @Override public void destroy() { delegate.destroy(); }

    @Override public Scope enter(FuseContext c) throws IOException { return delegate.enter(c); }

    @Override public int poll(FuseContext c, long nodeid, long fh, int events) throws IOException { return delegate.poll(c, nodeid, fh, events); }

    @Override public EntryOut lookup(FuseContext c, long parent, FuseName name) throws IOException { return delegate.lookup(c, parent, name); }

    @Override public void forget(long nodeid, long nlookup) { delegate.forget(nodeid, nlookup); }

    @Override public void batchForget(List<ForgetOne> items) { delegate.batchForget(items); }

    @Override public AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException { return delegate.getattr(c, nodeid, fh); }

    @Override public AttrOut setattr(FuseContext c, long nodeid, SetattrIn in) throws IOException { return delegate.setattr(c, nodeid, in); }

    @Override public byte[] readlink(FuseContext c, long nodeid) throws IOException { return delegate.readlink(c, nodeid); }

    @Override public EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException { return delegate.symlink(c, parent, name, target); }

    @Override public EntryOut mknod(FuseContext c, long parent, FuseName name, int mode, int rdev, int umask) throws IOException { return delegate.mknod(c, parent, name, mode, rdev, umask); }

    @Override public EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException { return delegate.mkdir(c, parent, name, mode, umask); }

    @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException { delegate.unlink(c, parent, name); }

    @Override public void rmdir(FuseContext c, long parent, FuseName name) throws IOException { delegate.rmdir(c, parent, name); }

    @Override public void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags) throws IOException { delegate.rename(c, parent, name, newParent, newName, flags); }

    @Override public EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException { return delegate.link(c, nodeid, newParent, newName); }

    @Override public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException { return delegate.open(c, nodeid, flags); }

    @Override public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) throws IOException { return delegate.read(c, nodeid, fh, offset, size, dst); }

    @Override public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags) throws IOException { return delegate.write(c, nodeid, fh, offset, data, writeFlags, flags); }

    @Override public StatfsOut statfs(FuseContext c, long nodeid) throws IOException { return delegate.statfs(c, nodeid); }

    @Override public void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner) throws IOException { delegate.release(c, nodeid, fh, flags, releaseFlags, lockOwner); }

    @Override public void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { delegate.fsync(c, nodeid, fh, datasync); }

    @Override public void setxattr(FuseContext c, long nodeid, byte[] name, MemorySegment value, int flags) throws IOException { delegate.setxattr(c, nodeid, name, value, flags); }

    @Override public byte[] getxattr(FuseContext c, long nodeid, byte[] name) throws IOException { return delegate.getxattr(c, nodeid, name); }

    @Override public byte[] listxattr(FuseContext c, long nodeid) throws IOException { return delegate.listxattr(c, nodeid); }

    @Override public void removexattr(FuseContext c, long nodeid, byte[] name) throws IOException { delegate.removexattr(c, nodeid, name); }

    @Override public void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException { delegate.flush(c, nodeid, fh, lockOwner); }

    @Override public OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException { return delegate.opendir(c, nodeid, flags); }

    @Override public void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException { delegate.readdir(c, nodeid, fh, offset, sink); }

    @Override public void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException { delegate.readdirplus(c, nodeid, fh, offset, sink); }

    @Override public void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException { delegate.releasedir(c, nodeid, fh, flags); }

    @Override public void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { delegate.fsyncdir(c, nodeid, fh, datasync); }

    @Override public void access(FuseContext c, long nodeid, int mask) throws IOException { delegate.access(c, nodeid, mask); }

    @Override public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException { return delegate.create(c, parent, name, flags, mode, umask); }

    @Override public void interrupt(FuseContext c, long unique) { delegate.interrupt(c, unique); }

    @Override public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException { delegate.fallocate(c, nodeid, fh, offset, length, mode); }

    @Override public long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException { return delegate.lseek(c, nodeid, fh, offset, whence); }

    @Override public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut, long offOut, long len, long flags) throws IOException { return delegate.copyFileRange(c, nodeidIn, fhIn, offIn, nodeidOut, fhOut, offOut, len, flags); }

    @Override public void syncfs(FuseContext c, long nodeid) throws IOException { delegate.syncfs(c, nodeid); }
    @Override public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException { return delegate.openForMapping(c, nodeid, fh, writable); }
}
