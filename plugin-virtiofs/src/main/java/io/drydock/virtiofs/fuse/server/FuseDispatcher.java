package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders.InHeader;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.abi.Le;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.DirPlusSink;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.FuseName;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The opcode switch of {@link FuseServer}: decodes each operation's arguments, calls the file system and
 * encodes its reply. Returns the length of the reply arguments, or {@link #NO_REPLY}.
 */
final class FuseDispatcher {
    static final long NO_REPLY = -1;
    /** XATTR_SIZE_MAX (linux/limits.h). */
    static final int XATTR_SIZE_MAX = 65536;
    /** fuse.h: RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT are the only RENAME2 flags. */
    private static final int RENAME_FLAGS = 1 | 2 | 4;

    private final FuseFileSystem fs;
    private final FuseServerConfig config;
    private final DaxWindow dax;

    FuseDispatcher(FuseFileSystem fs, FuseServerConfig config, DaxWindow dax) {
        this.fs = fs;
        this.config = config;
        this.dax = dax;
    }

    boolean hasDax() { return dax != null && dax.available(); }

    long dispatch(FuseOpcode op, InHeader h, FuseContext c, FuseArgs a, ReplyWriter r, FuseSession s) throws IOException {
        MemorySegment in = a.segment();
        long node = h.nodeid();
        return switch (op) {
            case LOOKUP -> entry(r, fs.lookup(c, node, a.name()));
            case FORGET -> {
                fs.forget(node, FuseMisc.ForgetIn.decode(in, a.take(FuseMisc.ForgetIn.SIZE)).nlookup());
                yield NO_REPLY;
            }
            case BATCH_FORGET -> {
                int count = FuseMisc.BatchForgetIn.decode(in, a.take(FuseMisc.BatchForgetIn.SIZE)).count();
                long at = a.take(Integer.toUnsignedLong(count) * FuseMisc.ForgetOne.SIZE);
                List<FuseMisc.ForgetOne> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) items.add(FuseMisc.ForgetOne.decode(in, at + (long) i * FuseMisc.ForgetOne.SIZE));
                fs.batchForget(items);
                yield NO_REPLY;
            }
            case GETATTR -> {
                FuseAttrs.GetattrIn g = FuseAttrs.GetattrIn.decode(in, a.take(FuseAttrs.GetattrIn.SIZE));
                yield attr(r, fs.getattr(c, node, (g.getattrFlags() & FuseAttrs.GETATTR_FH) != 0 ? g.fh() : -1));
            }
            case SETATTR -> attr(r, fs.setattr(c, node, FuseAttrs.SetattrIn.decode(in, a.take(FuseAttrs.SetattrIn.SIZE))));
            case READLINK -> bytes(r, fs.readlink(c, node));
            case SYMLINK -> {
                FuseName name = a.name();
                byte[] target = a.cstring(FuseArgs.PATH_MAX - 1);
                if (target.length == 0) throw new FuseException(Errno.ENOENT, "empty symlink target");
                yield entry(r, fs.symlink(c, node, name, target));
            }
            case MKNOD -> {
                FuseDirs.MknodIn m = FuseDirs.MknodIn.decode(in, a.take(FuseDirs.MknodIn.SIZE));
                yield entry(r, fs.mknod(c, node, a.name(), m.mode(), m.rdev(), m.umask()));
            }
            case MKDIR -> {
                FuseDirs.MkdirIn m = FuseDirs.MkdirIn.decode(in, a.take(FuseDirs.MkdirIn.SIZE));
                yield entry(r, fs.mkdir(c, node, a.name(), m.mode(), m.umask()));
            }
            case UNLINK -> { fs.unlink(c, node, a.name()); yield 0; }
            case RMDIR -> { fs.rmdir(c, node, a.name()); yield 0; }
            case RENAME -> {
                long newdir = FuseDirs.RenameIn.decode(in, a.take(FuseDirs.RenameIn.SIZE)).newdir();
                fs.rename(c, node, a.name(), newdir, a.name(), 0);
                yield 0;
            }
            case RENAME2 -> {
                FuseDirs.Rename2In m = FuseDirs.Rename2In.decode(in, a.take(FuseDirs.Rename2In.SIZE));
                if ((m.flags() & ~RENAME_FLAGS) != 0) throw new FuseException(Errno.EINVAL, "RENAME2 flags " + m.flags());
                fs.rename(c, node, a.name(), m.newdir(), a.name(), m.flags());
                yield 0;
            }
            case LINK -> {
                long old = FuseDirs.LinkIn.decode(in, a.take(FuseDirs.LinkIn.SIZE)).oldnodeid();
                yield entry(r, fs.link(c, old, node, a.name()));
            }
            case OPEN -> open(r, fs.open(c, node, FuseFileIo.OpenIn.decode(in, a.take(FuseFileIo.OpenIn.SIZE)).flags()));
            case OPENDIR -> open(r, fs.opendir(c, node, FuseFileIo.OpenIn.decode(in, a.take(FuseFileIo.OpenIn.SIZE)).flags()));
            case READ -> {
                FuseFileIo.ReadIn m = FuseFileIo.ReadIn.decode(in, a.take(FuseFileIo.ReadIn.SIZE));
                int size = checkSize(m.size(), "READ");
                long n = fs.read(c, node, m.fh(), m.offset(), size, r.argSlices(size));
                if (n < 0 || n > size) throw new IllegalStateException("read returned " + n + " for a size of " + size);
                yield n;
            }
            case WRITE -> {
                FuseFileIo.WriteIn m = FuseFileIo.WriteIn.decode(in, a.take(FuseFileIo.WriteIn.SIZE));
                int size = checkSize(m.size(), "WRITE");
                int n = fs.write(c, node, m.fh(), m.offset(), a.bytes(size), m.writeFlags(), m.flags());
                yield put(r, FuseFileIo.WriteOut.SIZE, w -> new FuseFileIo.WriteOut(n).encode(w, 0));
            }
            case STATFS -> {
                FuseMisc.StatfsOut st = fs.statfs(c, node);
                yield put(r, FuseMisc.StatfsOut.SIZE, w -> st.encode(w, 0));
            }
            case RELEASE, RELEASEDIR -> {
                FuseFileIo.ReleaseIn m = FuseFileIo.ReleaseIn.decode(in, a.take(FuseFileIo.ReleaseIn.SIZE));
                if (op == FuseOpcode.RELEASE) fs.release(c, node, m.fh(), m.flags(), m.releaseFlags(), m.lockOwner());
                else fs.releasedir(c, node, m.fh(), m.flags());
                yield 0;
            }
            case FSYNC, FSYNCDIR -> {
                FuseFileIo.FsyncIn m = FuseFileIo.FsyncIn.decode(in, a.take(FuseFileIo.FsyncIn.SIZE));
                boolean datasync = (m.fsyncFlags() & FuseFileIo.FSYNC_FDATASYNC) != 0;
                if (op == FuseOpcode.FSYNC) fs.fsync(c, node, m.fh(), datasync);
                else fs.fsyncdir(c, node, m.fh(), datasync);
                yield 0;
            }
            case SETXATTR -> {
                // fuse.h: fuse_setxattr_in is FUSE_COMPAT_SETXATTR_IN_SIZE (8) unless SETXATTR_EXT was negotiated
                int structSize = s.has(FuseInit.SETXATTR_EXT) ? FuseMisc.SetxattrIn.SIZE : FuseMisc.SetxattrIn.COMPAT_SIZE;
                long at = a.take(structSize);
                int size = Le.u32(in, at), flags = Le.u32(in, at + 4);
                if (Integer.compareUnsigned(size, XATTR_SIZE_MAX) > 0) throw new FuseException(Errno.E2BIG, "xattr value of " + Integer.toUnsignedString(size));
                byte[] name = a.xattrName();
                fs.setxattr(c, node, name, a.bytes(size), flags);
                yield 0;
            }
            case GETXATTR -> {
                int size = FuseMisc.GetxattrIn.decode(in, a.take(FuseMisc.GetxattrIn.SIZE)).size();
                yield sized(r, size, fs.getxattr(c, node, a.xattrName()));
            }
            case LISTXATTR -> {
                int size = FuseMisc.GetxattrIn.decode(in, a.take(FuseMisc.GetxattrIn.SIZE)).size();
                yield sized(r, size, fs.listxattr(c, node));
            }
            case REMOVEXATTR -> { fs.removexattr(c, node, a.xattrName()); yield 0; }
            case FLUSH -> {
                FuseFileIo.FlushIn m = FuseFileIo.FlushIn.decode(in, a.take(FuseFileIo.FlushIn.SIZE));
                fs.flush(c, node, m.fh(), m.lockOwner());
                yield 0;
            }
            case READDIR -> readdir(c, node, a, r, false);
            case READDIRPLUS -> readdir(c, node, a, r, true);
            case ACCESS -> { fs.access(c, node, FuseMisc.AccessIn.decode(in, a.take(FuseMisc.AccessIn.SIZE)).mask()); yield 0; }
            case CREATE -> {
                FuseFileIo.CreateIn m = FuseFileIo.CreateIn.decode(in, a.take(FuseFileIo.CreateIn.SIZE));
                FuseFileSystem.Created created = fs.create(c, node, a.name(), m.flags(), m.mode(), m.umask());
                yield put(r, EntryOut.SIZE + FuseFileIo.OpenOut.SIZE, w -> {
                    created.entry().encode(w, 0);
                    created.open().encode(w, EntryOut.SIZE);
                });
            }
            case INTERRUPT -> {
                fs.interrupt(c, FuseMisc.InterruptIn.decode(in, a.take(FuseMisc.InterruptIn.SIZE)).unique());
                yield NO_REPLY;
            }
            case FALLOCATE -> {
                FuseFileIo.FallocateIn m = FuseFileIo.FallocateIn.decode(in, a.take(FuseFileIo.FallocateIn.SIZE));
                if (m.offset() < 0 || m.length() <= 0) throw new FuseException(Errno.EINVAL, "fallocate range " + m.offset() + "+" + m.length());
                fs.fallocate(c, node, m.fh(), m.offset(), m.length(), m.mode());
                yield 0;
            }
            case LSEEK -> {
                FuseFileIo.LseekIn m = FuseFileIo.LseekIn.decode(in, a.take(FuseFileIo.LseekIn.SIZE));
                long off = fs.lseek(c, node, m.fh(), m.offset(), m.whence());
                yield put(r, FuseFileIo.LseekOut.SIZE, w -> new FuseFileIo.LseekOut(off).encode(w, 0));
            }
            case COPY_FILE_RANGE, COPY_FILE_RANGE_64 -> {
                FuseFileIo.CopyFileRangeIn m = FuseFileIo.CopyFileRangeIn.decode(in, a.take(FuseFileIo.CopyFileRangeIn.SIZE));
                if (m.offIn() < 0 || m.offOut() < 0) throw new FuseException(Errno.EINVAL, "negative copy_file_range offset");
                boolean wide = op == FuseOpcode.COPY_FILE_RANGE_64;
                // COPY_FILE_RANGE answers in fuse_write_out.size, a u32: the kernel asks for at most UINT_MAX &
                // PAGE_MASK (fs/fuse/file.c); COPY_FILE_RANGE_64 answers fuse_copy_file_range_out.bytes_copied, a u64
                long cap = wide ? Long.MAX_VALUE : 0xffff_f000L;
                long len = m.len() < 0 ? cap : Math.min(m.len(), cap);
                long n = fs.copyFileRange(c, node, m.fhIn(), m.offIn(), m.nodeidOut(), m.fhOut(), m.offOut(), len, m.flags());
                if (wide) yield put(r, 8, w -> Le.u64(w, 0, n));
                yield put(r, FuseFileIo.WriteOut.SIZE, w -> new FuseFileIo.WriteOut((int) n).encode(w, 0));
            }
            case POLL -> {
                // fuse.h: struct fuse_poll_in { u64 fh; u64 kh; u32 flags; u32 events; } -> fuse_poll_out { u32 revents; u32 padding; }
                long at = a.take(24);
                int revents = fs.poll(c, node, Le.u64(in, at), Le.u32(in, at + 20));
                yield put(r, 8, w -> { Le.u32(w, 0, revents); Le.u32(w, 4, 0); });
            }
            case SYNCFS -> {
                a.take(8); // fuse.h: struct fuse_syncfs_in { uint64_t padding; }
                fs.syncfs(c, node);
                yield 0;
            }
            case SETUPMAPPING -> {
                if (!hasDax()) throw new FuseException(Errno.ENOSYS, "no DAX window");
                dax.setupMapping(c, node, FuseDax.SetupmappingIn.decode(in, a.take(FuseDax.SetupmappingIn.SIZE)),
                        (nodeid, fh, writable) -> fs.openForMapping(c, nodeid, fh, writable));
                yield 0;
            }
            case REMOVEMAPPING -> {
                if (!hasDax()) throw new FuseException(Errno.ENOSYS, "no DAX window");
                int count = FuseDax.RemovemappingIn.decode(in, a.take(FuseDax.RemovemappingIn.SIZE)).count();
                // fuse.h: the entries follow at offset 4; the count is bounded by the request's length (EINVAL
                // past it), not by FUSE_REMOVEMAPPING_MAX_ENTRY, which only bounds what Linux sends at once
                long at = a.take(Integer.toUnsignedLong(count) * FuseDax.RemovemappingOne.SIZE);
                List<FuseDax.RemovemappingOne> ranges = new ArrayList<>(count);
                for (int i = 0; i < count; i++) ranges.add(FuseDax.RemovemappingOne.decode(in, at + (long) i * FuseDax.RemovemappingOne.SIZE));
                dax.removeMapping(c, ranges);
                yield 0;
            }
            case NOTIFY_REPLY -> NO_REPLY; // only answers a RETRIEVE notification, which this server never sends
            case INIT, DESTROY, GETLK, SETLK, SETLKW, BMAP, IOCTL, TMPFILE, STATX, CUSE_INIT ->
                    throw new FuseException(Errno.ENOSYS, op.toString());
        };
    }

    /** READ/READDIR sizes: at most max_write (this server's max_read) and what the reply buffer holds. */
    private int checkSize(int size, String what) throws FuseException {
        if (size < 0 || size > config.maxWrite())
            throw new FuseException(Errno.EINVAL, what + " size " + Integer.toUnsignedString(size) + " over " + config.maxWrite());
        return size;
    }

    private long readdir(FuseContext c, long node, FuseArgs a, ReplyWriter r, boolean plus) throws IOException {
        FuseFileIo.ReadIn m = FuseFileIo.ReadIn.decode(a.segment(), a.take(FuseFileIo.ReadIn.SIZE));
        int size = checkSize(m.size(), plus ? "READDIRPLUS" : "READDIR");
        MemorySegment w = r.window(size);
        long[] pos = {0};
        if (plus) {
            fs.readdirplus(c, node, m.fh(), m.offset(), new DirPlusSink() {
                @Override public boolean fits(int nameLength) {
                    return pos[0] + FuseDirs.direntplusSize(nameLength) <= size;
                }

                @Override public boolean add(EntryOut entry, long nextOffset, int type, byte[] name) {
                    if (!fits(name.length)) return false;
                    pos[0] += new FuseDirs.DirentPlus(entry, new FuseDirs.Dirent(entry.attr().ino(), nextOffset, type, name))
                            .encode(w, pos[0]);
                    return true;
                }
            });
        } else {
            fs.readdir(c, node, m.fh(), m.offset(), (ino, nextOffset, type, name) -> {
                if (pos[0] + FuseDirs.direntSize(name.length) > size) return false;
                pos[0] += new FuseDirs.Dirent(ino, nextOffset, type, name).encode(w, pos[0]);
                return true;
            });
        }
        return pos[0];
    }

    /** GETXATTR/LISTXATTR: size 0 asks for the length (fuse_getxattr_out); a too-small size is ERANGE. */
    private static long sized(ReplyWriter r, int size, byte[] value) throws FuseException {
        if (size == 0) return put(r, FuseMisc.GetxattrOut.SIZE, w -> new FuseMisc.GetxattrOut(value.length).encode(w, 0));
        if (Integer.compareUnsigned(value.length, size) > 0)
            throw new FuseException(Errno.ERANGE, "value of " + value.length + " bytes for a buffer of " + Integer.toUnsignedString(size));
        return bytes(r, value);
    }

    private interface Encoder { void encode(MemorySegment w); }

    private static long put(ReplyWriter r, int size, Encoder e) throws FuseException {
        e.encode(r.window(size));
        return size;
    }

    private static long entry(ReplyWriter r, EntryOut e) throws FuseException {
        return put(r, EntryOut.SIZE, w -> e.encode(w, 0));
    }

    private static long attr(ReplyWriter r, FuseAttrs.AttrOut a) throws FuseException {
        return put(r, FuseAttrs.AttrOut.SIZE, w -> a.encode(w, 0));
    }

    private static long open(ReplyWriter r, FuseFileIo.OpenOut o) throws FuseException {
        return put(r, FuseFileIo.OpenOut.SIZE, w -> o.encode(w, 0));
    }

    private static long bytes(ReplyWriter r, byte[] b) throws FuseException {
        return put(r, b.length, w -> MemorySegment.copy(MemorySegment.ofArray(b), 0, w, 0, b.length));
    }
}
