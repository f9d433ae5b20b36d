package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11 findings 4, 5, 7 and 8 through crafted requests (the mount-level checks are in
 * scripts/fuse-conformance): per-request credentials, no chown of whatever a name points to after a create,
 * CREATE never opening a FIFO, suid/sgid killed on write and truncate as the kernel would, capabilities
 * dropped, xattrs off by default and the security and trusted namespaces refused, MKNOD of sockets and (with the option)
 * device nodes with their rdev. Needs root (as the daemon does); skipped otherwise.
 */
class PrivilegeTest {
    static final int NOBODY = 65534, USER = 1234, GROUP = 5678;
    @TempDir Path tmp;
    Path share;
    PassthroughFixture f;
    FuseTestClient c;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Credentials.switching(), "needs root: the credential switch is what is tested");
        share = Files.createDirectory(tmp.resolve("share"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));
        f = new PassthroughFixture(share, PassthroughOptions.defaults().withXattr(true).withAllowDeviceNodes(true));
        c = f.client;
    }

    @AfterEach
    void stop() { if (f != null) f.close(); }

    private static int uid(Path p) throws IOException { return (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS); }

    private static int gid(Path p) throws IOException { return (int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS); }

    private static int mode(Path p) throws IOException { return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS); }

    private FuseTestClient.Reply mknod(int uid, String name, int mode, int rdev) {
        return c.send(FuseRequest.of(FuseOpcode.MKNOD, 1).caller(uid, uid == 0 ? 0 : GROUP)
                .struct(16, (s, o) -> new FuseDirs.MknodIn(mode, rdev, 0).encode(s, o)).name(name));
    }

    @Test
    void entriesBelongToTheCallerThroughFsuidNotAChownAfterwards() throws IOException {
        c.send(FuseRequest.of(FuseOpcode.MKDIR, 1).caller(USER, GROUP).struct(8, (s, o) -> new FuseDirs.MkdirIn(0777, 0).encode(s, o)).name("d")).ok();
        mknod(USER, "n", 0100640, 0).ok();
        c.send(FuseRequest.of(FuseOpcode.SYMLINK, 1).caller(USER, GROUP).name("l").name("target")).ok();
        c.send(FuseRequest.of(FuseOpcode.CREATE, 1).caller(USER, GROUP)
                .struct(16, (s, o) -> new FuseFileIo.CreateIn(Sys.O_RDWR, 0100600, 0, 0).encode(s, o)).name("c")).ok();
        for (String n : new String[]{"d", "n", "l", "c"}) {
            assertEquals(USER, uid(share.resolve(n)), n + " owner");
            assertEquals(GROUP, gid(share.resolve(n)), n + " group");
        }
        assertEquals(0777, mode(share.resolve("d")) & 07777, "the mode asked for, though the process umask strips bits");
        // the host kernel checks as the caller: nobody cannot create in a root-owned 0755 directory
        Path closed = Files.createDirectory(share.resolve("closed"));
        long node = c.lookup(1, "closed").nodeid();
        assertEquals(Errno.EACCES, c.send(FuseRequest.of(FuseOpcode.MKDIR, node).caller(NOBODY, NOBODY)
                .struct(8, (s, o) -> new FuseDirs.MkdirIn(0755, 0).encode(s, o)).name("x")).error());
        assertFalse(Files.exists(closed.resolve("x")));
        assertEquals(0, Credentials.fsuid(), "the serving thread is back to the server's own fsuid");
    }

    /** Finding 4: a rename race in a user-writable directory used to give a root-owned 0600 file to nobody (and 0777). */
    @Test
    void aRenameRaceNeverHandsARootFileToTheCaller() throws Exception {
        Path secret = Files.writeString(share.resolve("rootfile"), "root only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread attacker = Thread.ofPlatform().start(() -> { // nobody renames root's file over what the server just made
            while (!stop.get()) {
                try {
                    Files.move(share.resolve("rootfile"), share.resolve("x"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(share.resolve("x"), share.resolve("rootfile"));
                } catch (IOException ignored) {
                    // lost a round of the race
                }
            }
        });
        long deadline = System.nanoTime() + 2_000_000_000L;
        int rounds = 0;
        try {
            while (System.nanoTime() < deadline) {
                FuseTestClient.Reply r = mknod(NOBODY, "x", 0100777, 0);
                if (r.error() == 0) c.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, EntryOut.decode(r.args(), 0).nodeid())
                        .struct(8, (s, o) -> s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, o, 1L)));
                rounds++;
            }
        } finally {
            stop.set(true);
            attacker.join();
        }
        Path now = Files.exists(share.resolve("rootfile")) ? share.resolve("rootfile") : share.resolve("x");
        assertEquals("root only", Files.readString(now));
        assertEquals(0, uid(now), "still root's after " + rounds + " racing MKNODs");
        assertEquals(0600, mode(now) & 07777, "still 0600");
    }

    /** Finding 5: CREATE of a name that is a FIFO must not open it (a worker would hang in open(2)). */
    @Test
    void createOfAnExistingFifoOrDeviceFailsWithoutOpeningIt() throws Exception {
        mknod(0, "fifo", Sys.S_IFIFO | 0666, 0).ok();
        mknod(0, "null", Sys.S_IFCHR | 0666, (1 << 8) | 3).ok(); // /dev/null's 1:3
        long t0 = System.nanoTime();
        assertEquals(Errno.EACCES, c.createReply(1, "fifo", Sys.O_RDWR, 0100644).error());
        assertEquals(Errno.EACCES, c.createReply(1, "null", Sys.O_WRONLY, 0100644).error());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "no open of the FIFO waited for a writer");
        assertEquals(0, f.fs.openHandles());
    }

    /** Finding 8: sockets always, device nodes with the option, rdev passed through; never opened. */
    @Test
    void mknodOfSocketsFifosAndDevicesWithRdev() throws IOException {
        mknod(0, "sock", Sys.S_IFSOCK | 0755, 0).ok();
        assertTrue((mode(share.resolve("sock")) & Sys.S_IFMT) == Sys.S_IFSOCK);
        EntryOut dev = EntryOut.decode(mknod(0, "blk", Sys.S_IFBLK | 0600, (8 << 8) | 17).ok().args(), 0);
        assertEquals((8 << 8) | 17, dev.attr().rdev(), "rdev 8:17 back in the entry");
        assertEquals(8L * 256 + 17, ((Number) Files.getAttribute(share.resolve("blk"), "unix:rdev")).longValue() & 0xffff);
        assertEquals(Errno.EACCES, c.openReply(dev.nodeid(), Sys.O_RDONLY).error(), "a device node is never opened");
        try (PassthroughFixture off = new PassthroughFixture(share, PassthroughOptions.defaults())) {
            assertEquals(Errno.EPERM, off.client.send(FuseRequest.of(FuseOpcode.MKNOD, 1)
                    .struct(16, (s, o) -> new FuseDirs.MknodIn(Sys.S_IFCHR | 0600, (1 << 8) | 3, 0).encode(s, o)).name("c2")).error(),
                    "device nodes are off by default");
            assertFalse(Files.exists(share.resolve("c2")));
        }
        assertEquals(Errno.EPERM, mknod(USER, "c3", Sys.S_IFCHR | 0600, (1 << 8) | 3).error(), "and need CAP_MKNOD of the caller");
    }

    private int writeAs(int uid, long node, long fh, int writeFlags) {
        return c.send(FuseRequest.of(FuseOpcode.WRITE, node).caller(uid, uid == 0 ? 0 : GROUP)
                .struct(40, (s, o) -> new FuseFileIo.WriteIn(fh, 0, 1, writeFlags, 0, 0).encode(s, o)).bytes(new byte[]{'x'})).error();
    }

    /** Finding 7: a write by a non-owner, or with FUSE_WRITE_KILL_SUIDGID, kills set-ID bits; root without it keeps them. */
    @Test
    void writesKillSetIdBitsAsTheKernelWould() throws IOException {
        Path p = Files.writeString(share.resolve("suid"), "0");
        Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        long node = c.lookup(1, "suid").nodeid();
        long fh = c.open(node, Sys.O_RDWR);
        Sys.fchmodat(Sys.AT_FDCWD, p.toString().getBytes(), 06777, 0);
        assertEquals(0, writeAs(0, node, fh, 0));
        assertEquals(06777, mode(p) & 07777, "root (CAP_FSETID) keeps them, as on a local file system");
        assertEquals(0, writeAs(0, node, fh, PassthroughFileSystem.WRITE_KILL_SUIDGID));
        assertEquals(0777, mode(p) & 07777, "FUSE_WRITE_KILL_SUIDGID: the writer has no CAP_FSETID");
        Sys.fchmodat(Sys.AT_FDCWD, p.toString().getBytes(), 06777, 0);
        assertEquals(0, writeAs(USER, node, fh, 0));
        assertEquals(0777, mode(p) & 07777, "a non-owner's write: the host kernel kills them (fsuid " + USER + ")");
        // SETATTR(size) with FATTR_KILL_SUIDGID
        Sys.fchmodat(Sys.AT_FDCWD, p.toString().getBytes(), 06777, 0);
        FuseAttrs.SetattrIn in = PassthroughFixture.attrs(FuseAttrs.FATTR_SIZE | FuseAttrs.FATTR_KILL_SUIDGID, 0, 0, 0, 0, 0, 0, 0);
        f.setattr(node, in).ok();
        assertEquals(0777, mode(p) & 07777, "FATTR_KILL_SUIDGID on truncate");
    }

    @Test
    void xattrsOffByDefaultAndSecurityTrustedRefused() throws Exception {
        assertFalse(PassthroughOptions.defaults().xattr(), "off by default, for the device and the daemon");
        Path p = Files.writeString(share.resolve("x"), "x");
        long node = c.lookup(1, "x").nodeid();
        for (String name : new String[]{"security.capability", "trusted.overlay.opaque"}) {
            assertEquals(Errno.EPERM, c.send(FuseRequest.of(FuseOpcode.SETXATTR, node)
                    .struct(8, (s, o) -> new FuseMisc.SetxattrIn(1, 0).encodeCompat(s, o)).name(name).bytes(new byte[]{1})).error(), name);
        }
        // one set on the host is neither read nor listed
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            Sys.setxattr(p.toString().getBytes(), "trusted.host".getBytes(), a.allocate(1), 0);
        }
        assertEquals(Errno.ENODATA, c.send(FuseRequest.of(FuseOpcode.GETXATTR, node)
                .struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o)).name("trusted.host")).error());
        byte[] list = c.send(FuseRequest.of(FuseOpcode.LISTXATTR, node).struct(8, (s, o) -> new FuseMisc.GetxattrIn(4096).encode(s, o)))
                .ok().args().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertFalse(new String(list).contains("trusted."), new String(list));
    }

    @Test
    void servingThreadsKeepOnlyTheCapabilitiesServingNeeds() throws Exception {
        long[] caps = new long[2];
        Thread t = Thread.ofPlatform().start(() -> {
            caps[0] = Credentials.effectiveCapabilities();
            Credentials.dropCapabilities(Credentials.SERVING_CAPS);
            caps[1] = Credentials.effectiveCapabilities();
        });
        t.join();
        assertTrue((caps[0] & Credentials.bit(Credentials.CAP_SYS_ADMIN)) != 0, "root starts with CAP_SYS_ADMIN");
        assertEquals(0, caps[1] & ~Credentials.SERVING_CAPS, "nothing beyond the serving set: " + Long.toHexString(caps[1]));
        assertEquals(Credentials.SERVING_CAPS, caps[1]);
        assertTrue((Credentials.effectiveCapabilities() & Credentials.bit(Credentials.CAP_SYS_ADMIN)) != 0,
                "other threads are untouched (capset acts on the calling thread)");
    }
}
