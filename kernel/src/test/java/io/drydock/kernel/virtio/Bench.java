package io.drydock.kernel.virtio;

import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.kernel.testing.RecordingControl;
import io.drydock.kernel.testing.TestLine;
import io.drydock.kernel.testing.VirtqueueDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A virtio core around a hand-driven device, its guest memory, line and control, and one
 * {@link VirtqueueDriver} per queue: the setup every virtqueue test shares.
 */
final class Bench implements AutoCloseable {
    static final long RING0 = FakeGuestMemory.DRAM_BASE + 0x1000, RING1 = FakeGuestMemory.DRAM_BASE + 0x20000;
    static final long BUF0 = FakeGuestMemory.DRAM_BASE + 0x100000, BUF1 = FakeGuestMemory.DRAM_BASE + 0x800000;

    /** A device whose queues the test pops by hand (or through {@link #onNotify}). */
    static final class ManualDevice implements VirtioDevice {
        final long features;
        final int max;
        volatile ActiveContext context;
        volatile Consumer<Virtqueue> onNotify = q -> {};
        final List<String> events = new ArrayList<>();

        ManualDevice(long features, int max) {
            this.features = features;
            this.max = max;
        }

        @Override public int deviceId() { return 4; }
        @Override public String name() { return "manual"; }
        @Override public long deviceFeatures() { return features; }
        @Override public int configSize() { return 4; }
        @Override public long readConfig(int offset, int size) { return 0x11223344L >>> (8 * offset) & ((1L << (8 * size)) - 1); }
        @Override public int numQueues() { return 2; }
        @Override public int maxQueueSize(int queue) { return max; }
        @Override public void activate(ActiveContext context) { this.context = context; events.add("activate"); }
        @Override public void queueNotified(Virtqueue queue) { onNotify.accept(queue); }
        @Override public void reset() { context = null; events.add("reset"); }
    }

    final FakeGuestMemory ram;
    final TestLine line = new TestLine();
    final RecordingControl control = new RecordingControl();
    final ManualDevice device;
    final VirtioCore core;
    final int size;
    VirtqueueDriver q0, q1;

    Bench(int size) { this(size, 1 | VirtioFeatures.RING_DEFAULT); }

    Bench(int size, long deviceFeatures) { this(size, deviceFeatures, 16L << 20); }

    Bench(int size, long deviceFeatures, long ramSize) {
        this.ram = new FakeGuestMemory(FakeGuestMemory.DRAM_BASE, ramSize);
        this.size = size;
        this.device = new ManualDevice(deviceFeatures, 256);
        this.core = new VirtioCore(device, "manual", ram.memory(), line, ram.metrics(), control);
    }

    /** Lays out both queues and programs the core's queue registers (no status change). */
    Bench layout() {
        q0 = new VirtqueueDriver(ram.memory(), size, RING0, BUF0, 0x700000);
        q1 = new VirtqueueDriver(ram.memory(), size, RING1, BUF1, 0x700000);
        program(0, q0);
        program(1, q1);
        return this;
    }

    void program(int q, VirtqueueDriver d) {
        core.setQueueSize(q, d.size());
        core.setQueueDesc(q, d.descAddr());
        core.setQueueAvail(q, d.availAddr());
        core.setQueueUsed(q, d.usedAddr());
        core.setQueueReady(q, true);
    }

    /** The driver's initialisation (virtio 1.2 §3.1.1) accepting {@code features}; returns the final status. */
    int negotiate(long features) {
        core.writeStatus(VirtioStatus.ACKNOWLEDGE);
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
        core.setDriverFeatures(0, (int) features);
        core.setDriverFeatures(1, (int) (features >>> 32));
        core.writeStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK);
        return core.status();
    }

    /** Full bring-up: layout, negotiate {@code features}, DRIVER_OK. */
    Bench start(long features) {
        layout();
        negotiate(features);
        core.writeStatus(0x0f);
        return this;
    }

    Bench start() { return start(core.offeredFeatures()); }

    Virtqueue queue(int q) { return device.context.queue(q); }

    long counter(String name) { return ((Number) ram.metrics().get(name).value()).longValue(); }

    @Override public void close() { ram.close(); }
}
