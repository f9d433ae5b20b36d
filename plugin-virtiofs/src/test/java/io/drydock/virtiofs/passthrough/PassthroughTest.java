package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static io.drydock.virtiofs.passthrough.PassthroughFixture.attrs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every passthrough operation through the server, checked against the host directory. */
class PassthroughTest {
    @TempDir Path dir;
    PassthroughFixture f;
    FuseTestClient c;

    @BeforeEach void start() throws IOException { f = new PassthroughFixture(dir, PassthroughOptions.defaults().withXattr(true)); c = f.client; }

    @AfterEach void stop() { f.close(); }

    private long ino(Path p) throws IOException { return (long) Files.getAttribute(p, "unix:ino"); }

    @Test
    void lookupGetattrAndLookupCounts() throws IOException {
        Files.writeString(dir.resolve("a"), "hello");
        EntryOut e = c.lookup(1, "a");
        assertEquals(ino(dir.resolve("a")), e.attr().ino());
        assertEquals(5, e.attr().size());
        assertEquals(Sys.S_IFREG, e.attr().mode() & Sys.S_IFMT);
        assertEquals(1, e.entryValid(), "cache=auto: 1 s");
        assertEquals(Errno.ENOENT, c.lookupReply(1, "missing").error());
        assertEquals(e.nodeid(), c.lookup(1, "a").nodeid(), "same inode, same nodeid");
        assertEquals(2, f.fs.lookupCount(e.nodeid()));
        assertEquals(5, c.getattr(e.nodeid()).attr().size());
        c.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, e.nodeid()).struct(8, (s, o) -> new FuseMisc.ForgetIn(1).encode(s, o)));
        assertEquals(1, f.fs.lookupCount(e.nodeid()));
        int before = f.fs.inodeCount();
        c.sendNoReply(FuseRequest.of(FuseOpcode.BATCH_FORGET, 0).struct(8, (s, o) -> new FuseMisc.BatchForgetIn(1).encode(s, o))
                .struct(16, (s, o) -> new FuseMisc.ForgetOne(e.nodeid(), 99).encode(s, o)));
        assertEquals(before - 1, f.fs.inodeCount(), "forgotten: descriptor closed");
        assertEquals(116, c.getattr_error(e.nodeid()), "ESTALE for a forgotten nodeid");
        assertNotEquals(e.nodeid(), c.lookup(1, "a").nodeid(), "nodeids are never reused");
    }

    /** As the C virtiofsd: no READDIRPLUS with cache=never (its attributes would expire at once), unless asked for. */
    @Test
    void readdirplusIsOfferedUnlessTheCacheModeIsNever() throws IOException {
        long plus = FuseInit.DO_READDIRPLUS | FuseInit.READDIRPLUS_AUTO;
        assertEquals(plus, c.init().flags() & plus, "cache=auto");
        PassthroughOptions base = PassthroughOptions.defaults();
        Map<PassthroughOptions, Long> cases = Map.of(
                base.withCache(PassthroughOptions.CacheMode.NEVER), 0L,
                base.withCache(PassthroughOptions.CacheMode.ALWAYS), plus,
                base.withCache(PassthroughOptions.CacheMode.NEVER).withReaddirplus(true), plus,
                base.withReaddirplus(false), 0L);
        for (Map.Entry<PassthroughOptions, Long> e : cases.entrySet()) {
            PassthroughFixture other = new PassthroughFixture(dir, e.getKey());
            try {
                assertEquals(e.getValue(), other.client.init().flags() & plus, e.getKey().toString());
                assertEquals(e.getValue() != 0, e.getKey().offersReaddirplus());
            } finally {
                other.close();
            }
        }
    }

    @Test
    void hardLinksShareANodeid() throws IOException {
        Files.writeString(dir.resolve("a"), "x");
        Files.createLink(dir.resolve("b"), dir.resolve("a"));
        assertEquals(c.lookup(1, "a").nodeid(), c.lookup(1, "b").nodeid());
        EntryOut l = EntryOut.decode(c.send(FuseRequest.of(FuseOpcode.LINK, 1)
                .struct(8, (s, o) -> new FuseDirs.LinkIn(c.lookup(1, "a").nodeid()).encode(s, o)).name("c")).ok().args(), 0);
        assertEquals(c.lookup(1, "a").nodeid(), l.nodeid());
        assertEquals(3, l.attr().nlink());
        assertEquals(ino(dir.resolve("a")), ino(dir.resolve("c")));
    }

    @Test
    void createWriteReadAppendTruncate() throws IOException {
        long[] nf = c.create(1, "f", Sys.O_RDWR, 0100640);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))));
        FuseFileIo.WriteOut w = FuseFileIo.WriteOut.decode(c.writeReply(nf[0], nf[1], 0, "hello world".getBytes()).ok().args(), 0);
        assertEquals(11, w.size());
        assertEquals("hello world", Files.readString(dir.resolve("f")));
        assertArrayEquals("world".getBytes(), c.read(nf[0], nf[1], 6, 100), "short read at end of file");
        assertArrayEquals(new byte[0], c.read(nf[0], nf[1], 100, 100));
        c.release(nf[0], nf[1], FuseOpcode.RELEASE).ok();
        assertEquals(Errno.EBADF, c.readReply(nf[0], nf[1], 0, 10).error(), "released handle");

        long fa = c.open(nf[0], Sys.O_WRONLY | Sys.O_APPEND);
        c.writeReply(nf[0], fa, 0, "!".getBytes()).ok();
        assertEquals("hello world!", Files.readString(dir.resolve("f")), "O_APPEND writes at the end");
        long ft = c.open(nf[0], Sys.O_RDWR | Sys.O_TRUNC);
        assertEquals(0, Files.size(dir.resolve("f")));
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        c.writeReply(nf[0], ft, 0, big).ok();
        assertArrayEquals(big, c.read(nf[0], ft, 0, 1 << 20), "a 1 MiB read");
        assertEquals(Errno.EEXIST, c.createReply(1, "f", Sys.O_RDWR | Sys.O_EXCL, 0100644).error());
        assertEquals(Errno.EISDIR, c.openReply(1, 0).error());
    }

    @Test
    void setattrModeOwnerSizeTimes() throws IOException {
        Files.writeString(dir.resolve("f"), "0123456789");
        long n = c.lookup(1, "f").nodeid();
        FuseAttrs.Attr a = FuseAttrs.AttrOut.decode(f.setattr(n, attrs(FuseAttrs.FATTR_MODE, 0, 0600, 0, 0, 0, 0, 0)).ok().args(), 0).attr();
        assertEquals(0100600, a.mode());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))));
        a = FuseAttrs.AttrOut.decode(f.setattr(n, attrs(FuseAttrs.FATTR_UID | FuseAttrs.FATTR_GID, 0, 0, 1234, 5678, 0, 0, 0)).ok().args(), 0).attr();
        assertEquals(1234, a.uid());
        assertEquals(5678, (int) Files.getAttribute(dir.resolve("f"), "unix:gid"));
        a = FuseAttrs.AttrOut.decode(f.setattr(n, attrs(FuseAttrs.FATTR_SIZE, 4, 0, 0, 0, 0, 0, 0)).ok().args(), 0).attr();
        assertEquals(4, a.size());
        assertEquals("0123", Files.readString(dir.resolve("f")));
        long fh = c.open(n, Sys.O_RDWR);
        f.setattr(n, attrs(FuseAttrs.FATTR_SIZE | FuseAttrs.FATTR_FH, 2, 0, 0, 0, 0, 0, fh)).ok();
        assertEquals("01", Files.readString(dir.resolve("f")));
        f.setattr(n, attrs(FuseAttrs.FATTR_ATIME | FuseAttrs.FATTR_MTIME, 0, 0, 0, 0, 1_000_000, 2_000_000, 0)).ok();
        assertEquals(FileTime.fromMillis(2_000_000_000L), Files.getLastModifiedTime(dir.resolve("f")));
        assertEquals(FileTime.fromMillis(1_000_000_000L), Files.getAttribute(dir.resolve("f"), "lastAccessTime"));
        f.setattr(n, attrs(FuseAttrs.FATTR_MTIME | FuseAttrs.FATTR_MTIME_NOW, 0, 0, 0, 0, 0, 0, 0)).ok();
        assertTrue(Files.getLastModifiedTime(dir.resolve("f")).toMillis() > System.currentTimeMillis() - 60_000);
        assertEquals(Errno.EISDIR, f.setattr(1, attrs(FuseAttrs.FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0)).error());
    }

    @Test
    void namespaceOperations() throws IOException {
        EntryOut d = EntryOut.decode(c.mkdirReply(1, "d", 0750).ok().args(), 0);
        assertEquals(Sys.S_IFDIR | 0750, d.attr().mode());
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertEquals(Errno.EEXIST, c.mkdirReply(1, "d", 0755).error());
        c.send(FuseRequest.of(FuseOpcode.MKNOD, d.nodeid()).struct(16, (s, o) -> new FuseDirs.MknodIn(Sys.S_IFIFO | 0644, 0, 0).encode(s, o)).name("fifo")).ok();
        assertTrue(Files.exists(dir.resolve("d/fifo")));
        assertEquals("p", Files.getAttribute(dir.resolve("d/fifo"), "unix:mode") instanceof Integer m && (m & Sys.S_IFMT) == Sys.S_IFIFO ? "p" : "?");
        c.send(FuseRequest.of(FuseOpcode.MKNOD, d.nodeid()).struct(16, (s, o) -> new FuseDirs.MknodIn(Sys.S_IFREG | 0644, 0, 0).encode(s, o)).name("reg")).ok();
        assertTrue(Files.isRegularFile(dir.resolve("d/reg")));
        assertEquals(Errno.EPERM, c.send(FuseRequest.of(FuseOpcode.MKNOD, d.nodeid())
                .struct(16, (s, o) -> new FuseDirs.MknodIn(Sys.S_IFCHR | 0644, (1 << 8) | 3, 0).encode(s, o)).name("null")).error());
        assertFalse(Files.exists(dir.resolve("d/null")));
        assertEquals(Errno.ENOTEMPTY, c.simple(FuseOpcode.RMDIR, 1, "d").error());
        c.simple(FuseOpcode.UNLINK, d.nodeid(), "fifo").ok();
        assertFalse(Files.exists(dir.resolve("d/fifo")));
        assertEquals(Errno.ENOTDIR, c.simple(FuseOpcode.UNLINK, c.lookup(d.nodeid(), "reg").nodeid(), "x").error());

        c.send(FuseRequest.of(FuseOpcode.RENAME, d.nodeid()).struct(8, (s, o) -> new FuseDirs.RenameIn(1).encode(s, o)).name("reg").name("moved")).ok();
        assertTrue(Files.exists(dir.resolve("moved")));
        Files.writeString(dir.resolve("other"), "o");
        assertEquals(Errno.EEXIST, rename2(1, "moved", 1, "other", Sys.RENAME_NOREPLACE).error());
        Files.writeString(dir.resolve("moved"), "m");
        rename2(1, "moved", 1, "other", Sys.RENAME_EXCHANGE).ok();
        assertEquals("o", Files.readString(dir.resolve("moved")));
        assertEquals("m", Files.readString(dir.resolve("other")));
        assertEquals(Errno.EINVAL, rename2(1, "moved", 1, "x", 8).error(), "unknown flag");
        c.simple(FuseOpcode.UNLINK, d.nodeid(), "reg").error();
        c.simple(FuseOpcode.RMDIR, 1, "d").ok();
        assertFalse(Files.exists(dir.resolve("d")));

        EntryOut l = EntryOut.decode(c.send(FuseRequest.of(FuseOpcode.SYMLINK, 1).name("ln").name("moved")).ok().args(), 0);
        assertEquals(Sys.S_IFLNK, l.attr().mode() & Sys.S_IFMT);
        assertEquals(Path.of("moved"), Files.readSymbolicLink(dir.resolve("ln")));
        assertArrayEquals("moved".getBytes(), c.send(FuseRequest.of(FuseOpcode.READLINK, l.nodeid())).ok().args().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Errno.EINVAL, c.send(FuseRequest.of(FuseOpcode.READLINK, 1)).error());
    }

    private FuseTestClient.Reply rename2(long p, String a, long np, String b, int flags) {
        return c.send(FuseRequest.of(FuseOpcode.RENAME2, p).struct(16, (s, o) -> new FuseDirs.Rename2In(np, flags).encode(s, o)).name(a).name(b));
    }

    @Test
    void readdirAndReaddirplusInSmallPieces() throws IOException {
        for (int i = 0; i < 50; i++) Files.writeString(dir.resolve("file-with-a-longish-name-" + i), "" + i);
        List<String> plain = c.list(1, false, 256);
        assertEquals(52, plain.size());
        assertTrue(plain.containsAll(List.of(".", "..", "file-with-a-longish-name-0", "file-with-a-longish-name-49")));
        assertEquals(52, plain.stream().distinct().count(), "no entry twice across pieces");
        int before = f.fs.inodeCount();
        List<String> plus = c.list(1, true, 512);
        assertEquals(plain.stream().sorted().toList(), plus.stream().sorted().toList());
        assertEquals(before + 50, f.fs.inodeCount(), "each direntplus but . and .. is a lookup");
        assertEquals(1, f.fs.lookupCount(c.lookup(1, "file-with-a-longish-name-7").nodeid()) - 1, "exactly one lookup from READDIRPLUS");
    }

    @Test
    void statfsAccessSyncAndFlush() throws IOException {
        FuseMisc.StatfsOut st = FuseMisc.StatfsOut.decode(c.send(FuseRequest.of(FuseOpcode.STATFS, 1)).ok().args(), 0);
        var store = Files.getFileStore(dir);
        assertEquals(store.getTotalSpace(), st.blocks() * st.frsize());
        assertEquals(255, st.namelen());
        Files.writeString(dir.resolve("f"), "x");
        long n = c.lookup(1, "f").nodeid();
        assertEquals(Errno.EACCES, access(n, 1, 0).error(), "root: X needs an execute bit");
        access(n, 4 | 2, 0).ok();
        assertEquals(Errno.EACCES, access(n, 2, 1000).error(), "uid 1000 vs 0644 root:root");
        access(n, 4, 1000).ok();
        long fh = c.open(n, Sys.O_RDWR);
        c.send(FuseRequest.of(FuseOpcode.FLUSH, n).struct(24, (s, o) -> new FuseFileIo.FlushIn(fh, 0).encode(s, o))).ok();
        c.send(FuseRequest.of(FuseOpcode.FSYNC, n).struct(16, (s, o) -> new FuseFileIo.FsyncIn(fh, 1).encode(s, o))).ok();
        c.send(FuseRequest.of(FuseOpcode.SYNCFS, 1).bytes(new byte[8])).ok();
        long dh = FuseFileIo.OpenOut.decode(c.send(FuseRequest.of(FuseOpcode.OPENDIR, 1).struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o))).ok().args(), 0).fh();
        c.send(FuseRequest.of(FuseOpcode.FSYNCDIR, 1).struct(16, (s, o) -> new FuseFileIo.FsyncIn(dh, 0).encode(s, o))).ok();
        assertInstanceOf(FuseOutcome.NoReply.class, c.sendNoReply(FuseRequest.of(FuseOpcode.INTERRUPT, 0).struct(8, (s, o) -> new FuseMisc.InterruptIn(5).encode(s, o))));
        c.send(FuseRequest.of(FuseOpcode.DESTROY, 0)).ok();
        assertEquals(1, f.fs.inodeCount(), "DESTROY leaves the root only");
        assertEquals(0, f.fs.openDescriptors());
    }

    private FuseTestClient.Reply access(long n, int mask, int uid) {
        return c.send(FuseRequest.of(FuseOpcode.ACCESS, n).caller(uid, uid).struct(8, (s, o) -> new FuseMisc.AccessIn(mask).encode(s, o)));
    }

    @Test
    void xattrs() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        long n = c.lookup(1, "f").nodeid();
        c.send(FuseRequest.of(FuseOpcode.SETXATTR, n).struct(8, (s, o) -> new FuseMisc.SetxattrIn(3, 0).encodeCompat(s, o)).name("user.k").bytes("abc".getBytes())).ok();
        var view = Files.getFileAttributeView(dir.resolve("f"), java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertEquals(List.of("k"), view.list());
        assertArrayEquals("abc".getBytes(), c.send(FuseRequest.of(FuseOpcode.GETXATTR, n).struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o)).name("user.k")).ok().args().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Errno.ENODATA, c.send(FuseRequest.of(FuseOpcode.GETXATTR, n).struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o)).name("user.none")).error());
        byte[] list = c.send(FuseRequest.of(FuseOpcode.LISTXATTR, n).struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o))).ok().args().toArray(ValueLayout.JAVA_BYTE);
        assertEquals("user.k\0", new String(list, StandardCharsets.UTF_8));
        assertEquals(Errno.EEXIST, c.send(FuseRequest.of(FuseOpcode.SETXATTR, n).struct(8, (s, o) -> new FuseMisc.SetxattrIn(1, Sys.XATTR_CREATE).encodeCompat(s, o)).name("user.k").bytes("z".getBytes())).error());
        c.send(FuseRequest.of(FuseOpcode.REMOVEXATTR, n).name("user.k")).ok();
        assertEquals(List.of(), view.list());
    }

    @Test
    void xattrsOffAreEnosys() throws IOException {
        try (PassthroughFixture off = new PassthroughFixture(dir, PassthroughOptions.defaults().withXattr(false))) {
            assertEquals(Errno.ENOSYS, off.client.send(FuseRequest.of(FuseOpcode.LISTXATTR, 1).struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o))).error());
        }
    }

    @Test
    void lseekFallocateCopyFileRange() throws IOException {
        long[] nf = c.create(1, "sparse", Sys.O_RDWR, 0100644);
        c.writeReply(nf[0], nf[1], 1 << 20, "data".getBytes()).ok();
        assertEquals(1 << 20, lseek(nf, 0, Sys.SEEK_DATA), "the hole before the data");
        assertEquals(0, lseek(nf, 0, Sys.SEEK_HOLE));
        assertEquals(Errno.ENXIO, c.send(FuseRequest.of(FuseOpcode.LSEEK, nf[0]).struct(24, (s, o) -> new FuseFileIo.LseekIn(nf[1], 2 << 20, Sys.SEEK_DATA).encode(s, o))).error());
        c.send(FuseRequest.of(FuseOpcode.FALLOCATE, nf[0]).struct(32, (s, o) -> new FuseFileIo.FallocateIn(nf[1], 0, 3 << 20, 0).encode(s, o))).ok();
        assertEquals(3 << 20, Files.size(dir.resolve("sparse")));
        // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
        c.send(FuseRequest.of(FuseOpcode.FALLOCATE, nf[0]).struct(32, (s, o) -> new FuseFileIo.FallocateIn(nf[1], 0, 1 << 20, 3).encode(s, o))).ok();
        assertEquals(0, lseek(nf, 0, Sys.SEEK_HOLE));
        assertEquals(3 << 20, Files.size(dir.resolve("sparse")));

        long[] out = c.create(1, "copy", Sys.O_RDWR, 0100644);
        FuseFileIo.WriteOut w = FuseFileIo.WriteOut.decode(c.send(FuseRequest.of(FuseOpcode.COPY_FILE_RANGE, nf[0])
                .struct(56, (s, o) -> new FuseFileIo.CopyFileRangeIn(nf[1], 1 << 20, out[0], out[1], 10, 4, 0).encode(s, o))).ok().args(), 0);
        assertEquals(4, w.size());
        byte[] copy = Files.readAllBytes(dir.resolve("copy"));
        assertEquals(14, copy.length);
        assertEquals("data", new String(copy, 10, 4));
    }

    private long lseek(long[] nf, long off, int whence) {
        return FuseFileIo.LseekOut.decode(c.send(FuseRequest.of(FuseOpcode.LSEEK, nf[0]).struct(24, (s, o) -> new FuseFileIo.LseekIn(nf[1], off, whence).encode(s, o))).ok().args(), 0).offset();
    }

    @Test
    void readonlyRefusesEveryChange() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        Map<String, Object> before = Files.readAttributes(dir.resolve("f"), "unix:*");
        try (PassthroughFixture ro = new PassthroughFixture(dir, PassthroughOptions.defaults().withReadonly(true))) {
            FuseTestClient r = ro.client;
            long n = r.lookup(1, "f").nodeid();
            assertEquals(Errno.EROFS, r.mkdirReply(1, "d", 0755).error());
            assertEquals(Errno.EROFS, r.createReply(1, "g", Sys.O_WRONLY, 0100644).error());
            assertEquals(Errno.EROFS, r.openReply(n, Sys.O_WRONLY).error());
            assertEquals(Errno.EROFS, r.simple(FuseOpcode.UNLINK, 1, "f").error());
            assertEquals(Errno.EROFS, ro.setattr(n, attrs(FuseAttrs.FATTR_MODE, 0, 0777, 0, 0, 0, 0, 0)).error());
            long fh = r.open(n, Sys.O_RDONLY);
            assertArrayEquals("x".getBytes(), r.read(n, fh, 0, 10));
        }
        assertEquals(List.of("f"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        assertEquals(before.get("mode"), Files.readAttributes(dir.resolve("f"), "unix:*").get("mode"));
    }

    @Test
    void cacheModesSetTimeoutsAndOpenFlags() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        for (var mode : PassthroughOptions.CacheMode.values()) {
            try (PassthroughFixture m = new PassthroughFixture(dir, PassthroughOptions.defaults().withCache(mode))) {
                EntryOut e = m.client.lookup(1, "f");
                assertEquals(mode.timeout().getSeconds(), e.entryValid());
                assertEquals(mode.timeout().getSeconds(), e.attrValid());
                int flags = FuseFileIo.OpenOut.decode(m.client.openReply(e.nodeid(), 0).ok().args(), 0).openFlags();
                assertEquals(switch (mode) { case NEVER -> FuseFileIo.FOPEN_DIRECT_IO; case AUTO -> 0; case ALWAYS -> FuseFileIo.FOPEN_KEEP_CACHE; }, flags);
            }
        }
    }

    @Test
    void openDescriptorsAreBoundedByAnLru() throws IOException {
        try (PassthroughFixture small = new PassthroughFixture(dir, PassthroughOptions.defaults().withMaxOpenFds(2))) {
            FuseTestClient s = small.client;
            long[][] files = new long[5][];
            for (int i = 0; i < 5; i++) {
                Files.writeString(dir.resolve("f" + i), "content " + i);
                long n = s.lookup(1, "f" + i).nodeid();
                files[i] = new long[]{n, s.open(n, Sys.O_RDONLY)};
            }
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < 5; i++)
                    assertArrayEquals(("content " + i).getBytes(), s.read(files[i][0], files[i][1], 0, 100));
            assertTrue(small.fs.openDescriptors() <= 2);
            assertTrue(small.fs.evictions() >= 10);
        }
    }

    @Test
    void inodeTableIsBounded() throws IOException {
        for (int i = 0; i < 4; i++) Files.writeString(dir.resolve("f" + i), "");
        try (PassthroughFixture small = new PassthroughFixture(dir, PassthroughOptions.defaults().withMaxInodes(3))) {
            small.client.lookup(1, "f0");
            small.client.lookup(1, "f1");
            assertEquals(Errno.ENFILE, small.client.lookupReply(1, "f2").error());
            small.client.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, small.client.lookup(1, "f0").nodeid())
                    .struct(8, (s, o) -> new FuseMisc.ForgetIn(2).encode(s, o)));
            small.client.lookup(1, "f2");
        }
    }
}
