package io.drydock.benchmarks;

import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.kernel.testing.RecordingControl;
import io.drydock.kernel.testing.TestLine;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.kernel.virtio.VirtioCore;
import io.drydock.kernel.virtio.VirtioStatus;
import io.drydock.virtiofs.device.VirtioFsConfig;
import io.drydock.virtiofs.device.VirtioFsDevice;
import io.drydock.virtiofs.fuse.FuseAttrs;
import io.drydock.virtiofs.fuse.FuseFileIo;
import io.drydock.virtiofs.fuse.FuseHeaders;
import io.drydock.virtiofs.fuse.FuseInit;
import io.drydock.virtiofs.fuse.FuseOpcode;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * FUSE_READ through the whole virtio-fs device, as a guest drives it: a descriptor chain on request queue 1
 * (request readable, 16-byte header + data writable), the notification, the request copied in, the server
 * {@code preadv}ing from the host file straight into guest RAM, the used ring and the interrupt decision.
 * Inline mode (the deterministic mode), so one op is one complete request. MB/s = size / (ns/op) × 1000.
 */
public class VirtioFsReadBenchmark extends AbstractMicrobenchmark {
    private static final long RAM = FakeGuestMemory.DRAM_BASE;

    @Param({"4096", "1048576"})
    public int size;

    private Path dir;
    private FakeGuestMemory ram;
    private VirtioCore core;
    private VirtqueueDriver q;
    private long readRequest, readRequestLen, header, data;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("drydock-virtiofs-bench");
        byte[] content = new byte[4 << 20];
        new Random(1).nextBytes(content);
        Files.write(dir.resolve("data"), content);
        ram = new FakeGuestMemory(RAM, 64L << 20);
        VirtioFsDevice device = new VirtioFsDevice(new VirtioFsConfig("bench", dir, 1, 256,
                PassthroughOptions.defaults(), true), new MetricsRegistry());
        core = new VirtioCore(device, "virtio-fs", ram.memory(), new TestLine(), ram.metrics(), new RecordingControl());
        VirtqueueDriver hiprio = new VirtqueueDriver(ram.memory(), 16, RAM + 0x1000, RAM + 0x10_0000, 0x10_0000);
        q = new VirtqueueDriver(ram.memory(), 256, RAM + 0x8000, RAM + 0x40_0000, 0x3b0_0000);
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
        long f = core.offeredFeatures();
        core.setDriverFeatures(0, (int) f);
        core.setDriverFeatures(1, (int) (f >>> 32));
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK);
        program(0, hiprio);
        program(1, q);
        core.writeStatus(0x0f);
        header = q.alloc(16);
        data = q.alloc(1 << 20);

        send(request(FuseOpcode.INIT, 0, FuseInit.InitIn.SIZE, s -> new FuseInit.InitIn(7, 36, 1 << 17, 0).encode(s, 40)), 4096);
        byte[] lookup = nameRequest(FuseOpcode.LOOKUP, 1, "data");
        long node = FuseAttrs.EntryOut.decode(MemorySegment.ofArray(send(lookup, 4096)), FuseHeaders.OutHeader.SIZE).nodeid();
        byte[] open = request(FuseOpcode.OPEN, node, 8, s -> new FuseFileIo.OpenIn(0, 0).encode(s, 40));
        long fh = FuseFileIo.OpenOut.decode(MemorySegment.ofArray(send(open, 4096)), FuseHeaders.OutHeader.SIZE).fh();
        byte[] read = request(FuseOpcode.READ, node, 40, s -> new FuseFileIo.ReadIn(fh, 0, size, 0, 0, 0).encode(s, 40));
        readRequest = q.allocWith(read);
        readRequestLen = read.length;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        core.reset();
        ram.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One READ of {@code size} bytes; returns the used length (header + data). */
    @Benchmark
    public int read() {
        q.add(Buf.in(readRequest, (int) readRequestLen), Buf.out(header, 16), Buf.out(data, size));
        core.notify(1);
        List<VirtqueueDriver.Used> used = q.pollUsed();
        if (used.size() != 1 || used.getFirst().len() != 16 + size) throw new IllegalStateException("READ failed: " + used);
        return used.getFirst().len();
    }

    private void program(int index, VirtqueueDriver d) {
        core.setQueueSize(index, d.size());
        core.setQueueDesc(index, d.descAddr());
        core.setQueueAvail(index, d.availAddr());
        core.setQueueUsed(index, d.usedAddr());
        core.setQueueReady(index, true);
    }

    private byte[] send(byte[] request, int replySize) {
        long in = q.allocWith(request), out = q.alloc(replySize);
        q.add(Buf.in(in, request.length), Buf.out(out, replySize));
        core.notify(1);
        VirtqueueDriver.Used u = q.pollUsed().getFirst();
        byte[] reply = q.read(out, u.len());
        int error = java.nio.ByteBuffer.wrap(reply).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
        if (error != 0) throw new IllegalStateException("setup request failed with " + error);
        return reply;
    }

    private static byte[] request(FuseOpcode op, long node, int argSize, java.util.function.Consumer<MemorySegment> args) {
        MemorySegment s = MemorySegment.ofArray(new byte[FuseHeaders.InHeader.SIZE + argSize]);
        new FuseHeaders.InHeader((int) s.byteSize(), op.code(), 1, node, 0, 0, 0, 0).encode(s, 0);
        args.accept(s);
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] nameRequest(FuseOpcode op, long node, String name) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[FuseHeaders.InHeader.SIZE + n.length];
        new FuseHeaders.InHeader(b.length, op.code(), 1, node, 0, 0, 0, 0).encode(MemorySegment.ofArray(b), 0);
        System.arraycopy(n, 0, b, FuseHeaders.InHeader.SIZE, n.length);
        return b;
    }
}
