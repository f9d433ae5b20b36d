package io.drydock.benchmarks;

import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The FUSE server alone: decode, dispatch to the passthrough file system, encode — no transport. GETATTR
 * and LOOKUP measure the protocol path; READ of 4 KiB and 1 MiB (from the host page cache into a native
 * buffer with preadv) measure the data path. MB/s = size / (ns/op) × 1000.
 */
public class FuseServerBenchmark extends AbstractMicrobenchmark {
    private Path dir;
    private Arena arena;
    private FuseServer server;
    private PassthroughFileSystem fs;
    private SegmentSink sink;
    private MemorySegment getattr, lookup, read4k, read1m;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = directoryWithFile("drydock-fuse-bench", "data", 2 << 20);
        arena = Arena.ofShared();
        fs = PassthroughFileSystem.open(dir.toString(), PassthroughOptions.defaults());
        server = new FuseServer(fs, FuseServerConfig.defaults(), null, null);
        sink = new SegmentSink(arena.allocate((1 << 20) + 4096));
        handle(request(FuseOpcode.INIT, 0, FuseInit.InitIn.SIZE, s -> new FuseInit.InitIn(7, 38, 1 << 20, FuseInit.INIT_EXT).encode(s, 40)));
        getattr = request(FuseOpcode.GETATTR, 1, 16, s -> {});
        lookup = name(FuseOpcode.LOOKUP, 1, "data");
        long node = FuseAttrs.EntryOut.decode(replyArgs(handle(lookup)), 0).nodeid();
        MemorySegment open = request(FuseOpcode.OPEN, node, 8, s -> new FuseFileIo.OpenIn(0, 0).encode(s, 40));
        long fh = FuseFileIo.OpenOut.decode(replyArgs(handle(open)), 0).fh();
        read4k = request(FuseOpcode.READ, node, 40, s -> new FuseFileIo.ReadIn(fh, 8192, 4096, 0, 0, 0).encode(s, 40));
        read1m = request(FuseOpcode.READ, node, 40, s -> new FuseFileIo.ReadIn(fh, 0, 1 << 20, 0, 0, 0).encode(s, 40));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        fs.close();
        arena.close();
        deleteTree(dir);
    }

    @Benchmark public FuseOutcome getattr() { return server.handle(getattr, sink); }

    @Benchmark public FuseOutcome lookup() { return server.handle(lookup, sink); }

    @Benchmark public FuseOutcome read4KiB() { return server.handle(read4k, sink); }

    @Benchmark public FuseOutcome read1MiB() { return server.handle(read1m, sink); }

    private FuseOutcome handle(MemorySegment request) {
        FuseOutcome o = server.handle(request, sink);
        if (!(o instanceof FuseOutcome.Replied r) || r.error() != 0) throw new IllegalStateException("setup request failed: " + o);
        return o;
    }

    private MemorySegment replyArgs(FuseOutcome o) {
        return sink.buffer().asSlice(FuseHeaders.OutHeader.SIZE, ((FuseOutcome.Replied) o).length() - FuseHeaders.OutHeader.SIZE);
    }

    private MemorySegment request(FuseOpcode op, long node, int argSize, java.util.function.Consumer<MemorySegment> args) {
        MemorySegment s = arena.allocate(FuseHeaders.InHeader.SIZE + argSize);
        new FuseHeaders.InHeader((int) s.byteSize(), op.code(), 1, node, 0, 0, 0, 0).encode(s, 0);
        args.accept(s);
        return s;
    }

    private MemorySegment name(FuseOpcode op, long node, String name) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        MemorySegment s = arena.allocate(FuseHeaders.InHeader.SIZE + n.length);
        new FuseHeaders.InHeader((int) s.byteSize(), op.code(), 1, node, 0, 0, 0, 0).encode(s, 0);
        MemorySegment.copy(MemorySegment.ofArray(n), 0, s, FuseHeaders.InHeader.SIZE, n.length);
        return s;
    }
}
