package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.Attr;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.filesystem.DirPlusSink;
import io.drydock.virtiofs.fuse.filesystem.DirSink;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseName;
import io.drydock.virtiofs.passthrough.HandleTable.Handle;

import java.io.IOException;

/**
 * The directory operations of {@link PassthroughFileSystem}: OPENDIR, READDIR, READDIRPLUS (a confined
 * lookup per entry), RELEASEDIR, FSYNCDIR. One reader at a time per directory handle (its offset is the
 * descriptor's).
 */
final class PassthroughDirs {
    private final Export x;
    private final PassthroughFiles files;

    PassthroughDirs(Export x, PassthroughFiles files) { this.x = x; this.files = files; }

    public OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException {
        return x.onDir(nodeid, i -> {
            x.handles.reserve();
            int fd;
            try {
                fd = x.reopen(i, Sys.O_RDONLY | Sys.O_DIRECTORY);
            } catch (IOException | RuntimeException e) {
                x.handles.unreserve();
                throw e;
            }
            int open = x.options.cache() == PassthroughOptions.CacheMode.ALWAYS ? FuseFileIo.FOPEN_CACHE_DIR | FuseFileIo.FOPEN_KEEP_CACHE : 0;
            return new OpenOut(x.handles.register(i, fd, Sys.O_RDONLY | Sys.O_DIRECTORY, true).fh, open);
        });
    }

    public void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        h.dirLock.lock();
        try {
            DirReader.read(h.fd, offset, sink::add);
        } finally {
            h.dirLock.unlock();
            x.handles.unpin(h);
        }
    }

    public void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        Inode dirInode;
        try {
            dirInode = x.inodes.pin(h.inode);
        } catch (FuseException e) {
            x.handles.unpin(h);
            throw e;
        }
        h.dirLock.lock();
        try {
            DirReader.read(h.fd, offset, (ino, next, type, name) -> {
                if (!sink.fits(name.length)) return false;
                if (DirReader.isDotOrDotDot(name)) // fs/fuse/readdir.c: no lookup reference for "." and ".."
                    return sink.add(new EntryOut(0, 0, 0, 0, 0, 0, new Attr(ino, 0, 0, 0, 0, 0, 0, 0, 0, type << 12,
                            0, 0, 0, 0, 0, 0)), next, type, name);
                EntryOut e;
                try {
                    e = x.lookupIn(dirInode, FuseName.of(name));
                } catch (FuseException | ErrnoException gone) {
                    return true; // removed or unusable since getdents64: skip it, as ls would see it gone
                }
                if (!sink.add(e, next, type, name)) {
                    x.inodes.forget(e.nodeid(), 1);
                    return false;
                }
                return true;
            });
        } finally {
            h.dirLock.unlock();
            x.inodes.unpin(dirInode);
            x.handles.unpin(h);
        }
    }

    public void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException {
        x.handles.release(fh, nodeid);
    }

    public void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        files.fsync(c, nodeid, fh, datasync);
    }
}
