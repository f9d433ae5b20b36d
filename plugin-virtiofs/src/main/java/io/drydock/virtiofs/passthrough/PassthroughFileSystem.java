package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.StatFs;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.Attr;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.abi.FuseMisc.StatfsOut;
import io.drydock.virtiofs.fuse.filesystem.DirPlusSink;
import io.drydock.virtiofs.fuse.filesystem.DirSink;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.FuseName;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.passthrough.HandleTable.Handle;

import java.io.IOException;
import java.lang.foreign.Arena;
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
 */
public final class PassthroughFileSystem implements FuseFileSystem, AutoCloseable {
    /** The flags a client may pass through to the host open(2). */
    private static final int OPEN_FLAGS_ALLOWED = Sys.O_ACCMODE | Sys.O_APPEND | Sys.O_TRUNC | Sys.O_NONBLOCK
            | Sys.O_DSYNC | Sys.O_SYNC | Sys.O_NOATIME | Sys.O_LARGEFILE;
    /** sys/stat.h. */
    private static final int S_ISUID = 04000, S_ISGID = 02000;
    /** fuse.h: FUSE_WRITE_KILL_SUIDGID in fuse_write_in.write_flags. */
    static final int WRITE_KILL_SUIDGID = 1 << 2;
    private static final long RESOLVE = Sys.RESOLVE_BENEATH | Sys.RESOLVE_NO_SYMLINKS | Sys.RESOLVE_NO_MAGICLINKS;

    private final PassthroughOptions options;
    private final InodeTable inodes;
    private final HandleTable handles;
    /** O_PATH descriptor of /proc/self/fd, for re-opening inode descriptors by number. */
    private final int procFd;
    private final int processUmask;
    private volatile boolean openat2Works = true;

    private PassthroughFileSystem(int rootFd, Statx rootStat, int procFd, PassthroughOptions options) {
        this.options = options;
        this.procFd = procFd;
        int mountFd;
        try { // open_by_handle_at's mount_fd: a plain descriptor of the root (O_PATH ones are refused)
            mountFd = Sys.openat(procFd, procName(rootFd), Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            mountFd = -1; // then inode descriptors are never dropped
        }
        this.inodes = new InodeTable(rootFd, rootStat, options.maxInodes(), options.maxInodeFds(), mountFd, procFd, mountFd);
        this.handles = new HandleTable(options.maxOpenFds(), options.maxHandles(), inodes, (i, flags) -> {
            try (Credentials.Scope server = Credentials.asServer()) { // re-opening what was opened before
                return reopen(i, flags);
            }
        });
        int old = Sys.umask(022);
        Sys.umask(old);
        this.processUmask = old;
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

    // ---- pinning: an inode's descriptor stays open while the operation runs

    private interface InodeOp<T> { T apply(Inode i) throws IOException; }

    private <T> T on(long nodeid, InodeOp<T> op) throws IOException {
        Inode i = inodes.pin(nodeid);
        try {
            return op.apply(i);
        } finally {
            inodes.unpin(i);
        }
    }

    private <T> T onDir(long nodeid, InodeOp<T> op) throws IOException {
        return on(nodeid, i -> {
            if (!i.isDir()) throw new FuseException(Errno.ENOTDIR, i + " is not a directory");
            return op.apply(i);
        });
    }

    // ---- attributes and entries

    private Attr attr(Statx st) {
        return new Attr(st.ino(), st.size(), st.blocks(), st.atime(), st.mtime(), st.ctime(), st.atimeNsec(),
                st.mtimeNsec(), st.ctimeNsec(), st.mode(), st.nlink(), st.uid(), st.gid(), st.rdevEncoded(),
                st.blksize(), 0);
    }

    private EntryOut entry(Inode i, Statx st) {
        long secs = options.cache().timeout().getSeconds();
        return new EntryOut(i.nodeid, 0, secs, 0, secs, 0, attr(st));
    }

    private AttrOut attrOut(Statx st) {
        return new AttrOut(options.cache().timeout().getSeconds(), 0, attr(st));
    }

    private static byte[] procName(int fd) { return Integer.toString(fd).getBytes(StandardCharsets.US_ASCII); }

    /** Opens one component below {@code parent} (pinned) without following any symlink. */
    private int openBeneath(Inode parent, FuseName name, int flags, int mode) throws ErrnoException {
        if (openat2Works) {
            try {
                return Sys.openat2(parent.fd(), name.raw(), flags | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, mode, RESOLVE);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOSYS) throw e;
                openat2Works = false; // kernel < 5.6: a single validated component with O_NOFOLLOW is as safe
            }
        }
        return Sys.openat(parent.fd(), name.raw(), flags | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, mode);
    }

    @Override
    public EntryOut lookup(FuseContext c, long parent, FuseName name) throws IOException {
        return onDir(parent, p -> lookupIn(p, name));
    }

    private EntryOut lookupIn(Inode parent, FuseName name) throws IOException {
        int fd = openBeneath(parent, name, Sys.O_PATH, 0);
        Statx st;
        try {
            st = Sys.statx(fd);
        } catch (ErrnoException e) {
            Sys.closeQuietly(fd);
            throw e;
        }
        return entry(inodes.reference(fd, st), st);
    }

    @Override public void forget(long nodeid, long nlookup) { inodes.forget(nodeid, nlookup); }

    @Override
    public AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException {
        return on(nodeid, i -> attrOut(Sys.statx(i.fd())));
    }

    @Override
    public AttrOut setattr(FuseContext c, long nodeid, SetattrIn in) throws IOException {
        return on(nodeid, i -> {
            if (in.has(FuseAttrs.FATTR_MODE)) {
                if (i.isSymlink()) throw new FuseException(Errno.EOPNOTSUPP, "chmod of a symlink");
                Statx now = Sys.statx(i.fd());
                int from = now.mode() & 07777, to = in.mode() & 07777;
                if (to != from && (to | S_ISUID | S_ISGID) == (from | S_ISUID | S_ISGID) && (to & ~from) == 0 && i.isRegular()
                        && mayWrite(i)) {
                    // only set-ID bits go: the client killing them after a write or truncate by someone who is
                    // not the owner but may write (file_remove_privs); the kernel does that without an ownership
                    // check, so do we
                    try (Credentials.Scope server = Credentials.asServer()) {
                        Sys.fchmodat(procFd, procName(i.fd()), to, 0);
                    }
                } else {
                    Sys.fchmodat(procFd, procName(i.fd()), to, 0);
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
                    Sys.utimensat(procFd, procName(i.fd()), in.atime(), aNs, in.mtime(), mNs, 0);
            }
            // fuse.h FATTR_KILL_SUIDGID (HANDLE_KILLPRIV_V2): a truncate or chown by a writer without CAP_FSETID
            if (in.has(FuseAttrs.FATTR_KILL_SUIDGID) && !in.has(FuseAttrs.FATTR_MODE) && i.isRegular()) killSuidgid(i.fd());
            return attrOut(Sys.statx(i.fd()));
        });
    }

    /** Whether the caller (this thread's fsuid/fsgid: AT_EACCESS) may write inode {@code i}. */
    private boolean mayWrite(Inode i) {
        try {
            Sys.faccessat(procFd, procName(i.fd()), 2 /* W_OK */, Sys.AT_EACCESS);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /**
     * Clears S_ISUID, and S_ISGID when group-executable (a mandatory-locking sgid stays, as
     * should_remove_suid), of the inode {@code fd} refers to: the client says the writer has no CAP_FSETID.
     * Done with the server's rights: removing privileges is never an escalation.
     */
    private void killSuidgid(int fd) throws IOException {
        Statx st = Sys.statx(fd);
        int kill = S_ISUID | ((st.mode() & 010) != 0 ? S_ISGID : 0);
        if ((st.mode() & kill) == 0) return;
        try (Credentials.Scope server = Credentials.asServer()) {
            Sys.fchmodat(procFd, procName(fd), st.mode() & 07777 & ~kill, 0);
        }
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
        int fd = reopen(i, Sys.O_WRONLY);
        try {
            Sys.ftruncate(fd, in.size());
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    @Override
    public byte[] readlink(FuseContext c, long nodeid) throws IOException {
        return on(nodeid, i -> {
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
        int fd = openBeneath(parent, name, Sys.O_PATH, 0);
        try {
            Statx st = Sys.statx(fd);
            if (st.type() == type && type != Sys.S_IFLNK && (mode & 07777 & processUmask) != 0
                    && (st.mode() & 07777) != (mode & 07777)) {
                try {
                    Sys.fchmodat(procFd, procName(fd), mode & 07777, 0);
                    st = Sys.statx(fd);
                } catch (ErrnoException notOurs) {
                    // EPERM: swapped for someone else's entry; the kernel refused the caller, as it should
                }
            }
            int owned = fd;
            fd = -1; // reference() owns it now, and closes it itself if it fails
            return entry(inodes.reference(owned, st), st);
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
        return onDir(parent, p -> {
            Sys.mknodat(p.fd(), name.raw(), type | (mode & 07777), d);
            return created(p, name, type, mode);
        });
    }

    @Override
    public EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException {
        return onDir(parent, p -> {
            Sys.mkdirat(p.fd(), name.raw(), mode & 07777);
            return created(p, name, Sys.S_IFDIR, mode);
        });
    }

    @Override
    public EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException {
        return onDir(parent, p -> {
            Sys.symlinkat(target, p.fd(), name.raw());
            return created(p, name, Sys.S_IFLNK, 0);
        });
    }

    @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException {
        onDir(parent, p -> { Sys.unlinkat(p.fd(), name.raw(), 0); return null; });
    }

    @Override public void rmdir(FuseContext c, long parent, FuseName name) throws IOException {
        onDir(parent, p -> { Sys.unlinkat(p.fd(), name.raw(), Sys.AT_REMOVEDIR); return null; });
    }

    @Override
    public void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags)
            throws IOException {
        if ((flags & Sys.RENAME_WHITEOUT) != 0) throw new FuseException(Errno.EINVAL, "RENAME_WHITEOUT");
        onDir(parent, p -> onDir(newParent, q -> {
            Sys.renameat2(p.fd(), name.raw(), q.fd(), newName.raw(), flags);
            return null;
        }));
    }

    @Override
    public EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException {
        return on(nodeid, i -> {
            if (i.isDir()) throw new FuseException(Errno.EPERM, "hard link to a directory");
            return onDir(newParent, p -> {
                // the magic link names the inode itself (a symlink included), not a path
                Sys.linkat(procFd, procName(i.fd()), p.fd(), newName.raw(), Sys.AT_SYMLINK_FOLLOW);
                return lookupIn(p, newName);
            });
        });
    }

    // ---- open files

    /**
     * Opens inode {@code i} (pinned) for I/O through its O_PATH descriptor, only when it is a regular file or
     * a directory: never a device node, FIFO, socket or symlink (CVE-2020-35517, RV is_safe_inode).
     */
    private int reopen(Inode i, int flags) throws FuseException, ErrnoException {
        if (!i.isRegular() && !i.isDir())
            throw new FuseException(Errno.EACCES, "refusing to open " + i + " of type 0" + Integer.toOctalString(i.type));
        return Sys.openat(procFd, procName(i.fd()), (flags & ~Sys.O_NOFOLLOW) | Sys.O_CLOEXEC, 0);
    }

    private int openFlags() {
        return switch (options.cache()) {
            case NEVER -> FuseFileIo.FOPEN_DIRECT_IO;
            case AUTO -> 0;
            case ALWAYS -> FuseFileIo.FOPEN_KEEP_CACHE;
        };
    }

    @Override
    public OpenOut open(FuseContext c, long nodeid, int flags) throws IOException {
        return on(nodeid, i -> {
            if (i.isDir()) throw new FuseException(Errno.EISDIR, "OPEN of " + i);
            int f = flags & OPEN_FLAGS_ALLOWED;
            handles.reserve();
            int fd;
            try {
                fd = reopen(i, f);
            } catch (IOException | RuntimeException e) {
                handles.unreserve();
                throw e;
            }
            return new OpenOut(handles.register(i, fd, f, false).fh, openFlags());
        });
    }

    /**
     * CREATE: {@code O_CREAT|O_EXCL} makes the file, owned by the caller (credentials) and opened in the same
     * call. When the name exists and the client did not ask for O_EXCL, the entry is first opened O_PATH and
     * its type checked, and only a regular file is then opened for I/O: a FIFO or device planted under the
     * name is never opened (issue #11 finding 5, CVE-2020-35517).
     */
    @Override
    public Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException {
        return onDir(parent, p -> {
            int f = flags & OPEN_FLAGS_ALLOWED;
            handles.reserve();
            int fd = -1, pathFd = -1;
            try {
                boolean made = true;
                try {
                    fd = openBeneath(p, name, f | Sys.O_CREAT | Sys.O_EXCL, mode & 07777);
                    pathFd = Sys.openat(procFd, procName(fd), Sys.O_PATH | Sys.O_CLOEXEC, 0); // the very inode just made
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EEXIST || (flags & Sys.O_EXCL) != 0) throw e;
                    made = false; // it appeared since the client's LOOKUP: open the existing file, leave it as it is
                    pathFd = openBeneath(p, name, Sys.O_PATH, 0);
                }
                Statx st = Sys.statx(pathFd);
                if (st.type() != Sys.S_IFREG)
                    throw new FuseException(st.type() == Sys.S_IFDIR ? Errno.EISDIR : st.type() == Sys.S_IFLNK ? Errno.ELOOP : Errno.EACCES,
                            "CREATE of an existing " + Integer.toOctalString(st.type()) + ": not opened");
                if (!made) fd = Sys.openat(procFd, procName(pathFd), f | Sys.O_CLOEXEC, 0);
                else if ((mode & 07777 & processUmask) != 0) Sys.fchmodat(procFd, procName(pathFd), mode & 07777, 0);
                Statx now = made ? Sys.statx(pathFd) : st;
                int owned = pathFd;
                pathFd = -1; // reference() owns it now, and closes it itself if it fails
                Inode i = inodes.reference(owned, now);
                Handle h = handles.register(i, fd, f, false);
                fd = -1;
                return new Created(entry(i, now), new OpenOut(h.fh, openFlags()));
            } catch (IOException | RuntimeException e) {
                handles.unreserve();
                throw e;
            } finally {
                if (fd >= 0) Sys.closeQuietly(fd);
                if (pathFd >= 0) Sys.closeQuietly(pathFd);
            }
        });
    }

    /** DAX (fuse.h FUSE_SETUPMAPPING): a fresh descriptor of a regular file, never more access than its handle has. */
    @Override
    public int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException {
        if (writable && options.readonly()) throw new FuseException(Errno.EROFS, "writable DAX mapping on a read-only export");
        return on(nodeid, i -> {
            if (!i.isRegular()) throw new FuseException(Errno.EINVAL, "DAX mapping of " + i + ", not a regular file");
            if (fh != -1) { // fuse.h: fh -1 = map by nodeid (Linux); else the handle's access mode bounds the mapping
                int mode = handles.flags(fh, nodeid) & Sys.O_ACCMODE;
                if (mode == Sys.O_WRONLY || (writable && mode != Sys.O_RDWR))
                    throw new FuseException(Errno.EACCES, "file handle " + fh + " is not open for " + (writable ? "read-write" : "reading"));
            }
            return reopen(i, writable ? Sys.O_RDWR : Sys.O_RDONLY);
        });
    }

    @Override
    public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        try {
            long total = 0;
            while (total < size) {
                long n = Sys.preadv(h.fd, nativeRange(dst, total), offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        } finally {
            handles.unpin(h);
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

    @Override
    public int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags)
            throws IOException {
        Handle h = handles.pin(fh, nodeid);
        try (Arena arena = data.isNative() ? null : Arena.ofConfined()) {
            // fuse.h FUSE_WRITE_KILL_SUIDGID: the writer has no CAP_FSETID (the client leaves the kill to us)
            if ((writeFlags & WRITE_KILL_SUIDGID) != 0) killSuidgid(h.fd);
            MemorySegment src = data.isNative() ? data : arena.allocate(data.byteSize()).copyFrom(data);
            long total = 0;
            while (total < src.byteSize()) total += Sys.pwrite(h.fd, src.asSlice(total), offset + total);
            return (int) total;
        } finally {
            handles.unpin(h);
        }
    }

    @Override
    public void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        try {
            Sys.close(Sys.dup(h.fd)); // close(2) semantics (POSIX locks, NFS-style flush) without losing the handle
        } finally {
            handles.unpin(h);
        }
    }

    @Override
    public void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        try {
            Sys.fsync(h.fd, datasync);
        } finally {
            handles.unpin(h);
        }
    }

    @Override
    public void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner) throws IOException {
        handles.release(fh, nodeid);
    }

    @Override
    public void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        try {
            Sys.fallocate(h.fd, mode, offset, length);
        } finally {
            handles.unpin(h);
        }
    }

    @Override
    public long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException {
        // the kernel sends SEEK_DATA/SEEK_HOLE (fs/fuse/file.c fuse_lseek); SET and END are answered too. The
        // handle's descriptor is this server's own, so its file position means nothing to the client: no SEEK_CUR
        if (whence != Sys.SEEK_DATA && whence != Sys.SEEK_HOLE && whence != Sys.SEEK_SET && whence != Sys.SEEK_END)
            throw new FuseException(Errno.EINVAL, "LSEEK whence " + whence);
        Handle h = handles.pin(fh, nodeid);
        try {
            return Sys.lseek(h.fd, offset, whence);
        } finally {
            handles.unpin(h);
        }
    }

    /** poll.h: POLLIN, POLLPRI... as the kernel's mangle_poll sends them. */
    private static final int POLL_READY = 0x001 | 0x004 | 0x040 | 0x080 | 0x100 | 0x200; // IN OUT RDNORM RDBAND WRNORM WRBAND

    /** FUSE_POLL: only regular files and directories are ever opened here, and they are always ready (as poll(2) on them). */
    @Override
    public int poll(FuseContext c, long nodeid, long fh, int events) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        handles.unpin(h);
        return events == 0 ? 0x001 | 0x004 | 0x040 | 0x100 : events & POLL_READY;
    }

    @Override
    public long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut,
                              long offOut, long len, long flags) throws IOException {
        if (flags != 0) throw new FuseException(Errno.EINVAL, "copy_file_range flags " + flags);
        Handle in = handles.pin(fhIn, nodeidIn);
        try {
            Handle out = handles.pin(fhOut, nodeidOut);
            try {
                return Sys.copyFileRange(in.fd, offIn, out.fd, offOut, len, 0);
            } finally {
                handles.unpin(out);
            }
        } finally {
            handles.unpin(in);
        }
    }

    @Override
    public StatfsOut statfs(FuseContext c, long nodeid) throws IOException {
        StatFs s = on(nodeid, i -> Sys.fstatfs(i.fd()));
        return new StatfsOut(s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), (int) s.bsize(), (int) s.namelen(),
                (int) s.frsize());
    }

    @Override
    public void syncfs(FuseContext c, long nodeid) throws IOException {
        int fd = on(InodeTable.ROOT_ID, r -> reopen(r, Sys.O_RDONLY | Sys.O_DIRECTORY));
        try {
            Sys.syncfs(fd);
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    /**
     * ACCESS from the mode bits, for the caller's uid/gid (supplementary groups and ACLs are not seen;
     * mounts use default_permissions, so the client checks those itself). Root passes R and W, and X when
     * any execute bit is set or the inode is a directory.
     */
    @Override
    public void access(FuseContext c, long nodeid, int mask) throws IOException {
        Statx st = on(nodeid, i -> Sys.statx(i.fd()));
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

    // ---- directories

    @Override
    public OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException {
        return onDir(nodeid, i -> {
            handles.reserve();
            int fd;
            try {
                fd = reopen(i, Sys.O_RDONLY | Sys.O_DIRECTORY);
            } catch (IOException | RuntimeException e) {
                handles.unreserve();
                throw e;
            }
            int open = options.cache() == PassthroughOptions.CacheMode.ALWAYS ? FuseFileIo.FOPEN_CACHE_DIR | FuseFileIo.FOPEN_KEEP_CACHE : 0;
            return new OpenOut(handles.register(i, fd, Sys.O_RDONLY | Sys.O_DIRECTORY, true).fh, open);
        });
    }

    @Override
    public void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        h.dirLock.lock();
        try {
            DirReader.read(h.fd, offset, sink::add);
        } finally {
            h.dirLock.unlock();
            handles.unpin(h);
        }
    }

    @Override
    public void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException {
        Handle h = handles.pin(fh, nodeid);
        Inode dirInode;
        try {
            dirInode = inodes.pin(h.inode);
        } catch (FuseException e) {
            handles.unpin(h);
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
                    e = lookupIn(dirInode, FuseName.of(name));
                } catch (FuseException | ErrnoException gone) {
                    return true; // removed or unusable since getdents64: skip it, as ls would see it gone
                }
                if (!sink.add(e, next, type, name)) {
                    inodes.forget(e.nodeid(), 1);
                    return false;
                }
                return true;
            });
        } finally {
            h.dirLock.unlock();
            inodes.unpin(dirInode);
            handles.unpin(h);
        }
    }

    @Override public void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException {
        handles.release(fh, nodeid);
    }

    @Override
    public void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        fsync(c, nodeid, fh, datasync);
    }

    // ---- extended attributes (PassthroughXattrs)

    private <T> T xattr(long nodeid, String op, InodeOp<T> action) throws IOException {
        if (!options.xattr()) throw new FuseException(Errno.ENOSYS, op + ": xattrs are off");
        return on(nodeid, action);
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
