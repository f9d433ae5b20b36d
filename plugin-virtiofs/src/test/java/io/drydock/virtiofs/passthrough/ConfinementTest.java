package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
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
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static io.drydock.virtiofs.passthrough.PassthroughFixture.attrs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks a hostile client can make on the export: each must fail without reading, writing or revealing
 * anything outside the shared directory. "outside" is a sibling directory standing in for the host.
 */
class ConfinementTest {
    @TempDir Path tmp;
    Path share, outside, secret;
    PassthroughFixture f;
    FuseTestClient c;

    @BeforeEach
    void start() throws IOException {
        share = Files.createDirectory(tmp.resolve("share"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "host secret");
        f = new PassthroughFixture(share, PassthroughOptions.defaults().withXattr(true));
        c = f.client;
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
        assertEquals("host secret", Files.readString(secret), "the host file is never changed");
        assertEquals(List.of("secret"), Files.list(outside).map(p -> p.getFileName().toString()).toList(), "nothing created outside");
    }

    @Test
    void symlinkToEtcIsNeverFollowed() throws IOException {
        Files.createSymbolicLink(share.resolve("etc"), Path.of("/etc"));
        EntryOut l = c.lookup(1, "etc");
        assertEquals(Sys.S_IFLNK, l.attr().mode() & Sys.S_IFMT, "LOOKUP returns the link itself");
        assertEquals(Errno.ENOTDIR, c.lookupReply(l.nodeid(), "passwd").error(), "LOOKUP under a symlink's nodeid fails");
        assertEquals(Errno.EACCES, c.openReply(l.nodeid(), Sys.O_RDONLY).error(), "a symlink is never opened");
        assertEquals(Errno.ENOTDIR, c.send(FuseRequest.of(FuseOpcode.OPENDIR, l.nodeid()).struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o))).error());
        assertEquals(Errno.ENOTDIR, c.mkdirReply(l.nodeid(), "x", 0755).error());
        assertArrayEquals("/etc".getBytes(), c.send(FuseRequest.of(FuseOpcode.READLINK, l.nodeid())).ok().args().toArray(ValueLayout.JAVA_BYTE),
                "READLINK returns the absolute target verbatim");
    }

    @Test
    void relativeSymlinkUpwardsAndDotDotNames() throws IOException {
        Files.createSymbolicLink(share.resolve("up"), Path.of("../outside"));
        long up = c.lookup(1, "up").nodeid();
        assertEquals(Errno.ENOTDIR, c.lookupReply(up, "secret").error());
        assertEquals(Errno.EINVAL, c.lookupReply(1, "..").error(), "'..' at the root");
        assertEquals(Errno.EINVAL, c.lookupReply(1, "sub/../../outside").error());
        assertEquals(Errno.EINVAL, c.lookupReply(1, "../outside/secret").error());
        Files.createDirectory(share.resolve("sub"));
        assertEquals(Errno.EINVAL, c.lookupReply(c.lookup(1, "sub").nodeid(), "..").error());
        assertEquals(Errno.EINVAL, c.createReply(1, "../outside/new", Sys.O_RDWR, 0100644).error());
        assertEquals(Errno.EINVAL, c.send(FuseRequest.of(FuseOpcode.SYMLINK, 1).name("a/b").name("x")).error());
    }

    @Test
    void directorySwappedForSymlinkBetweenLookupAndOpen() throws IOException {
        Path d = Files.createDirectory(share.resolve("d"));
        Files.writeString(d.resolve("inside"), "in");
        long node = c.lookup(1, "d").nodeid();
        Files.move(d, share.resolve("d-moved"));
        Files.createSymbolicLink(share.resolve("d"), outside);      // the swap
        assertEquals(List.of(".", "..", "inside"), c.list(node, false, 4096).stream().sorted().toList(),
                "the nodeid still means the directory that was looked up");
        assertEquals(Errno.ENOENT, c.lookupReply(node, "secret").error());
        c.create(node, "created", Sys.O_RDWR, 0100644);
        assertTrue(Files.exists(share.resolve("d-moved/created")));
        EntryOut now = c.lookup(1, "d");
        assertEquals(Sys.S_IFLNK, now.attr().mode() & Sys.S_IFMT);
    }

    @Test
    void fileSwappedForSymlinkBetweenLookupAndOpen() throws IOException {
        Files.writeString(share.resolve("f"), "mine");
        long node = c.lookup(1, "f").nodeid();
        Files.delete(share.resolve("f"));
        Files.createSymbolicLink(share.resolve("f"), secret);
        long fh = c.open(node, Sys.O_RDWR);
        assertArrayEquals("mine".getBytes(), c.read(node, fh, 0, 100), "the looked-up (now unlinked) inode, not the secret");
        c.writeReply(node, fh, 0, "XXXX".getBytes()).ok();
    }

    @Test
    void createThroughAPlantedSymlinkFails() throws IOException {
        Files.createSymbolicLink(share.resolve("plant"), secret);
        assertEquals(Errno.ELOOP, c.createReply(1, "plant", Sys.O_RDWR | Sys.O_TRUNC, 0100644).error(), "O_NOFOLLOW on the final component");
        assertEquals(Errno.EEXIST, c.createReply(1, "plant", Sys.O_RDWR | Sys.O_EXCL, 0100644).error());
        assertEquals(Errno.EEXIST, c.mkdirReply(1, "plant", 0755).error());
        long l = c.lookup(1, "plant").nodeid();
        assertEquals(Errno.EOPNOTSUPP, f.setattr(l, attrs(FuseAttrs.FATTR_MODE, 0, 0777, 0, 0, 0, 0, 0)).error());
        assertEquals(Errno.EINVAL, f.setattr(l, attrs(FuseAttrs.FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0)).error());
        FileTime before = Files.getLastModifiedTime(secret);
        f.setattr(l, attrs(FuseAttrs.FATTR_MTIME, 0, 0, 0, 0, 0, 12345, 0)).ok();
        assertEquals(before, Files.getLastModifiedTime(secret), "utimes changed the link, not its target");
        assertEquals(FileTime.fromMillis(12_345_000), Files.getLastModifiedTime(share.resolve("plant"), LinkOption.NOFOLLOW_LINKS));
        f.setattr(l, attrs(FuseAttrs.FATTR_UID, 0, 0, 4321, 0, 0, 0, 0)).ok();
        assertEquals(0, (int) Files.getAttribute(secret, "unix:uid"), "chown changed the link only");
        assertEquals(Errno.ENODATA, c.send(FuseRequest.of(FuseOpcode.GETXATTR, l).struct(8, (s, o) -> new FuseMisc.GetxattrIn(100).encode(s, o)).name("user.x")).error());
        assertEquals(Errno.EPERM, c.send(FuseRequest.of(FuseOpcode.SETXATTR, l).struct(8, (s, o) -> new FuseMisc.SetxattrIn(1, 0).encodeCompat(s, o)).name("user.x").bytes(new byte[]{1})).error());
        // LINK of the symlink's nodeid links the symlink itself, never its target
        c.send(FuseRequest.of(FuseOpcode.LINK, 1).struct(8, (s, o) -> Le64.put(s, o, l)).name("plant2")).ok();
        assertTrue(Files.isSymbolicLink(share.resolve("plant2")));
        assertEquals(1, (int) Files.getAttribute(secret, "unix:nlink"));
    }

    @Test
    void absoluteSymlinkMadeByTheClientIsStoredVerbatimAndNeverFollowed() throws IOException {
        EntryOut l = EntryOut.decode(c.send(FuseRequest.of(FuseOpcode.SYMLINK, 1).name("abs").name(secret.toString())).ok().args(), 0);
        assertEquals(secret, Files.readSymbolicLink(share.resolve("abs")));
        assertArrayEquals(secret.toString().getBytes(), c.send(FuseRequest.of(FuseOpcode.READLINK, l.nodeid())).ok().args().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Errno.EACCES, c.openReply(l.nodeid(), Sys.O_RDWR | Sys.O_TRUNC).error());
        assertEquals(Errno.EINVAL, f.setattr(l.nodeid(), attrs(FuseAttrs.FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0)).error(), "no truncate through it");
    }

    @Test
    void deviceNodesAndFifosAreNeverOpened() throws IOException {
        try {
            Sys.mknodat(Sys.AT_FDCWD, share.resolve("null").toString().getBytes(), Sys.S_IFCHR | 0666, (1 << 8) | 3);
        } catch (io.drydock.kernel.sys.ErrnoException e) {
            Assumptions.abort("cannot make a device node here (" + e.getMessage() + "); needs CAP_MKNOD");
        }
        Sys.mknodat(Sys.AT_FDCWD, share.resolve("fifo").toString().getBytes(), Sys.S_IFIFO | 0666, 0);
        EntryOut dev = c.lookup(1, "null");
        assertEquals(Sys.S_IFCHR, dev.attr().mode() & Sys.S_IFMT, "visible, as a device node");
        assertEquals((1 << 8) | 3, dev.attr().rdev(), "rdev in new_encode_dev form");
        assertEquals(Errno.EACCES, c.openReply(dev.nodeid(), Sys.O_RDWR).error(), "CVE-2020-35517");
        assertEquals(Errno.EINVAL, f.setattr(dev.nodeid(), attrs(FuseAttrs.FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0)).error());
        assertEquals(Errno.EACCES, c.openReply(c.lookup(1, "fifo").nodeid(), Sys.O_RDONLY).error(), "a FIFO would block the server");
    }

    /**
     * A hard link placed in the share by someone on the host to a file outside it is the same inode: its
     * content is visible and writable through the share. This is accepted, as Rust virtiofsd accepts it:
     * making the link needed write access to the share on the host, and no path-based check can tell a
     * hard link from the original. The client cannot make such a link itself (LINK takes a nodeid, which
     * only names inodes already reachable inside the share).
     */
    @Test
    void hardLinkToAnOutsideFileMadeOnTheHostIsTheSameInode() throws IOException {
        Path other = Files.writeString(outside.resolve("linked"), "shared by the host");
        Files.createLink(share.resolve("hl"), other);
        EntryOut e = c.lookup(1, "hl");
        assertEquals((long) Files.getAttribute(other, "unix:ino"), e.attr().ino());
        assertEquals(2, e.attr().nlink());
        long fh = c.open(e.nodeid(), Sys.O_RDONLY);
        assertArrayEquals("shared by the host".getBytes(), c.read(e.nodeid(), fh, 0, 100));
        Files.delete(share.resolve("hl"));
        Files.delete(other);
    }

    @Test
    void foreignNodeidsAndHandlesAreRefused() throws IOException {
        Files.writeString(share.resolve("a"), "a");
        Files.writeString(share.resolve("b"), "b");
        long a = c.lookup(1, "a").nodeid(), b = c.lookup(1, "b").nodeid();
        long fhA = c.open(a, Sys.O_RDONLY);
        assertEquals(Errno.EBADF, c.readReply(b, fhA, 0, 10).error(), "a handle belongs to its nodeid");
        assertEquals(116, c.lookupReply(123456, "a").error(), "ESTALE: never-issued nodeid");
        assertFalse(Files.exists(share.resolve("x")));
    }

    /** Writes a little-endian u64 (fuse_link_in.oldnodeid). */
    private static final class Le64 {
        static void put(java.lang.foreign.MemorySegment s, long o, long v) { io.drydock.virtiofs.fuse.abi.Le.u64(s, o, v); }
    }
}
