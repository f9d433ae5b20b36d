package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.SetattrIn;
import io.drydock.virtiofs.fuse.abi.FuseFileIo.OpenOut;
import io.drydock.virtiofs.fuse.abi.FuseMisc.ForgetOne;
import io.drydock.virtiofs.fuse.abi.FuseMisc.StatfsOut;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseSession;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One method per FUSE operation with typed, already validated arguments; every method defaults to
 * ENOSYS. Called by {@link FuseServer} on the thread that handles the request, concurrently from
 * several threads (one per request queue or /dev/fuse worker): implementations are thread-safe.
 * Methods throw {@link FuseException} (or {@link io.drydock.kernel.sys.ErrnoException}) for an errno
 * reply; any other exception becomes EIO and is logged once by the server.
 *
 * <p>Names are single validated components ({@link FuseName}); sizes were checked against the
 * negotiated limits by the server.
 */
public interface FuseFileSystem {
    /** A CREATE reply: the new entry and its open file. */
    record Created(EntryOut entry, OpenOut open) {}

    private static FuseException enosys(String op) { return new FuseException(Errno.ENOSYS, op); }

    /**
     * INIT flags ({@code FuseInit}) this file system does not want negotiated even when the server and the client
     * both offer them. Called by the server for each FUSE_INIT, before {@link #init}; default none.
     */
    default long refusedInitFlags() { return 0; }

    /** After a successful INIT negotiation. */
    default void init(FuseSession session) throws IOException {}

    /** On DESTROY or when the transport shuts down: release everything but the root. */
    default void destroy() {}

    /**
     * Called on the serving thread before each request that carries a caller (every opcode but INIT, DESTROY,
     * FORGET, BATCH_FORGET, INTERRUPT); the server closes the returned scope once the reply is encoded.
     * The passthrough takes on the caller's fsuid/fsgid here.
     */
    default Scope enter(FuseContext c) throws IOException { return Scope.NONE; }

    /** What {@link #enter} set up for one request. */
    interface Scope extends AutoCloseable {
        Scope NONE = () -> {};

        @Override void close();
    }

    default EntryOut lookup(FuseContext c, long parent, FuseName name) throws IOException { throw enosys("lookup"); }

    /** FORGET: the client dropped {@code nlookup} references. No reply; must not throw. */
    default void forget(long nodeid, long nlookup) {}

    default void batchForget(List<ForgetOne> items) {
        for (ForgetOne f : items) forget(f.nodeid(), f.nlookup());
    }

    /** {@code fh} is -1 when the client did not name an open file (no FUSE_GETATTR_FH). */
    default AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException { throw enosys("getattr"); }

    default AttrOut setattr(FuseContext c, long nodeid, SetattrIn in) throws IOException { throw enosys("setattr"); }

    default byte[] readlink(FuseContext c, long nodeid) throws IOException { throw enosys("readlink"); }

    default EntryOut symlink(FuseContext c, long parent, FuseName name, byte[] target) throws IOException {
        throw enosys("symlink");
    }

    default EntryOut mknod(FuseContext c, long parent, FuseName name, int mode, int rdev, int umask) throws IOException {
        throw enosys("mknod");
    }

    default EntryOut mkdir(FuseContext c, long parent, FuseName name, int mode, int umask) throws IOException {
        throw enosys("mkdir");
    }

    default void unlink(FuseContext c, long parent, FuseName name) throws IOException { throw enosys("unlink"); }

    default void rmdir(FuseContext c, long parent, FuseName name) throws IOException { throw enosys("rmdir"); }

    /** RENAME (flags 0) and RENAME2 (RENAME_NOREPLACE 1, RENAME_EXCHANGE 2). */
    default void rename(FuseContext c, long parent, FuseName name, long newParent, FuseName newName, int flags)
            throws IOException {
        throw enosys("rename");
    }

    default EntryOut link(FuseContext c, long nodeid, long newParent, FuseName newName) throws IOException {
        throw enosys("link");
    }

    default OpenOut open(FuseContext c, long nodeid, int flags) throws IOException { throw enosys("open"); }

    /**
     * Reads up to {@code size} bytes at {@code offset} straight into {@code dst} (native segments whose
     * lengths sum to {@code size}); returns the bytes read, fewer at end of file.
     */
    default long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst)
            throws IOException {
        throw enosys("read");
    }

    /** Writes {@code data} (a view of the request) at {@code offset}; returns the bytes written. */
    default int write(FuseContext c, long nodeid, long fh, long offset, MemorySegment data, int writeFlags, int flags)
            throws IOException {
        throw enosys("write");
    }

    default StatfsOut statfs(FuseContext c, long nodeid) throws IOException { throw enosys("statfs"); }

    default void release(FuseContext c, long nodeid, long fh, int flags, int releaseFlags, long lockOwner)
            throws IOException {
        throw enosys("release");
    }

    default void fsync(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException { throw enosys("fsync"); }

    default void setxattr(FuseContext c, long nodeid, byte[] name, MemorySegment value, int flags) throws IOException {
        throw enosys("setxattr");
    }

    /** The whole value; the server answers a size query (size 0) and checks ERANGE against {@code size}. */
    default byte[] getxattr(FuseContext c, long nodeid, byte[] name) throws IOException { throw enosys("getxattr"); }

    /** The NUL-separated list of names; size handling as for {@link #getxattr}. */
    default byte[] listxattr(FuseContext c, long nodeid) throws IOException { throw enosys("listxattr"); }

    default void removexattr(FuseContext c, long nodeid, byte[] name) throws IOException { throw enosys("removexattr"); }

    default void flush(FuseContext c, long nodeid, long fh, long lockOwner) throws IOException { throw enosys("flush"); }

    default OpenOut opendir(FuseContext c, long nodeid, int flags) throws IOException { throw enosys("opendir"); }

    default void readdir(FuseContext c, long nodeid, long fh, long offset, DirSink sink) throws IOException {
        throw enosys("readdir");
    }

    default void readdirplus(FuseContext c, long nodeid, long fh, long offset, DirPlusSink sink) throws IOException {
        throw enosys("readdirplus");
    }

    default void releasedir(FuseContext c, long nodeid, long fh, int flags) throws IOException { throw enosys("releasedir"); }

    default void fsyncdir(FuseContext c, long nodeid, long fh, boolean datasync) throws IOException {
        throw enosys("fsyncdir");
    }

    default void access(FuseContext c, long nodeid, int mask) throws IOException { throw enosys("access"); }

    default Created create(FuseContext c, long parent, FuseName name, int flags, int mode, int umask) throws IOException {
        throw enosys("create");
    }

    /** INTERRUPT of request {@code unique}; no reply. Requests here are synchronous, so usually a no-op. */
    default void interrupt(FuseContext c, long unique) {}

    default void fallocate(FuseContext c, long nodeid, long fh, long offset, long length, int mode) throws IOException {
        throw enosys("fallocate");
    }

    /**
     * fuse.h FUSE_POLL: the poll events (poll.h POLLIN...) ready on handle {@code fh} among {@code events}.
     * ENOSYS makes the client assume every file is always ready (DEFAULT_POLLMASK).
     */
    default int poll(FuseContext c, long nodeid, long fh, int events) throws IOException { throw enosys("poll"); }

    default long lseek(FuseContext c, long nodeid, long fh, long offset, int whence) throws IOException {
        throw enosys("lseek");
    }

    default long copyFileRange(FuseContext c, long nodeidIn, long fhIn, long offIn, long nodeidOut, long fhOut,
                               long offOut, long len, long flags) throws IOException {
        throw enosys("copy_file_range");
    }

    default void syncfs(FuseContext c, long nodeid) throws IOException { throw enosys("syncfs"); }

    /**
     * A new host descriptor of regular file {@code nodeid} for a DAX mapping (fuse.h FUSE_SETUPMAPPING),
     * called by the {@link DaxWindow} on the request's thread. {@code fh} is the guest's open handle, or -1
     * when the guest maps by nodeid (Linux). Opened O_RDWR when {@code writable}, else O_RDONLY; with a
     * handle, only the access that handle was opened with is granted (EACCES otherwise). The caller owns
     * and closes the descriptor. A read-only export refuses writable with EROFS.
     */
    default int openForMapping(FuseContext c, long nodeid, long fh, boolean writable) throws IOException {
        throw enosys("setupmapping");
    }
}
