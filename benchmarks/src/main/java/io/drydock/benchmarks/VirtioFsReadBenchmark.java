package io.drydock.benchmarks;

import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.virtiofs.device.VirtioFsConfig;
import io.drydock.virtiofs.device.VirtioFsGuest;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * FUSE_READ through the whole virtio-fs device, as a guest drives it (plugin-virtiofs's test guest): a
 * descriptor chain on request queue 1 (request readable, 16-byte header + data writable), the notification,
 * the request copied in, the server {@code preadv}ing from the host file straight into guest RAM, the used
 * ring and the interrupt decision. Inline mode (the deterministic mode), so one op is one complete request.
 * MB/s = size / (ns/op) × 1000.
 */
public class VirtioFsReadBenchmark extends AbstractMicrobenchmark {
    @Param({"4096", "1048576"})
    public int size;

    private Path dir;
    private VirtioFsGuest guest;
    private VirtqueueDriver q;
    private long request, requestLength, header, data;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = directoryWithFile("drydock-virtiofs-bench", "data", 4 << 20);
        guest = new VirtioFsGuest(new VirtioFsConfig("bench", dir, 1, 256, PassthroughOptions.defaults(), true)).start();
        guest.init();
        long node = FuseAttrs.EntryOut.decode(MemorySegment.ofArray(
                guest.send(FuseRequest.of(FuseOpcode.LOOKUP, 1).name("data"), 4096).payload()), 0).nodeid();
        long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(guest.send(FuseRequest.of(FuseOpcode.OPEN, node)
                .struct(8, (s, o) -> new FuseFileIo.OpenIn(0, 0).encode(s, o)), 4096).payload()), 0).fh();
        q = guest.requests;
        try (Arena arena = Arena.ofConfined()) {
            byte[] read = FuseRequest.of(FuseOpcode.READ, node).unique(1 << 20)
                    .struct(40, (s, o) -> new FuseFileIo.ReadIn(fh, 0, size, 0, 0, 0).encode(s, o))
                    .build(arena).toArray(ValueLayout.JAVA_BYTE);
            request = q.allocWith(read);
            requestLength = read.length;
        }
        header = q.alloc(16);
        data = q.alloc(1 << 20);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        guest.close();
        deleteTree(dir);
    }

    /** One READ of {@code size} bytes; returns the used length (header + data). */
    @Benchmark
    public int read() {
        q.add(Buf.in(request, (int) requestLength), Buf.out(header, 16), Buf.out(data, size));
        guest.core.notify(1);
        List<VirtqueueDriver.Used> used = q.pollUsed();
        if (used.size() != 1 || used.getFirst().len() != 16 + size) throw new IllegalStateException("READ failed: " + used);
        return used.getFirst().len();
    }
}
