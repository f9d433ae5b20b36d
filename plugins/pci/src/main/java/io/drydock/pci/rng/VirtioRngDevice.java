package io.drydock.pci.rng;

import io.drydock.kernel.virtio.ActiveContext;
import io.drydock.kernel.virtio.ChainWriter;
import io.drydock.kernel.virtio.DeviceLifecycle;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.kernel.virtio.Virtqueue;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The virtio entropy device (virtio 1.2 §5.4) as QEMU's virtio-rng presents it: device id 4, class
 * 0x00ff00, one request queue of at most 8 entries, no configuration, no device feature bits. Each
 * writable buffer is filled with random bytes, inline at the notification (a short job). A seed makes the
 * bytes reproducible (deterministic machines, tests).
 *
 * <p>Written only against the kernel's virtio API — the pattern every device plugin follows.
 */
public final class VirtioRngDevice implements VirtioDevice {
    public static final int DEVICE_ID = 4, QUEUE_SIZE = 8;

    private final Random random;
    private volatile DeviceLifecycle state = DeviceLifecycle.INACTIVE;

    /** @param seed null for SecureRandom */
    public VirtioRngDevice(Long seed) { this.random = seed == null ? new SecureRandom() : new Random(seed); }

    @Override public int deviceId() { return DEVICE_ID; }

    @Override public String name() { return "virtio-rng"; }

    @Override public int pciClass() { return 0x00ff00; }

    @Override public long deviceFeatures() { return VirtioFeatures.RING_DEFAULT; }

    @Override public int configSize() { return 0; }

    @Override public long readConfig(int offset, int size) { return 0; }

    @Override public int numQueues() { return 1; }

    @Override public int maxQueueSize(int queue) { return QUEUE_SIZE; }

    @Override public void activate(ActiveContext context) { state = new DeviceLifecycle.Active(context); }

    @Override public void queueNotified(Virtqueue queue) {
        if (!(state instanceof DeviceLifecycle.Active)) return;
        queue.drain(chain -> {
            ChainWriter w = chain.writer();
            byte[] bytes = new byte[(int) Math.min(w.remaining(), 1 << 16)];
            synchronized (random) {
                random.nextBytes(bytes);
            }
            w.write(bytes);
            return w.written();
        });
    }

    @Override public void reset() { state = DeviceLifecycle.INACTIVE; }
}
