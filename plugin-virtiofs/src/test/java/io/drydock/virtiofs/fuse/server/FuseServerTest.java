package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseMisc;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.abi.Le;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.FuseName;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's decoding, validation and negotiation, against small in-memory file systems. */
class FuseServerTest {
    /** Records what it is called with; answers LOOKUP, READ, GETXATTR. */
    static final class Recorder implements FuseFileSystem {
        final List<String> calls = new ArrayList<>();

        @Override public FuseAttrs.EntryOut lookup(FuseContext c, long parent, FuseName name) {
            calls.add("lookup " + parent + " " + name);
            return new FuseAttrs.EntryOut(42, 0, 1, 0, 1, 0, new FuseAttrs.Attr(42, 0, 0, 0, 0, 0, 0, 0, 0, 0100644, 1, 0, 0, 0, 4096, 0));
        }

        @Override public long read(FuseContext c, long nodeid, long fh, long offset, int size, List<MemorySegment> dst) {
            calls.add("read " + fh + " " + offset + " " + size);
            long n = Math.min(size, 10);
            for (int i = 0; i < n; i++) dst.getFirst().set(ValueLayout.JAVA_BYTE, i, (byte) ('a' + i));
            return n;
        }

        @Override public byte[] getxattr(FuseContext c, long nodeid, byte[] name) { return "value".getBytes(); }

        @Override public void forget(long nodeid, long nlookup) { calls.add("forget " + nodeid + " " + nlookup); }

        @Override public void batchForget(List<FuseMisc.ForgetOne> items) { calls.add("batch " + items); }

        @Override public void unlink(FuseContext c, long parent, FuseName name) throws IOException {
            throw new IllegalStateException("a bug in the file system");
        }
    }

    private final Recorder fs = new Recorder();
    private final FuseStats stats = new FuseStats();
    private final FuseTestClient client = new FuseTestClient(new FuseServer(fs, FuseServerConfig.defaults(), null, stats));
    private final Arena arena = Arena.ofConfined();

    @AfterEach void close() { client.close(); arena.close(); }

    @Test
    void negotiatesInit() {
        FuseInit.InitOut out = client.init();
        assertEquals(7, out.major());
        assertEquals(38, out.minor(), "min(client 45, server 38)");
        assertEquals(1 << 20, out.maxWrite());
        assertEquals(256, out.maxPages());
        assertEquals(1 << 17, out.maxReadahead(), "min(client 128 KiB, server 1 MiB)");
        assertEquals(1, out.timeGran());
        assertTrue((out.flags() & FuseInit.INIT_EXT) != 0);
        assertTrue((out.flags() & FuseInit.MAX_PAGES) != 0);
        assertEquals(0, out.flags() & FuseInit.MAP_ALIGNMENT, "no DAX window, no map_alignment");
        assertEquals(0, out.flags() & FuseInit.WRITEBACK_CACHE, "not asked for");
        assertEquals(0, out.mapAlignment());
        assertEquals(38, client.server().session().minor());
    }

    @Test
    void initOfferingOnlyCompatStructAndFewFlags() {
        FuseTestClient.Reply r = client.send(FuseRequest.of(FuseOpcode.INIT, 0).struct(16,
                (s, o) -> { Le.u32(s, o, 7); Le.u32(s, o + 4, 32); Le.u32(s, o + 8, 4096); Le.u32(s, o + 12, (int) FuseInit.MAP_ALIGNMENT); })).ok();
        FuseInit.InitOut out = FuseInit.InitOut.decode(r.args(), 0);
        assertEquals(32, out.minor(), "OSv speaks 7.32");
        assertEquals(0, out.flags(), "nothing both sides offered");
    }

    @Test
    void refusesOldMinorAndAnswersNewerMajor() {
        FuseTestClient.Reply old = client.send(FuseRequest.of(FuseOpcode.INIT, 0).struct(64, (s, o) -> new FuseInit.InitIn(7, 30, 0, 0).encode(s, o)));
        assertEquals(71, old.error(), "EPROTO");
        FuseTestClient.Reply newer = client.send(FuseRequest.of(FuseOpcode.INIT, 0).struct(64, (s, o) -> new FuseInit.InitIn(8, 0, 0, 0).encode(s, o))).ok();
        assertEquals(7, FuseInit.InitOut.decode(newer.args(), 0).major());
        assertNull(client.server().session(), "waits for a new INIT");
    }

    @Test
    void everythingButInitBeforeInitIsEio() {
        assertEquals(Errno.EIO, client.lookupReply(1, "a").error());
        assertTrue(fs.calls.isEmpty());
    }

    @Test
    void rejectsShortInconsistentAndOversizeRequests() {
        client.init();
        MemorySegment out = arena.allocate(4096);
        assertInstanceOf(FuseOutcome.Dropped.class, client.server().handle(arena.allocate(39), new SegmentSink(out)));

        MemorySegment req = FuseRequest.of(FuseOpcode.LOOKUP, 1).unique(77).name("a").build(arena);
        Le.u32(req, 0, (int) req.byteSize() + 1); // header claims a byte more than there is
        FuseOutcome o = client.server().handle(req, new SegmentSink(out));
        assertEquals(new FuseOutcome.Replied(16, Errno.EINVAL), o);
        assertEquals(77, Le.u64(out, 8));

        Le.u32(req, 0, (int) req.byteSize());
        Le.u16(req, 36, 100); // 800 bytes of extensions in a 42-byte request
        assertEquals(new FuseOutcome.Replied(16, Errno.EINVAL), client.server().handle(req, new SegmentSink(out)));

        long big = client.server().config().maxRequestSize() + 1;
        MemorySegment huge = arena.allocate(big);
        new FuseHeaders.InHeader((int) big, FuseOpcode.WRITE.code(), 5, 1, 0, 0, 0, 0).encode(huge, 0);
        assertEquals(new FuseOutcome.Replied(16, Errno.EINVAL), client.server().handle(huge, new SegmentSink(out)));

        assertInstanceOf(FuseOutcome.Dropped.class, client.server().handle(
                FuseRequest.of(FuseOpcode.LOOKUP, 1).name("a").build(arena), new SegmentSink(arena.allocate(15))));
        assertTrue(fs.calls.isEmpty(), "nothing reached the file system");
    }

    @Test
    void unknownOpcodesAndUnimplementedOperationsAreEnosys() {
        client.init();
        assertEquals(Errno.ENOSYS, client.send(FuseRequest.raw(7, 1)).error());
        assertEquals(Errno.ENOSYS, client.send(FuseRequest.raw(999, 1)).error());
        assertEquals(Errno.ENOSYS, client.send(FuseRequest.of(FuseOpcode.GETLK, 1).bytes(new byte[48])).error());
        assertEquals(Errno.ENOSYS, client.simple(FuseOpcode.RMDIR, 1, "x").error(), "FuseFileSystem default");
        assertEquals(Errno.ENOSYS, client.send(FuseRequest.of(FuseOpcode.SETUPMAPPING, 1).bytes(new byte[40])).error(), "no DAX window");
        assertEquals(2, stats.unknownOpcodes().requests());
    }

    @Test
    void validatesNames() {
        client.init();
        assertEquals(Errno.EINVAL, client.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).bytes("abc".getBytes())).error(), "no NUL");
        assertEquals(Errno.EINVAL, client.lookupReply(1, "sub/../../x").error());
        assertEquals(Errno.EINVAL, client.lookupReply(1, "..").error());
        assertEquals(Errno.EINVAL, client.lookupReply(1, ".").error());
        assertEquals(Errno.EINVAL, client.lookupReply(1, "").error());
        assertEquals(Errno.ENAMETOOLONG, client.lookupReply(1, "n".repeat(256)).error());
        assertTrue(fs.calls.isEmpty());
        assertEquals(42, client.lookup(1, "n".repeat(255)).nodeid());
        assertEquals(List.of("lookup 1 " + "n".repeat(255)), fs.calls);
    }

    @Test
    void readGoesStraightIntoTheReplyAndSizesAreChecked() {
        client.init();
        assertArrayEquals("abcdefghij".getBytes(), client.read(5, 9, 100, 4096));
        assertEquals(List.of("read 9 100 4096"), fs.calls);
        assertEquals(Errno.EINVAL, client.readReply(5, 9, 0, (1 << 20) + 1).error(), "over max_read");
        assertEquals(Errno.EINVAL, client.send(FuseRequest.of(FuseOpcode.READ, 5)
                .struct(40, (s, o) -> new FuseFileIo.ReadIn(9, 0, 8192, 0, 0, 0).encode(s, o)), 4096).error(), "reply buffer too small");
        assertEquals(Errno.EINVAL, client.send(FuseRequest.of(FuseOpcode.WRITE, 5)
                .struct(40, (s, o) -> new FuseFileIo.WriteIn(9, 0, 100, 0, 0, 0).encode(s, o)).bytes(new byte[99])).error(),
                "size says 100, 99 bytes follow");
        assertEquals(Errno.EINVAL, client.send(FuseRequest.of(FuseOpcode.READ, 5).bytes(new byte[39])).error(), "short fuse_read_in");
    }

    @Test
    void xattrSizeProtocol() {
        client.init();
        FuseTestClient.Reply size = client.send(FuseRequest.of(FuseOpcode.GETXATTR, 1)
                .struct(8, (s, o) -> new FuseMisc.GetxattrIn(0).encode(s, o)).name("user.a")).ok();
        assertEquals(5, FuseMisc.GetxattrOut.decode(size.args(), 0).size());
        assertEquals(Errno.ERANGE, client.send(FuseRequest.of(FuseOpcode.GETXATTR, 1)
                .struct(8, (s, o) -> new FuseMisc.GetxattrIn(4).encode(s, o)).name("user.a")).error());
        assertArrayEquals("value".getBytes(), client.send(FuseRequest.of(FuseOpcode.GETXATTR, 1)
                .struct(8, (s, o) -> new FuseMisc.GetxattrIn(64).encode(s, o)).name("user.a")).ok().args().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void forgetsTakeNoReplyAndBatchCountsAreChecked() {
        client.init();
        assertInstanceOf(FuseOutcome.NoReply.class, client.sendNoReply(FuseRequest.of(FuseOpcode.FORGET, 42)
                .struct(8, (s, o) -> new FuseMisc.ForgetIn(3).encode(s, o))));
        assertInstanceOf(FuseOutcome.NoReply.class, client.sendNoReply(FuseRequest.of(FuseOpcode.BATCH_FORGET, 0)
                .struct(8, (s, o) -> new FuseMisc.BatchForgetIn(2).encode(s, o))
                .struct(16, (s, o) -> new FuseMisc.ForgetOne(5, 1).encode(s, o))
                .struct(16, (s, o) -> new FuseMisc.ForgetOne(6, 2).encode(s, o))));
        assertInstanceOf(FuseOutcome.NoReply.class, client.sendNoReply(FuseRequest.of(FuseOpcode.BATCH_FORGET, 0)
                .struct(8, (s, o) -> new FuseMisc.BatchForgetIn(1000).encode(s, o))));
        assertEquals(List.of("forget 42 3", "batch [ForgetOne[nodeid=5, nlookup=1], ForgetOne[nodeid=6, nlookup=2]]"), fs.calls);
    }

    @Test
    void aFileSystemBugBecomesEio() {
        client.init();
        assertEquals(Errno.EIO, client.simple(FuseOpcode.UNLINK, 1, "x").error());
        assertEquals(Errno.EIO, client.simple(FuseOpcode.UNLINK, 1, "x").error(), "and again, logged only once");
        assertEquals(2, stats.totals(FuseOpcode.UNLINK).errors());
    }

    @Test
    void readOnlyDecoratorRefusesChanges() {
        FuseTestClient ro = new FuseTestClient(new FuseServer(new ReadOnlyFileSystem(fs)));
        ro.init();
        assertEquals(Errno.EROFS, ro.mkdirReply(1, "d", 0755).error());
        assertEquals(Errno.EROFS, ro.openReply(42, 2).error(), "O_RDWR");
        assertEquals(Errno.EROFS, ro.createReply(1, "f", 1, 0644).error());
        assertEquals(42, ro.lookup(1, "f").nodeid(), "reads pass through");
        ro.close();
    }

    @Test
    void daxWindowGetsDecodedRequests() {
        AtomicReference<Object> seen = new AtomicReference<>();
        DaxWindow dax = new DaxWindow() {
            @Override public void setupMapping(FuseContext c, long nodeid, FuseDax.SetupmappingIn r, FileOpener files) { seen.set(r); }
            @Override public void removeMapping(FuseContext c, List<FuseDax.RemovemappingOne> ranges) { seen.set(ranges); }
        };
        FuseTestClient d = new FuseTestClient(new FuseServer(fs, FuseServerConfig.defaults(), dax, null));
        FuseInit.InitOut out = d.init(FuseInit.MAP_ALIGNMENT); // virtio-fs with a DAX window offers it
        assertTrue((out.flags() & FuseInit.MAP_ALIGNMENT) != 0);
        assertEquals(12, out.mapAlignment());
        d.send(FuseRequest.of(FuseOpcode.SETUPMAPPING, 5).struct(40, (s, o) -> new FuseDax.SetupmappingIn(-1, 2 << 21, 2 << 20, 2, 4 << 20).encode(s, o))).ok();
        assertEquals(new FuseDax.SetupmappingIn(-1, 2 << 21, 2 << 20, 2, 4 << 20), seen.get());
        d.send(FuseRequest.of(FuseOpcode.REMOVEMAPPING, 0).struct(4, (s, o) -> new FuseDax.RemovemappingIn(1).encode(s, o))
                .struct(16, (s, o) -> new FuseDax.RemovemappingOne(4 << 20, 2 << 20).encode(s, o))).ok();
        assertEquals(List.of(new FuseDax.RemovemappingOne(4 << 20, 2 << 20)), seen.get());
        assertEquals(Errno.EINVAL, d.send(FuseRequest.of(FuseOpcode.REMOVEMAPPING, 0).struct(4, (s, o) -> new FuseDax.RemovemappingIn(2).encode(s, o))
                .struct(16, (s, o) -> new FuseDax.RemovemappingOne(0, 1).encode(s, o))).error(), "count says 2, one follows");
        d.close();
    }
}
