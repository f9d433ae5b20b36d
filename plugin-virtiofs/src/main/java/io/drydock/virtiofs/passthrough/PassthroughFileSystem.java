package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.StatFs;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.abi.FuseMisc.StatfsOut;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.filesystem.DirPlusSink;
import io.drydock.virtiofs.fuse.filesystem.DirSink;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.FuseName;
import io.drydock.virtiofs.passthrough.HandleTable.Handle;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A confined passthrough of one host directory.
 *
 * <p>Confinement (virtio spec "security considerations"; CVE-2020-35517; 9p CVE-2016-9602): every
 * inode holds an O_PATH|O_NOFOLLOW descriptor; names are single components (checked by
 * {@link FuseName}) resolved relative to the parent's descriptor with
 * {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)}, so no symlink is ever
 * followed and ".." cannot climb out; an inode is opened for I/O by re-opening its own descriptor
 * through {@code /proc/self/fd/N} and only when it is a regular file or directory, never a device node,
 * FIFO, socket or symlink. Paths are never resolved with {@code java.nio.file}.
 *
 * <p>Lifetimes: every request pins the inodes and handles it uses ({@link InodeTable#pin},
 * {@link HandleTable#pin}); FORGET, RELEASE, DESTROY and INIT only drop references, so no descriptor is closed
 * (and its number recycled onto another file) while a request uses it.
 *
 * <p>Credentials: when the server runs as root, each request runs with the caller's fsuid/fsgid
 * ({@link Credentials}, via {@link #enter}), so the host kernel checks permissions, owns new files to the
 * caller and kills set-ID bits as it would for that user; created entries get the mode the client asked
 * for (the process umask may have stripped bits) by a chmod made with the caller's rights on the entry's own
 * descriptor, never a chown of whatever the name points to afterwards. Thread-safe.
 *
 * <p>This class holds the attribute and namespace operations; open files are {@link PassthroughFiles},
 * directories {@link PassthroughDirs}, xattrs {@link PassthroughXattrs}, and what they share (tables, pinning,
 * the confined open primitives) {@link Export}.
 */
public final class PassthroughFileSystem implements FuseFileSystem, AutoCloseable {
    /** fuse.h: FUSE_WRITE_KILL_SUIDGID in fuse_write_in.write_flags. */
    static final int WRITE_KILL_SUIDGID = Export.WRITE_KILL_SUIDGID;

    private final Export x;
    private final PassthroughOptions options;
    private final InodeTable inodes;
    private final HandleTable handles;
    private final PassthroughFiles files;
    private final PassthroughDirs dirs;

    private PassthroughFileSystem(int rootFd, Statx rootStat, int procFd, PassthroughOptions options) {
        this.x = new Export(rootFd, rootStat, procFd, options);
        this.options = options;
        this.inodes = x.inodes;
        this.handles = x.handles;
        this.files = new PassthroughFiles(x);
        this.dirs = new PassthroughDirs(x, files);
    }

    /** Opens {@code directory} (a host path chosen by the operator, not the guest) and exports it. */
    public static PassthroughFileSystem open(String directory, PassthroughOptions options) throws IOException {
        int rootFd = Sys.openat(Sys.AT_FDCWD, directory.getBytes(StandardCharsets.UTF_8),
                Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        try {
            int procFd = Sys.openat(Sys.AT_FDCWD, "/proc/self/fd".getBytes(StandardCharsets.US_ASCII),
                    Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
            return new PassthroughFileSystem(rootFd, Sys.statx(rootFd), procFd, options);
        } catch (IOException e) {
            Sys.closeQuietly(rootFd);
            throw e;
        }
    }

    public PassthroughOptions options() { return options; }

    /** READDIRPLUS and its auto mode, unless the options offer it ({@link PassthroughOptions#offersReaddirplus}). */
    @Override
    public long refusedInitFlags() {
        return options.offersReaddirplus() ? 0 : FuseInit.DO_READDIRPLUS | FuseInit.READDIRPLUS_AUTO;
    }

    /** Inodes known (root included), for tests and stats. */
    public int inodeCount() { return inodes.size(); }

    public long lookupCount(long nodeid) { return inodes.lookupCount(nodeid); }

    public int openDescriptors() { return handles.openDescriptors(); }

    public long evictions() { return handles.evictions(); }

    /** Inode (O_PATH) descriptors open now, dropped under pressure and re-opened by file handle since start. */
    public int inodeDescriptors() { return inodes.openDescriptors(); }

    public long inodeDescriptorsDropped() { return inodes.droppedDescriptors(); }

    public long inodeDescriptorsReopened() { return inodes.reopenedDescriptors(); }

    /** Whether inode descriptors can be dropped and re-opened by file handle here (root, a file system with handles). */
    public boolean fileHandles() { return inodes.handlesWork(); }

    /** File handles open now. */
    public int openHandles() { return handles.size(); }

    /** Whether every descriptor is closed (after {@link #close} and the last running request). */
    public boolean closedCompletely() { return inodes.finished(); }

    /**
     * Closes the file system. Requests still running (a worker stuck in the host kernel) keep what they pinned;
     * the last one to finish closes it. New requests get ESTALE/EBADF.
     */
    @Override public void close() {
        handles.clear();
        inodes.close();
    }

    /** Each request runs with the caller's fsuid/fsgid when the server is root (see {@link Credentials}). */
    @Override public Scope enter(FuseContext c) {
        Credentials.Scope s = Credentials.switchTo(c.uid(), c.gid());
        return s == Credentials.Scope.NONE ? Scope.NONE : s::close;
    }

    @Override
    public EntryOut lookup(FuseContext c, long parent, FuseName name) throws IOException {
        return x.onDir(parent, p -> x.lookupIn(p, name));
    }

    @Override public void forget(long nodeid, long nlookup) { inodes.forget(nodeid, nlookup); }

    @Override
    public AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException {
        return x.on(nodeid, i -> x.attrOut(Sys.statx(i.fd())));
    }

    @Override
    public AttrOut setattr(FuseContext c, long nodeid, SetattrIn in) throws IOException {
        return x.on(nodeid, i -> {
            if (in.has(FuseAttrs.FATTR_MODE)) {
                if (i.isSymlink()) throw new FuseException(Errno.EOPNOTSUPP, "chmod of a symlink");
                Statx now = Sys.statx(i.fd());
                int from = now.mode() & 07777, to = in.mode() & 07777;
                if (to != from && (to | Export.S_ISUID | Export.S_ISGID) == (from | Export.S_ISUID | Export.S_ISGID) && (to & ~from) == 0 && i.isRegular()
                        && x.mayWrite(i)) {
                    // only set-ID bits go: the client killing them after a write or truncate by someone who is
                    // not the owner but may write (file_remove_privs); the kernel does that without an ownership
                    // check, so do we
                    try (Credentials.Scope server = Credentials.asServer()) {
                        Sys.fchmodat(x.procFd, Export.procName(i.fd()), to, 0);
                    }
                } else {
                    Sys.fchmodat(x.procFd, Export.procName(i.fd()), to, 0);
                }
            }
            if (in.has(FuseAttrs.FATTR_UID) || in.has(FuseAttrs.FATTR_GID)) {
                Sys.fchownat(i.fd(), new byte[0], in.has(FuseAttrs.FATTR_UID) ? in.uid() : -1,
                        in.has(FuseAttrs.FATTR_GID) ? in.gid() : -1, Sys.AT_EMPTY_PATH | Sys.AT_SYMLINK_NOFOLLOW);
            }
            if (in.has(FuseAttrs.FATTR_SIZE)) truncate(i, in);
            if (in.has(FuseAttrs.FATTR_ATIME) || in.has(FuseAttrs.FATTR_MTIME)) {
                long aNs = in.has(FuseAttrs.FATTR_ATIME_NOW) ? Sys.UTIME_NOW : in.has(FuseAttrs.FATTR_ATIME) ? in.atimeNsec() : Sys.UTIME_OMIT;
                long mNs = in.has(FuseAttrs.FATTR_MTIME_NOW) ? Sys.UTIME_NOW : in.has(FuseAttrs.FATTR_MTIME) ? in.mtimeNsec() : Sys.UTIME_OMIT;
                if (i.isSymlink()) // a symlink's own times: AT_EMPTY_PATH on its O_PATH descriptor
                    Sys.utimensat(i.fd(), new byte[0], in.atime(), aNs, in.mtime(), mNs, Sys.AT_EMPTY_PATH | Sys.AT_SYMLINK_NOFOLLOW);
                else
                    Sys.utimensat(x.procFd, Export.procName(i.fd()), in.atime(), aNs, in.mtime(), mNs, 0);
            }
            // fuse.h FATTR_KILL_SUIDGID (HANDLE_KILLPRIV_V2): a truncate or chown by a writer without CAP_FSETID
            if (in.has(FuseAttrs.FATTR_KILL_SUIDGID) && !in.has(FuseAttrs.FATTR_MODE) && i.isRegular()) x.killSuidgid(i.fd());
            return x.attrOut(Sys.statx(i.fd()));
        });
    }

    private void truncate(Inode i, SetattrIn in) throws IOException {
        if (in.has(FuseAttrs.FATTR_FH)) {
            Handle h = handles.pin(in.fh(), i.nodeid);
            try {
                Sys.ftruncate(h.fd, in.size());
            } finally {
                handles.unpin(h);
            }
            return;
        }
        if (!i.isRegular()) throw new FuseException(i.isDir() ? Errno.EISDIR : Errno.EINVAL, "truncate of " + i);
        int fd = x.reopen(i, Sys.O_WRONLY);
        try {
            Sys.ftruncate(fd, in.size());
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    @Override
    public byte[] readlink(FuseContext c, long nodeid) throws IOException {
        return x.on(nodeid, i -> {
            if (!i.isSymlink()) throw new FuseException(Errno.EINVAL, i + " is not a symlink");
            return Sys.readlink(i.fd()); // the target verbatim; this server never follows it
        });
    }

    // ---- namespace

    /**
     * After MKNOD/MKDIR/SYMLINK: the entry now under {@code name}, opened O_PATH (never followed), and the
     * mode asked for on that descriptor when the process umask stripped bits — only if it is of the type
     * just created; the chmod runs with the caller's rights, so an entry swapped in by a rename race is
     * never changed beyond what the caller may change anyway (issue #11 finding 4).
     */
    private EntryOut created(Inode parent, FuseName name, int type, int mode) throws IOException {
        int fd = x.openBeneath(parent, name, Sys.O_PATH, 0);
        try {
            Statx st = Sys.statx(fd);
            if (st.type() == type && type != Sys.S_IFLNK && (mode & 07777 & x.processUmask) != 0
                    && (st.mode() & 07777) != (mode & 07777)) {
                try {
                    Sys.fchmodat(x.procFd, Export.procName(fd), mode & 07777, 0);
                    st = Sys.statx(fd);
                } catch (ErrnoException notOurs) {
                    // EPERM: swapped for someone else's entry; the kernel refused the caller, as it should
                }
            }
            int owned = fd;
            fd = -1; // reference() owns it now, and closes it itself if it fails
            return x.entry(inodes.reference(owned, st), st);
        } finally {
            if (fd >= 0) Sys.closeQuietly(fd);
        }
    }

    /** glibc makedev() from the kernel's new_encode_dev() form that fuse_mknod_in.rdev carries. */
    static long makedev(int rdev) {
        long major = (rdev >>> 8) & 0xfff, minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
        return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xffL) << 12);
    }

    @Override
    public EntryOut mknod(FuseContext c, long parent, FuseName name, int mode, int rdev, int umask) throws IOException {
        int type = (mode & Sys.S_IFMT) == 0 ? Sys.S_IFREG : mode & Sys.S_IFMT;
        long dev = 0;
        switch (type) {
            case Sys.S_IFREG, Sys.S_IFIFO, Sys.S_IFSOCK -> { }
            case Sys.S_IFCHR, Sys.S_IFBLK -> {
                // device nodes reach host devices if ever opened (CVE-2020-35517): never opened here, and only
                // created when the operator asked for them; the mount is nodev
                if (!options.allowDeviceNodes()) throw new FuseException(Errno.EPERM, "device nodes are off (--allow-device-nodes)");
                dev = makedev(rdev);
            }
            default -> throw new FuseException(Errno.EINVAL, "mknod of type 0" + Integer.toOctalString(type));
        }
        long d = dev;
        return x.onDir(parent, p -> {
            Sys.mknodat(p.fd(), name.raw(), type | (mode & 07777), d);
            return created(p, name, type, mode);
        });
    }

    @Override
    public EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException {
        return x.onDir(parent, p -> {
            Sys.mkdirat(p.fd(), name.raw(), mode & 07777);
            return created(p, name, Sys.S_IFDIR, mode);
        });
    }

    @Override
    public EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException {
        return x.onDir(parent, p -> {
            Sys.symlinkat(target, p.fd(), name.raw());
            return created(p, name, Sys.S_IFLNK, 0);
        });
    }

    @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException {
        x.onDir(parent, p -> { Sys.unlinkat(p.fd(), name.raw(), 0); return null; });
    }

    @Override public void rmdir(FuseContext c, long parent, FuseName name) throws IOException {
        x.onDir(parent, p -> { Sys.unlinkat(p.fd(), name.raw(), Sys.AT_REMOVEDIR); return null; });
    }

    @Override
    public void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags)
            throws IOException {
        if ((flags & Sys.RENAME_WHITEOUT) != 0) throw new FuseException(Errno.EINVAL, "RENAME_WHITEOUT");
        x.onDir(parent, p -> x.onDir(newParent, q -> {
            Sys.renameat2(p.fd(), name.raw(), q.fd(), newName.raw(), flags);
            return null;
        }));
    }

    @Override
    public EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException {
        return x.on(nodeid, i -> {
            if (i.isDir()) throw new FuseException(Errno.EPERM, "hard link to a directory");
            return x.onDir(newParent, p -> {
                // the magic link names the inode itself (a symlink included), not a path
                Sys.linkat(x.procFd, Export.procName(i.fd()), p.fd(), newName.raw(), Sys.AT_SYMLINK_FOLLOW);
                return x.lookupIn(p, newName);
            });
        });
    }

    // ---- open files

    @Override
    public StatfsOut statfs(FuseContext c, long nodeid) throws IOException {
        StatFs s = x.on(nodeid, i -> Sys.fstatfs(i.fd()));
        return new StatfsOut(s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), (int) s.bsize(), (int) s.namelen(),
                (int) s.frsize());
    }

    /**
     * ACCESS from the mode bits, for the caller's uid/gid (supplementary groups and ACLs are not seen;
     * mounts use default_permissions, so the client checks those itself). Root passes R and W, and X when
     * any execute bit is set or the inode is a directory.
     */
    @Override
    public void access(FuseContext c, long nodeid, int mask) throws IOException {
        Statx st = x.on(nodeid, i -> Sys.statx(i.fd()));
        int want = mask & 7;
        if (want == 0) return; // F_OK
        if (c.uid() == 0) {
            if ((want & 1) != 0 && !st.isDirectory() && (st.mode() & 0111) == 0)
                throw new FuseException(Errno.EACCES, "no execute bit");
            return;
        }
        int bits = c.uid() == st.uid() ? (st.mode() >> 6) & 7 : c.gid() == st.gid() ? (st.mode() >> 3) & 7 : st.mode() & 7;
        if ((want & ~bits) != 0) throw new FuseException(Errno.EACCES, "mode 0" + Integer.toOctalString(st.mode() & 07777));
    }

    // ---- open files (PassthroughFiles)

    @Override public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException { return files.open(c, nodeid, flags); }

    @Override public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException {
        return files.create(c, parent, name, flags, mode, umask);
    }

    @Override public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException {
        return files.openForMapping(c, nodeid, fh, writable);
    }

    @Override public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) throws IOException {
        return files.read(c, nodeid, fh, offset, size, dst);
    }

    @Override public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags)
            throws IOException {
        return files.write(c, nodeid, fh, offset, data, writeFlags, flags);
    }

    @Override public void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException { files.flush(c, nodeid, fh, lockOwner); }

    @Override public void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { files.fsync(c, nodeid, fh, datasync); }

    @Override public void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner) throws IOException {
        files.release(c, nodeid, fh, flags, releaseFlags, lockOwner);
    }

    @Override public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException {
        files.fallocate(c, nodeid, fh, offset, length, mode);
    }

    @Override public long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException {
        return files.lseek(c, nodeid, fh, offset, whence);
    }

    @Override public int poll(FuseContext c, long nodeid, long fh, int events) throws IOException { return files.poll(c, nodeid, fh, events); }

    @Override public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut,
                                        long offOut, long len, long flags) throws IOException {
        return files.copyFileRange(c, nodeidIn, fhIn, offIn, nodeidOut, fhOut, offOut, len, flags);
    }

    @Override public void syncfs(FuseContext c, long nodeid) throws IOException { files.syncfs(c, nodeid); }

    // ---- directories (PassthroughDirs)

    @Override public OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException { return dirs.opendir(c, nodeid, flags); }

    @Override public void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException {
        dirs.readdir(c, nodeid, fh, offset, sink);
    }

    @Override public void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException {
        dirs.readdirplus(c, nodeid, fh, offset, sink);
    }

    @Override public void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException { dirs.releasedir(c, nodeid, fh, flags); }

    @Override public void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        dirs.fsyncdir(c, nodeid, fh, datasync);
    }

    // ---- extended attributes (PassthroughXattrs)

    private <T> T xattr(long nodeid, String op, Export.InodeOp<T> action) throws IOException {
        if (!options.xattr()) throw new FuseException(Errno.ENOSYS, op + ": xattrs are off");
        return x.on(nodeid, action);
    }

    @Override public byte[] getxattr(FuseContext c, long nodeid, byte[] name) throws IOException {
        return xattr(nodeid, "getxattr", i -> PassthroughXattrs.get(i, name, options.securityXattrs()));
    }

    @Override public byte[] listxattr(FuseContext c, long nodeid) throws IOException {
        return xattr(nodeid, "listxattr", i -> PassthroughXattrs.list(i, options.securityXattrs()));
    }

    @Override public void setxattr(FuseContext c, long nodeid, byte[] name, MemorySegment value, int flags) throws IOException {
        xattr(nodeid, "setxattr", i -> { PassthroughXattrs.set(i, name, value, flags, options.securityXattrs()); return null; });
    }

    @Override public void removexattr(FuseContext c, long nodeid, byte[] name) throws IOException {
        xattr(nodeid, "removexattr", i -> { PassthroughXattrs.remove(i, name, options.securityXattrs()); return null; });
    }

    @Override
    public void destroy() {
        handles.clear();
        inodes.clear();
    }
}