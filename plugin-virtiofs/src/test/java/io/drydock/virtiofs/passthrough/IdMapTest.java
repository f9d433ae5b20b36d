package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.filesystem.IdMap;
import io.drydock.virtiofs.fuse.filesystem.IdMappedFileSystem;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --translate-uid/--translate-gid}: the rules ({@link IdMap}) and their one place of use ({@link IdMappedFileSystem}). */
class IdMapTest {
    @TempDir Path tmp;

    @Test
    void rulesTranslateEachWayAndLeaveTheRestAlone() {
        IdMap m = IdMap.parse(List.of("map:1000:101000:100", "squash-guest:5000:65534:1000", "forbid-guest:0:1",
                "host:0:2000:1", "squash-host:200000:3000:10"));
        assertEquals(OptionalLong.of(101000), m.toHost(1000));
        assertEquals(OptionalLong.of(101099), m.toHost(1099));
        assertEquals(OptionalLong.of(1100), m.toHost(1100), "outside every range: unchanged");
        assertEquals(OptionalLong.of(65534), m.toHost(5999));
        assertEquals(OptionalLong.empty(), m.toHost(0), "forbidden");
        assertEquals(1000, m.toGuest(101000));
        assertEquals(65534, m.toGuest(65534), "a squash has no way back");
        assertEquals(2000, m.toGuest(0));
        assertEquals(3000, m.toGuest(200009));
        assertEquals(200010, m.toGuest(200010));
        assertEquals(-1, m.toGuest(-1), "(uid_t) -1 is never translated");
        assertEquals(OptionalLong.of(0xfffffffeL), IdMap.parse(List.of("map:4294967294:4294967294:1")).toHost(-2));
        assertSame(IdMap.IDENTITY, IdMap.parse(List.of()));
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        for (String[] c : new String[][]{
                {"map:1000:2000", "expected map:FROM:TO:COUNT"},
                {"forbid-guest:1:2:3", "expected forbid-guest:GUEST:COUNT"},
                {"map:x:2000:1", "'x' is not a number"},
                {"map:1:2:0", "1 or more IDs"},
                {"map:4294967295:1:1", "not an ID"},
                {"map:4294967290:1:10", "1 or more IDs below 4294967295"},
                {"map:1:4294967290:10", "passes 4294967294"},
                {"swap:1:2:3", "the kind must be"},
                {"map:-1:2:3", "out of range"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdMap.parse(List.of(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdMap.parse(List.of("map:1000:101000:100", "forbid-guest:1050:1")));
        assertTrue(e.getMessage().contains("overlaps that of map:1000:101000:100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdMap.parse(List.of("map:1:100:10", "host:105:7:1")), "host side overlaps");
    }

    private static int uid(Path p) throws IOException { return (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS); }

    private static int gid(Path p) throws IOException { return (int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS); }

    /** Guest 1000 is host 101000 both ways, guest 0 is forbidden: what the guest creates, sets and sees. */
    @Test
    void theServerRunsRequestsAsTheMappedHostIdsAndShowsGuestIds() throws Exception {
        assumeTrue(Credentials.switching(), "needs root: requests run with the (mapped) caller's fsuid");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));
        IdMap uids = IdMap.parse(List.of("map:1000:101000:10", "forbid-guest:0:1")), gids = IdMap.parse(List.of("map:1000:201000:10"));
        PassthroughFileSystem fs = PassthroughFileSystem.open(share.toString(), PassthroughOptions.defaults());
        try (FuseTestClient c = new FuseTestClient(new FuseServer(IdMappedFileSystem.of(fs, uids, gids), FuseServerConfig.defaults(), null, null))) {
            c.init();
            // CREATE by guest 1000:1000 makes a host file of 101000:201000, shown to the guest as 1000:1000
            FuseTestClient.Reply created = c.send(FuseRequest.of(FuseOpcode.CREATE, 1).caller(1000, 1000)
                    .struct(16, (s, o) -> new FuseFileIo.CreateIn(Sys.O_RDWR, 0100644, 0, 0).encode(s, o)).name("f")).ok();
            EntryOut e = EntryOut.decode(created.args(), 0);
            assertEquals(101000, uid(share.resolve("f")));
            assertEquals(201000, gid(share.resolve("f")));
            assertEquals(1000, e.attr().uid());
            assertEquals(1000, e.attr().gid());
            c.send(FuseRequest.of(FuseOpcode.MKDIR, 1).caller(1001, 1001).struct(8, (s, o) -> new FuseDirs.MkdirIn(0755, 0).encode(s, o)).name("d")).ok();
            assertEquals(101001, uid(share.resolve("d")));
            // a host file of an unmapped owner shows unchanged; GETATTR and READDIRPLUS translate the same way
            Files.writeString(share.resolve("host"), "h");
            Files.setAttribute(share.resolve("host"), "unix:uid", 4242);
            assertEquals(4242, EntryOut.decode(c.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).caller(1000, 1000).name("host")).ok().args(), 0).attr().uid());
            assertEquals(1000, FuseAttrs.AttrOut.decode(c.send(FuseRequest.of(FuseOpcode.GETATTR, e.nodeid()).caller(1000, 1000)
                    .struct(16, (s, o) -> s.asSlice(o, 16).fill((byte) 0))).ok().args(), 0).attr().uid());
            assertEquals(Errno.EPERM, c.getattr_error(e.nodeid()), "the test client's default caller is guest 0, which is forbidden");
            // chown (SETATTR as guest 1000, the owner, to guest gid 1001) sets the mapped host gid
            FuseAttrs.SetattrIn chgrp = PassthroughFixture.attrs(FuseAttrs.FATTR_GID, 0, 0, 0, 1001, 0, 0, 0);
            FuseTestClient.Reply r = c.send(FuseRequest.of(FuseOpcode.SETATTR, e.nodeid()).caller(1000, 1000).struct(88, (s, o) -> chgrp.encode(s, o)));
            assertEquals(Errno.EPERM, r.error(), "guest 1000 is not in host group 201001 (supplementary groups are dropped)");
            // guest 0 is forbidden: any request it makes, and any chown to it, is EPERM and changes nothing
            assertEquals(Errno.EPERM, c.send(FuseRequest.of(FuseOpcode.MKDIR, 1).caller(0, 0)
                    .struct(8, (s, o) -> new FuseDirs.MkdirIn(0755, 0).encode(s, o)).name("root-dir")).error());
            assertFalse(Files.exists(share.resolve("root-dir")));
            FuseAttrs.SetattrIn toRoot = PassthroughFixture.attrs(FuseAttrs.FATTR_UID, 0, 0, 0, 0, 0, 0, 0);
            assertEquals(Errno.EPERM, c.send(FuseRequest.of(FuseOpcode.SETATTR, e.nodeid()).caller(1000, 1000).struct(88, (s, o) -> toRoot.encode(s, o))).error());
            assertEquals(101000, uid(share.resolve("f")));
            // ... but a RELEASE from it still closes the handle
            long fh = FuseFileIo.OpenOut.decode(created.args(), EntryOut.SIZE).fh();
            int before = fs.openHandles();
            c.send(FuseRequest.of(FuseOpcode.RELEASE, e.nodeid()).caller(0, 0).struct(24, (s, o) -> {
                s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, o, fh);
                s.asSlice(o + 8, 16).fill((byte) 0);
            })).ok();
            assertEquals(before - 1, fs.openHandles());
            // READDIRPLUS: the entry of "f" carries guest 1000
            long dh = FuseFileIo.OpenOut.decode(c.send(FuseRequest.of(FuseOpcode.OPENDIR, 1).caller(1000, 1000)
                    .struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o))).ok().args(), 0).fh();
            FuseTestClient.Reply page = c.send(FuseRequest.of(FuseOpcode.READDIRPLUS, 1).caller(1000, 1000)
                    .struct(40, (s, o) -> new FuseFileIo.ReadIn(dh, 0, 8192, 0, 0, 0).encode(s, o))).ok();
            int seen = -1;
            for (long at = 0; at < page.args().byteSize(); ) {
                FuseDirs.DirentPlus d = FuseDirs.DirentPlus.decode(page.args(), at);
                if (new String(d.dirent().name()).equals("f")) seen = d.entry().attr().uid();
                at += FuseDirs.direntplusSize(d.dirent().name().length);
            }
            assertEquals(1000, seen, "READDIRPLUS shows the guest uid of f");
        } finally {
            fs.close();
        }
    }
}
