package io.drydock.kernel.testing;

import io.drydock.kernel.virtio.ActiveContext;
import io.drydock.kernel.virtio.ChainReader;
import io.drydock.kernel.virtio.ChainWriter;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.kernel.virtio.Virtqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small virtio device for tests, handled inline at the notification (deterministic):
 * <ul>
 *   <li>queue 0, "rng": fills every writable buffer with bytes 0, 1, 2, … (like virtio-rng with a fixed
 *       source) and completes with the bytes written;</li>
 *   <li>queue 1, "echo": copies the readable bytes into the writable ones, reversed, completing with the
 *       bytes written.</li>
 * </ul>
 * Device ID 4 (entropy), class 0x00ff00 (the default, as QEMU's virtio-rng), one device feature bit (0). Configuration: le32 {@code value} @0
 * (the driver may write it), le32 {@code changes} @4 (read-only, bumped by {@link #changeConfig}).
 * Optionally one shared memory region (id 0) so transports can show and place it.
 */
public final class EchoDevice implements VirtioDevice {
    public static final int DEVICE_ID = 4;
    public static final long FEATURE_TEST = 1L;

    private final int maxQueueSize;
    private final List<SharedMemoryRegion> shm;
    private volatile ActiveContext context;
    private int value;
    private int changes;
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<OptionalLong> placements = new CopyOnWriteArrayList<>();

    public EchoDevice() { this(256, 0); }

    /** @param shmSize size of shared memory region 0, or 0 for none */
    public EchoDevice(int maxQueueSize, long shmSize) {
        this.maxQueueSize = maxQueueSize;
        this.shm = shmSize == 0 ? List.of() : List.of(new SharedMemoryRegion(0, shmSize, "test window"));
    }

    @Override public int deviceId() { return DEVICE_ID; }

    @Override public String name() { return "echo"; }

    @Override public long deviceFeatures() { return FEATURE_TEST | VirtioFeatures.RING_DEFAULT; }

    @Override public int configSize() { return 8; }

    @Override public synchronized long readConfig(int offset, int size) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value).putInt(4, changes);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (b.get(offset + i) & 0xff);
        return v;
    }

    @Override public synchronized void writeConfig(int offset, int size, long v) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        for (int i = 0; i < size; i++) b.put(offset + i, (byte) (v >>> (8 * i)));
        value = b.getInt(0);
    }

    /** Changes the configuration as a device would on its own (config generation and interrupt follow). */
    public void changeConfig() {
        synchronized (this) {
            changes++;
        }
        ActiveContext c = context;
        if (c != null) c.configChanged();
    }

    @Override public int numQueues() { return 2; }

    @Override public int maxQueueSize(int queue) { return maxQueueSize; }

    @Override public List<SharedMemoryRegion> sharedMemoryRegions() { return shm; }

    @Override public void sharedMemoryPlaced(int id, OptionalLong guestBase) { placements.add(guestBase); }

    @Override public void activate(ActiveContext context) {
        this.context = context;
        events.add("activate features=0x" + Long.toHexString(context.features()));
    }

    public ActiveContext context() { return context; }

    @Override public void queueNotified(Virtqueue queue) {
        events.add("notify " + queue.index());
        queue.drain(chain -> {
            ChainWriter w = chain.writer();
            if (queue.index() == 0) {
                long n = w.remaining();
                byte[] data = new byte[(int) n];
                for (int i = 0; i < n; i++) data[i] = (byte) i;
                w.write(data);
            } else {
                ChainReader r = chain.reader();
                byte[] in = new byte[(int) Math.min(r.remaining(), w.remaining())];
                r.readFully(in);
                byte[] rev = new byte[in.length];
                for (int i = 0; i < in.length; i++) rev[i] = in[in.length - 1 - i];
                w.write(rev);
            }
            return w.written();
        });
    }

    @Override public void reset() {
        context = null;
        events.add("reset");
    }

    public List<String> events() { return new ArrayList<>(events); }
}
