package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Refuses every operation that would change the exported tree with EROFS (as Rust virtiofsd's
 * {@code --readonly}): namespace changes, attribute and xattr changes, writes, and opens for writing
 * or truncation, writable DAX mappings. Reads pass through.
 */
public final class ReadOnlyFileSystem extends ForwardingFileSystem {
    /** fcntl.h: O_WRONLY | O_RDWR, O_TRUNC, O_CREAT, O_APPEND. */
    private static final int WRITE_FLAGS = 1 | 2 | 01000 | 0100 | 02000;

    public ReadOnlyFileSystem(FuseFileSystem delegate) { super(delegate); }

    private static FuseException erofs(String op) { return new FuseException(Errno.EROFS, op + " on a read-only export"); }

    @Override public AttrOut setattr(FuseContext c, long nodeid, SetattrIn in) throws IOException { throw erofs("setattr"); }
    @Override public EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException { throw erofs("symlink"); }
    @Override public EntryOut mknod(FuseContext c, long parent, FuseName name, int mode, int rdev, int umask) throws IOException { throw erofs("mknod"); }
    @Override public EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException { throw erofs("mkdir"); }
    @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException { throw erofs("unlink"); }
    @Override public void rmdir(FuseContext c, long parent, FuseName name) throws IOException { throw erofs("rmdir"); }
    @Override public void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags) throws IOException { throw erofs("rename"); }
    @Override public EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException { throw erofs("link"); }
    @Override public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags) throws IOException { throw erofs("write"); }
    @Override public void setxattr(FuseContext c, long nodeid, byte[] name, MemorySegment value, int flags) throws IOException { throw erofs("setxattr"); }
    @Override public void removexattr(FuseContext c, long nodeid, byte[] name) throws IOException { throw erofs("removexattr"); }
    @Override public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException { throw erofs("create"); }
    @Override public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException { throw erofs("fallocate"); }
    @Override public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut, long offOut, long len, long flags) throws IOException { throw erofs("copy_file_range"); }

    @Override public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException {
        if ((flags & WRITE_FLAGS) != 0) throw erofs("open for writing");
        return delegate.open(c, nodeid, flags);
    }

    @Override public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException {
        if (writable) throw erofs("writable DAX mapping");
        return delegate.openForMapping(c, nodeid, fh, false);
    }

    @Override public void access(FuseContext c, long nodeid, int mask) throws IOException {
        if ((mask & 2) != 0) throw erofs("access W_OK"); // unistd.h: W_OK
        delegate.access(c, nodeid, mask);
    }
}
