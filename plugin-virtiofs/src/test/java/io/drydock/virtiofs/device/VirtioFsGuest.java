package io.drydock.virtiofs.device;

import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.kernel.testing.RecordingControl;
import io.drydock.kernel.testing.TestLine;
import io.drydock.kernel.testing.VirtqueueDriver;
import io.drydock.kernel.testing.VirtqueueDriver.Buf;
import io.drydock.kernel.virtio.VirtioCore;
import io.drydock.kernel.virtio.VirtioStatus;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseRequest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A guest's virtio-fs driver played by tests, over the transport-independent virtio core: it lays out the
 * hiprio queue and one request queue in fake guest RAM, brings the device up (virtio 1.2 §3.1.1), and sends
 * FUSE requests as descriptor chains — the request readable, the reply writable, split where asked.
 */
public final class VirtioFsGuest implements AutoCloseable {
    public static final long RAM = FakeGuestMemory.DRAM_BASE;

    /** A completed request: the used length and the reply as the guest sees it. */
    public record Reply(int usedLength, int error, long unique, byte[] payload) {
        public ByteBuffer args() { return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN); }
    }

    public final FakeGuestMemory ram;
    public final TestLine line = new TestLine();
    public final RecordingControl control = new RecordingControl();
    /** The in-process device, or null when another device (vhost-user) serves the guest. */
    public final VirtioFsDevice device;
    public final VirtioCore core;
    public VirtqueueDriver hiprio, requests;
    private final Arena arena = Arena.ofConfined();
    private long unique = 100;

    public VirtioFsGuest(VirtioFsConfig config) { this(config, null, 0); }

    /** With a DAX window of {@code daxSize} bytes from {@code dax} (placed by the test, as a transport would). */
    public VirtioFsGuest(VirtioFsConfig config, io.drydock.virtiofs.fuse.dax.DaxWindowFactory dax, long daxSize) {
        ram = new FakeGuestMemory(RAM, 64L << 20);
        try {
            device = new VirtioFsDevice(config, ram.metrics(), dax == null ? null
                    : dax.create(config.tag(), daxSize, 12, ram.bus(), ram.metrics()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        core = new VirtioCore(device, "virtio-fs", ram.memory(), line, ram.metrics(), control);
        layRings();
    }

    /** A guest of {@code other} (a vhost-user frontend device), with RAM on a shared memory file. */
    public VirtioFsGuest(io.drydock.kernel.virtio.VirtioDevice other) {
        ram = new FakeGuestMemory(RAM, 64L << 20, true);
        device = null;
        core = new VirtioCore(other, "virtio-fs", ram.memory(), line, ram.metrics(), control);
        layRings();
    }

    /** Fresh rings (virtio 1.2 §3.1.1: after a reset the driver sets its queues up again). */
    private void layRings() {
        hiprio = new VirtqueueDriver(ram.memory(), 16, RAM + 0x1000, RAM + 0x10_0000, 0x10_0000);
        requests = new VirtqueueDriver(ram.memory(), 64, RAM + 0x8000, RAM + 0x40_0000, 0x3b0_0000);
    }

    /** Driver reset (status 0), then initialisation again on fresh rings. */
    public VirtioFsGuest restart() {
        core.writeStatus(0);
        layRings();
        return start();
    }

    /** The driver's initialisation with every offered feature, both queues enabled, DRIVER_OK. */
    public VirtioFsGuest start() {
        core.writeStatus(VirtioStatus.ACKNOWLEDGE);
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
        long f = core.offeredFeatures();
        core.setDriverFeatures(0, (int) f);
        core.setDriverFeatures(1, (int) (f >>> 32));
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK);
        program(0, hiprio);
        program(1, requests);
        core.writeStatus(0x0f);
        return this;
    }

    private void program(int q, VirtqueueDriver d) {
        core.setQueueSize(q, d.size());
        core.setQueueDesc(q, d.descAddr());
        core.setQueueAvail(q, d.availAddr());
        core.setQueueUsed(q, d.usedAddr());
        core.setQueueReady(q, true);
    }

    public FuseInit.InitOut init() {
        Reply r = send(FuseRequest.of(FuseOpcode.INIT, 0).struct(FuseInit.InitIn.SIZE,
                (s, o) -> new FuseInit.InitIn(7, 36, 1 << 17, 1L << 26).encode(s, o)), 4096);
        assertEquals(0, r.error(), "INIT");
        return FuseInit.InitOut.decode(MemorySegment.ofArray(r.payload()), 0);
    }

    public Reply send(FuseRequest req, int replyCapacity) { return send(req, new int[]{replyCapacity}); }

    /** Sends {@code req} on the request queue with the writable part split into {@code pieces}. */
    public Reply send(FuseRequest req, int... pieces) {
        req.unique(++unique);
        int head = requests.add(bufs(req, pieces).toArray(Buf[]::new));
        core.notify(1);
        return awaitReply(head, pieces);
    }

    private List<Buf> bufs(FuseRequest req, int[] pieces) {
        MemorySegment built = req.build(arena);
        List<Buf> bufs = new ArrayList<>();
        bufs.add(Buf.in(requests.allocWith(built.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)), (int) built.byteSize()));
        for (int p : pieces) bufs.add(Buf.out(requests.alloc(p), p));
        lastWritable = bufs.subList(1, bufs.size()).stream().mapToLong(Buf::addr).toArray();
        return bufs;
    }

    private long[] lastWritable;

    private Reply awaitReply(int head, int[] pieces) {
        long[] writable = lastWritable;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            for (VirtqueueDriver.Used u : requests.pollUsed()) {
                if (u.id() != head) fail("completion of chain " + u.id() + ", expected " + head);
                byte[] all = new byte[u.len()];
                int at = 0;
                for (int i = 0; i < pieces.length && at < u.len(); i++) {
                    int n = Math.min(pieces[i], u.len() - at);
                    System.arraycopy(requests.read(writable[i], n), 0, all, at, n);
                    at += n;
                }
                if (u.len() < FuseHeaders.OutHeader.SIZE) return new Reply(u.len(), -1, -1, new byte[0]);
                ByteBuffer h = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(u.len(), h.getInt(0), "fuse_out_header.len equals the used length");
                byte[] payload = java.util.Arrays.copyOfRange(all, FuseHeaders.OutHeader.SIZE, u.len());
                return new Reply(u.len(), -h.getInt(4), h.getLong(8), payload);
            }
            if (System.nanoTime() > deadline) fail("no completion within 10 s; status " + core.status());
            Thread.onSpinWait();
        }
    }

    /** FORGET-like requests on hiprio: returns the used length. */
    public int sendHiprio(FuseRequest req) {
        req.unique(++unique);
        MemorySegment built = req.build(arena);
        int head = hiprio.add(Buf.in(hiprio.allocWith(built.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)), (int) built.byteSize()));
        core.notify(0);
        for (VirtqueueDriver.Used u : hiprio.pollUsed()) {
            assertEquals(head, u.id());
            return u.len();
        }
        fail("hiprio request not completed inline");
        return -1;
    }

    public long counter(String name) {
        var m = ram.metrics().get(name);
        return m == null ? 0 : ((Number) m.value()).longValue();
    }

    @Override public void close() {
        core.reset();
        if (device != null && device.dax() != null) device.dax().close();
        arena.close();
        ram.close();
    }
}
