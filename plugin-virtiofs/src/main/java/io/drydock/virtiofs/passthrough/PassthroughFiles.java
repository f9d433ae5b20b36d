package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseName;
import io.drydock.virtiofs.passthrough.HandleTable.Handle;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem.Created;

/**
 * The open-file operations of {@link PassthroughFileSystem}: OPEN, CREATE, the DAX mapping descriptor, READ,
 * WRITE, FLUSH, FSYNC, RELEASE, FALLOCATE, LSEEK, POLL, COPY_FILE_RANGE and SYNCFS, each on a pinned handle.
 */
final class PassthroughFiles {
    private final Export x;

    PassthroughFiles(Export x) { this.x = x; }

    public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException {
        return x.on(nodeid, i -> {
            if (i.isDir()) throw new FuseException(Errno.EISDIR, "OPEN of " + i);
            int f = flags & Export.OPEN_FLAGS_ALLOWED;
            x.handles.reserve();
            int fd;
            try {
                fd = x.reopen(i, f);
            } catch (IOException | RuntimeException e) {
                x.handles.unreserve();
                throw e;
            }
            return new OpenOut(x.handles.register(i, fd, f, false).fh, x.openFlags());
        });
    }

    /**
     * CREATE: {@code O_CREAT|O_EXCL} makes the file, owned by the caller (credentials) and opened in the same
     * call. When the name exists and the client did not ask for O_EXCL, the entry is first opened O_PATH and
     * its type checked, and only a regular file is then opened for I/O: a FIFO or device planted under the
     * name is never opened (issue #11 finding 5, CVE-2020-35517).
     */
    public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException {
        return x.onDir(parent, p -> {
            int f = flags & Export.OPEN_FLAGS_ALLOWED;
            x.handles.reserve();
            int fd = -1, pathFd = -1;
            try {
                boolean made = true;
                try {
                    fd = x.openBeneath(p, name, f | Sys.O_CREAT | Sys.O_EXCL, mode & 07777);
                    pathFd = Sys.openat(x.procFd, Export.procName(fd), Sys.O_PATH | Sys.O_CLOEXEC, 0); // the very inode just made
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EEXIST || (flags & Sys.O_EXCL) != 0) throw e;
                    made = false; // it appeared since the client's LOOKUP: open the existing file, leave it as it is
                    pathFd = x.openBeneath(p, name, Sys.O_PATH, 0);
                }
                Statx st = Sys.statx(pathFd);
                if (st.type() != Sys.S_IFREG)
                    throw new FuseException(st.type() == Sys.S_IFDIR ? Errno.EISDIR : st.type() == Sys.S_IFLNK ? Errno.ELOOP : Errno.EACCES,
                            "CREATE of an existing " + Integer.toOctalString(st.type()) + ": not opened");
                if (!made) fd = Sys.openat(x.procFd, Export.procName(pathFd), f | Sys.O_CLOEXEC, 0);
                boolean chmodded = made && (mode & 07777 & x.processUmask) != 0;
                if (chmodded) Sys.fchmodat(x.procFd, Export.procName(pathFd), mode & 07777, 0);
                Statx now = chmodded ? Sys.statx(pathFd) : st; // one statx per CREATE unless the mode was restored
                int owned = pathFd;
                pathFd = -1; // reference() owns it now, and closes it itself if it fails
                Inode i = x.inodes.reference(owned, now);
                Handle h = x.handles.register(i, fd, f, false);
                fd = -1;
                return new Created(x.entry(i, now), new OpenOut(h.fh, x.openFlags()));
            } catch (IOException | RuntimeException e) {
                x.handles.unreserve();
                throw e;
            } finally {
                if (fd >= 0) Sys.closeQuietly(fd);
                if (pathFd >= 0) Sys.closeQuietly(pathFd);
            }
        });
    }

    /** DAX (fuse.h FUSE_SETUPMAPPING): a fresh descriptor of a regular file, never more access than its handle has. */
    public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException {
        if (writable && x.options.readonly()) throw new FuseException(Errno.EROFS, "writable DAX mapping on a read-only export");
        return x.on(nodeid, i -> {
            if (!i.isRegular()) throw new FuseException(Errno.EINVAL, "DAX mapping of " + i + ", not a regular file");
            if (fh != -1) { // fuse.h: fh -1 = map by nodeid (Linux); else the handle's access mode bounds the mapping
                int mode = x.handles.flags(fh, nodeid) & Sys.O_ACCMODE;
                if (mode == Sys.O_WRONLY || (writable && mode != Sys.O_RDWR))
                    throw new FuseException(Errno.EACCES, "file handle " + fh + " is not open for " + (writable ? "read-write" : "reading"));
            }
            return x.reopen(i, writable ? Sys.O_RDWR : Sys.O_RDONLY);
        });
    }

    public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        try {
            long total = 0;
            while (total < size) {
                long n = Sys.preadv(h.fd, nativeRange(dst, total), offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        } finally {
            x.handles.unpin(h);
        }
    }

    /** The part of {@code dst} from byte {@code skip} on; segments must be native (off-heap) for preadv. */
    private static List<MemorySegment> nativeRange(List<MemorySegment> dst, long skip) throws FuseException {
        List<MemorySegment> out = new java.util.ArrayList<>(dst.size());
        for (MemorySegment s : dst) {
            if (!s.isNative()) throw new FuseException(Errno.EFAULT, "READ destination is not native memory");
            if (skip >= s.byteSize()) { skip -= s.byteSize(); continue; }
            out.add(s.asSlice(skip));
            skip = 0;
        }
        return out;
    }

    public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags)
            throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        try (Arena arena = data.isNative() ? null : Arena.ofConfined()) {
            // fuse.h FUSE_WRITE_KILL_SUIDGID: the writer has no CAP_FSETID (the client leaves the kill to us)
            if ((writeFlags & Export.WRITE_KILL_SUIDGID) != 0) x.killSuidgid(h.fd);
            MemorySegment src = data.isNative() ? data : arena.allocate(data.byteSize()).copyFrom(data);
            long total = 0;
            while (total < src.byteSize()) total += Sys.pwrite(h.fd, src.asSlice(total), offset + total);
            return (int) total;
        } finally {
            x.handles.unpin(h);
        }
    }

    public void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        try {
            Sys.close(Sys.dup(h.fd)); // close(2) semantics (POSIX locks, NFS-style flush) without losing the handle
        } finally {
            x.handles.unpin(h);
        }
    }

    public void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        try {
            Sys.fsync(h.fd, datasync);
        } finally {
            x.handles.unpin(h);
        }
    }

    public void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner) throws IOException {
        x.handles.release(fh, nodeid);
    }

    public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        try {
            Sys.fallocate(h.fd, mode, offset, length);
        } finally {
            x.handles.unpin(h);
        }
    }

    public long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException {
        // the kernel sends SEEK_DATA/SEEK_HOLE (fs/fuse/file.c fuse_lseek); SET and END are answered too. The
        // handle's descriptor is this server's own, so its file position means nothing to the client: no SEEK_CUR
        if (whence != Sys.SEEK_DATA && whence != Sys.SEEK_HOLE && whence != Sys.SEEK_SET && whence != Sys.SEEK_END)
            throw new FuseException(Errno.EINVAL, "LSEEK whence " + whence);
        Handle h = x.handles.pin(fh, nodeid);
        try {
            return Sys.lseek(h.fd, offset, whence);
        } finally {
            x.handles.unpin(h);
        }
    }

    /** poll.h: POLLIN, POLLPRI... as the kernel's mangle_poll sends them. */
    private static final int POLL_READY = 0x001 | 0x004 | 0x040 | 0x080 | 0x100 | 0x200; // IN OUT RDNORM RDBAND WRNORM WRBAND

    /** FUSE_POLL: only regular files and directories are ever opened here, and they are always ready (as poll(2) on them). */
    public int poll(FuseContext c, long nodeid, long fh, int events) throws IOException {
        Handle h = x.handles.pin(fh, nodeid);
        x.handles.unpin(h);
        return events == 0 ? 0x001 | 0x004 | 0x040 | 0x100 : events & POLL_READY;
    }

    public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut,
                              long offOut, long len, long flags) throws IOException {
        if (flags != 0) throw new FuseException(Errno.EINVAL, "copy_file_range flags " + flags);
        Handle in = x.handles.pin(fhIn, nodeidIn);
        try {
            Handle out = x.handles.pin(fhOut, nodeidOut);
            try {
                return Sys.copyFileRange(in.fd, offIn, out.fd, offOut, len, 0);
            } finally {
                x.handles.unpin(out);
            }
        } finally {
            x.handles.unpin(in);
        }
    }

    public void syncfs(FuseContext c, long nodeid) throws IOException {
        int fd = x.on(InodeTable.ROOT_ID, r -> x.reopen(r, Sys.O_RDONLY | Sys.O_DIRECTORY));
        try {
            Sys.syncfs(fd);
        } finally {
            Sys.closeQuietly(fd);
        }
    }
}
