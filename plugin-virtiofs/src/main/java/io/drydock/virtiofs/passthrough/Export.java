package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.Attr;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the parts of {@link PassthroughFileSystem} share: the options, the inode and handle tables, the
 * {@code /proc/self/fd} descriptor, and the confined primitives every operation is built from — pinning an
 * inode for the length of an operation, opening one component beneath a directory without following symlinks,
 * re-opening an inode for I/O (regular files and directories only), and turning a statx into FUSE attributes.
 * See {@link PassthroughFileSystem} for the confinement, lifetime and credential rules. Thread-safe.
 */
final class Export {
    /** The flags a client may pass through to the host open(2). */
    static final int OPEN_FLAGS_ALLOWED = Sys.O_ACCMODE | Sys.O_APPEND | Sys.O_TRUNC | Sys.O_NONBLOCK
            | Sys.O_DSYNC | Sys.O_SYNC | Sys.O_NOATIME | Sys.O_LARGEFILE;
    /** sys/stat.h. */
    static final int S_ISUID = 04000, S_ISGID = 02000;
    /** fuse.h: FUSE_WRITE_KILL_SUIDGID in fuse_write_in.write_flags. */
    static final int WRITE_KILL_SUIDGID = 1 << 2;
    private static final long RESOLVE = Sys.RESOLVE_BENEATH | Sys.RESOLVE_NO_SYMLINKS | Sys.RESOLVE_NO_MAGICLINKS;

    final PassthroughOptions options;
    final InodeTable inodes;
    final HandleTable handles;
    /** O_PATH descriptor of /proc/self/fd, for re-opening inode descriptors by number. */
    final int procFd;
    final int processUmask;
    private volatile boolean openat2Works = true;

    Export(int rootFd, Statx rootStat, int procFd, PassthroughOptions options) {
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

    // ---- pinning: an inode's descriptor stays open while the operation runs

    interface InodeOp<T> { T apply(Inode i) throws IOException; }

    <T> T on(long nodeid, InodeOp<T> op) throws IOException {
        Inode i = inodes.pin(nodeid);
        try {
            return op.apply(i);
        } finally {
            inodes.unpin(i);
        }
    }

    <T> T onDir(long nodeid, InodeOp<T> op) throws IOException {
        return on(nodeid, i -> {
            if (!i.isDir()) throw new FuseException(Errno.ENOTDIR, i + " is not a directory");
            return op.apply(i);
        });
    }

    // ---- attributes and entries

    Attr attr(Statx st) {
        return new Attr(st.ino(), st.size(), st.blocks(), st.atime(), st.mtime(), st.ctime(), st.atimeNsec(),
                st.mtimeNsec(), st.ctimeNsec(), st.mode(), st.nlink(), st.uid(), st.gid(), st.rdevEncoded(),
                st.blksize(), 0);
    }

    EntryOut entry(Inode i, Statx st) {
        long secs = options.cache().timeout().getSeconds();
        return new EntryOut(i.nodeid, 0, secs, 0, secs, 0, attr(st));
    }

    AttrOut attrOut(Statx st) {
        return new AttrOut(options.cache().timeout().getSeconds(), 0, attr(st));
    }

    static byte[] procName(int fd) { return Integer.toString(fd).getBytes(StandardCharsets.US_ASCII); }

    /** Opens one component below {@code parent} (pinned) without following any symlink. */
    int openBeneath(Inode parent, FuseName name, int flags, int mode) throws ErrnoException {
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

    EntryOut lookupIn(Inode parent, FuseName name) throws IOException {
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

    /** Whether the caller (this thread's fsuid/fsgid: AT_EACCESS) may write inode {@code i}. */
    boolean mayWrite(Inode i) {
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
    void killSuidgid(int fd) throws IOException {
        Statx st = Sys.statx(fd);
        int kill = S_ISUID | ((st.mode() & 010) != 0 ? S_ISGID : 0);
        if ((st.mode() & kill) == 0) return;
        try (Credentials.Scope server = Credentials.asServer()) {
            Sys.fchmodat(procFd, procName(fd), st.mode() & 07777 & ~kill, 0);
        }
    }

    /**
     * Opens inode {@code i} (pinned) for I/O through its O_PATH descriptor, only when it is a regular file or
     * a directory: never a device node, FIFO, socket or symlink (CVE-2020-35517, RV is_safe_inode).
     */
    int reopen(Inode i, int flags) throws FuseException, ErrnoException {
        if (!i.isRegular() && !i.isDir())
            throw new FuseException(Errno.EACCES, "refusing to open " + i + " of type 0" + Integer.toOctalString(i.type));
        return Sys.openat(procFd, procName(i.fd()), (flags & ~Sys.O_NOFOLLOW) | Sys.O_CLOEXEC, 0);
    }

    int openFlags() {
        return switch (options.cache()) {
            case NEVER -> FuseFileIo.FOPEN_DIRECT_IO;
            case AUTO -> 0;
            case ALWAYS -> FuseFileIo.FOPEN_KEEP_CACHE;
        };
    }
}
