package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.AttrOut;
import io.drydock.virtiofs.fuse.abi.FuseAttrs.EntryOut;
import io.drydock.virtiofs.fuse.abi.FuseDirs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.transport.SegmentSink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plays the FUSE client against a {@link FuseServer} in memory, checking every reply's header. */
public final class FuseTestClient implements AutoCloseable {
    /** A decoded reply: errno (positive, 0 for success) and the argument bytes. */
    public record Reply(int error, MemorySegment args) {
        public Reply ok() {
            assertEquals(0, error, () -> "expected success, got " + Errno.describe(error));
            return this;
        }
    }

    private final FuseServer server;
    private final Arena arena = Arena.ofShared();
    private long unique = 100;
    /** Stress mode: one reply buffer and a per-request arena, so millions of requests use bounded memory. */
    private final MemorySegment reused;

    public FuseTestClient(FuseServer server) { this(server, false); }

    /**
     * @param reuse reuse one reply buffer for every request (a {@link Reply} is then only valid until the
     *              next request) and free each request's bytes after it: for stress tests
     */
    public FuseTestClient(FuseServer server, boolean reuse) {
        this.server = server;
        this.reused = reuse ? arena.allocate((1 << 20) + 4096, 4096) : null;
    }

    public FuseServer server() { return server; }

    public Reply send(FuseRequest r) { return send(r, (1 << 20) + 4096); }

    public Reply send(FuseRequest r, int replyCapacity) {
        r.unique(unique += 2);
        MemorySegment out = reused != null ? reused.asSlice(0, Math.min(replyCapacity, reused.byteSize()))
                : arena.allocate(replyCapacity, 4096);
        FuseOutcome o;
        if (reused != null) {
            try (Arena once = Arena.ofConfined()) {
                o = server.handle(r.build(once), new SegmentSink(out));
            }
        } else {
            o = server.handle(r.build(arena), new SegmentSink(out));
        }
        if (!(o instanceof FuseOutcome.Replied(long length, int error)))
            throw new AssertionError("no reply: " + o);
        FuseHeaders.OutHeader h = FuseHeaders.OutHeader.decode(out, 0);
        assertEquals(length, Integer.toUnsignedLong(h.len()), "out header len = reply length");
        assertEquals(r.unique(), h.unique(), "unique echoed");
        assertEquals(-error, h.error());
        assertTrue(error >= 0 && error < 4096);
        if (error != 0) assertEquals(16, length, "an error reply is a bare header");
        return new Reply(error, out.asSlice(16, length - 16));
    }

    public FuseOutcome sendNoReply(FuseRequest r) {
        if (reused != null) {
            try (Arena once = Arena.ofConfined()) {
                return server.handle(r.unique(unique += 2).build(once), new SegmentSink(reused.asSlice(0, 4096)));
            }
        }
        return server.handle(r.unique(unique += 2).build(arena), new SegmentSink(arena.allocate(4096)));
    }

    /** INIT as Linux 6.x on /dev/fuse does (7.45, its flags 0x73fffffb). */
    public FuseInit.InitOut init() { return init(0); }

    public FuseInit.InitOut init(long extraFlags) {
        Reply r = send(FuseRequest.of(FuseOpcode.INIT, 0).struct(FuseInit.InitIn.SIZE,
                (s, o) -> new FuseInit.InitIn(7, 45, 1 << 17, 0x73fffffbL | FuseInit.INIT_EXT | extraFlags).encode(s, o))).ok();
        return FuseInit.InitOut.decode(r.args(), 0);
    }

    public Reply lookupReply(long parent, String name) { return send(FuseRequest.of(FuseOpcode.LOOKUP, parent).name(name)); }

    public EntryOut lookup(long parent, String name) { return EntryOut.decode(lookupReply(parent, name).ok().args(), 0); }

    public AttrOut getattr(long node) {
        return AttrOut.decode(send(FuseRequest.of(FuseOpcode.GETATTR, node).struct(16, (s, o) -> new FuseAttrs.GetattrIn(0, 0).encode(s, o))).ok().args(), 0);
    }

    public int getattr_error(long node) {
        return send(FuseRequest.of(FuseOpcode.GETATTR, node).struct(16, (s, o) -> new FuseAttrs.GetattrIn(0, 0).encode(s, o))).error();
    }

    public Reply mkdirReply(long parent, String name, int mode) {
        return send(FuseRequest.of(FuseOpcode.MKDIR, parent).struct(8, (s, o) -> new FuseDirs.MkdirIn(mode, 0).encode(s, o)).name(name));
    }

    public Reply createReply(long parent, String name, int flags, int mode) {
        return send(FuseRequest.of(FuseOpcode.CREATE, parent)
                .struct(16, (s, o) -> new FuseFileIo.CreateIn(flags, mode, 0, 0).encode(s, o)).name(name));
    }

    /** CREATE: returns {nodeid, fh}. */
    public long[] create(long parent, String name, int flags, int mode) {
        Reply r = createReply(parent, name, flags, mode).ok();
        return new long[]{EntryOut.decode(r.args(), 0).nodeid(), FuseFileIo.OpenOut.decode(r.args(), 128).fh()};
    }

    public Reply openReply(long node, int flags) {
        return send(FuseRequest.of(FuseOpcode.OPEN, node).struct(8, (s, o) -> new FuseFileIo.OpenIn(flags, 0).encode(s, o)));
    }

    public long open(long node, int flags) { return FuseFileIo.OpenOut.decode(openReply(node, flags).ok().args(), 0).fh(); }

    public Reply writeReply(long node, long fh, long offset, byte[] data) {
        return send(FuseRequest.of(FuseOpcode.WRITE, node)
                .struct(40, (s, o) -> new FuseFileIo.WriteIn(fh, offset, data.length, 0, 0, 0).encode(s, o)).bytes(data));
    }

    public Reply readReply(long node, long fh, long offset, int size) {
        return send(FuseRequest.of(FuseOpcode.READ, node)
                .struct(40, (s, o) -> new FuseFileIo.ReadIn(fh, offset, size, 0, 0, 0).encode(s, o)));
    }

    public byte[] read(long node, long fh, long offset, int size) {
        return readReply(node, fh, offset, size).ok().args().toArray(ValueLayout.JAVA_BYTE);
    }

    public Reply release(long node, long fh, FuseOpcode op) {
        return send(FuseRequest.of(op, node).struct(24, (s, o) -> new FuseFileIo.ReleaseIn(fh, 0, 0, 0).encode(s, o)));
    }

    public Reply simple(FuseOpcode op, long node, String name) { return send(FuseRequest.of(op, node).name(name)); }

    /** OPENDIR + READDIR(PLUS) until empty + RELEASEDIR: every name. */
    public List<String> list(long dir, boolean plus, int size) {
        long fh = FuseFileIo.OpenOut.decode(send(FuseRequest.of(FuseOpcode.OPENDIR, dir)
                .struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o))).ok().args(), 0).fh();
        List<String> names = new ArrayList<>();
        long off = 0;
        while (true) {
            long offset = off;
            Reply r = send(FuseRequest.of(plus ? FuseOpcode.READDIRPLUS : FuseOpcode.READDIR, dir)
                    .struct(40, (s, o) -> new FuseFileIo.ReadIn(fh, offset, size, 0, 0, 0).encode(s, o))).ok();
            if (r.args().byteSize() == 0) break;
            long at = 0;
            while (at < r.args().byteSize()) {
                FuseDirs.Dirent d;
                if (plus) {
                    FuseDirs.DirentPlus p = FuseDirs.DirentPlus.decode(r.args(), at);
                    d = p.dirent();
                    at += FuseDirs.direntplusSize(d.name().length);
                } else {
                    d = FuseDirs.Dirent.decode(r.args(), at);
                    at += FuseDirs.direntSize(d.name().length);
                }
                names.add(new String(d.name(), StandardCharsets.UTF_8));
                off = d.off();
            }
        }
        release(dir, fh, FuseOpcode.RELEASEDIR).ok();
        return names;
    }

    @Override public void close() { arena.close(); }
}
