package io.drydock.virtiofs.device;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.EventFd;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.virtio.ActiveContext;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.kernel.virtio.Virtqueue;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.vhostuser.VhostUserFrontend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The virtio-fs device (virtio 1.2 §5.11) with its queues served by a vhost-user backend in another process
 * ({@code virtioFs tag: 'myfs', socket: PATH}): QEMU's C virtiofsd or Drydock's {@code scripts/virtiofsd}.
 * Drydock keeps the guest interface (PCI or MMIO transport, configuration space, status); at DRIVER_OK the
 * device shares guest RAM (a memfd) and hands each enabled ring to the backend with a kick eventfd, signalled
 * at the guest's notify, and a call eventfd, which a poller thread turns into the used-buffer interrupt.
 * The backend applies the driver's interrupt suppression itself (it owns the used ring).
 *
 * <p>A backend that goes away or refuses a message puts the device into NEEDS_RESET with the reason.
 */
public final class VhostUserFsDevice implements VirtioDevice {
    private static final Logger log = LoggerFactory.getLogger(VhostUserFsDevice.class);
    /** The virtio features a vhost-user-fs frontend passes through (QEMU hw/virtio/vhost-user-fs.c user_feature_bits). */
    private static final long PASSED = VirtioFeatures.bit(VirtioFeatures.VERSION_1) | VirtioFeatures.bit(VirtioFeatures.INDIRECT_DESC)
            | VirtioFeatures.bit(VirtioFeatures.EVENT_IDX);

    private final String tag;
    private final int requestQueues;
    private final int queueSize;
    private final VhostUserFrontend backend;
    private final byte[] configSpace;
    private final Object lifecycle = new Object();
    private final DaxRegion dax;
    private Active active;

    private record Active(ActiveContext context, int[] kick, int[] call, Thread poller, int wake) {}

    public VhostUserFsDevice(String tag, int requestQueues, int queueSize, VhostUserFrontend backend) {
        this(tag, requestQueues, queueSize, backend, null);
    }

    /**
     * @param dax the DAX window (shared memory region 0), or null: it lives here, in the frontend, and the
     *            backend maps into it over the backend-request channel ({@link VhostUserFrontend#connect(String, DaxRegion)})
     */
    public VhostUserFsDevice(String tag, int requestQueues, int queueSize, VhostUserFrontend backend, DaxRegion dax) {
        this.dax = dax;
        if (1 + requestQueues > backend.queueNum())
            throw new IllegalArgumentException("virtioFs socket: the backend serves " + backend.queueNum() + " queues, "
                    + (1 + requestQueues) + " wanted");
        this.tag = tag;
        this.requestQueues = requestQueues;
        this.queueSize = queueSize;
        this.backend = backend;
        // virtio 1.2 §5.11.4: struct virtio_fs_config { u8 tag[36]; le32 num_request_queues; }
        configSpace = new byte[VirtioFsConfig.TAG_SIZE + 4];
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, configSpace, 0, t.length);
        configSpace[36] = (byte) requestQueues;
        configSpace[37] = (byte) (requestQueues >>> 8);
    }

    /** The DAX window, or null. */
    public DaxRegion dax() { return dax; }

    @Override public List<SharedMemoryRegion> sharedMemoryRegions() {
        return dax == null ? List.of() : List.of(new SharedMemoryRegion(VirtioFsDevice.DAX_SHMID, dax.size(), "dax window"));
    }

    @Override public void sharedMemoryPlaced(int id, OptionalLong guestBase) {
        if (dax != null && id == VirtioFsDevice.DAX_SHMID) dax.place(guestBase);
    }

    @Override public int deviceId() { return 26; }

    @Override public String name() { return "virtio-fs"; }

    @Override public int pciClass() { return 0x018000; }

    @Override public long deviceFeatures() { return backend.features() & PASSED; }

    @Override public int configSize() { return configSpace.length; }

    @Override public long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (configSpace[offset + i] & 0xff);
        return v;
    }

    @Override public int numQueues() { return 1 + requestQueues; }

    @Override public int maxQueueSize(int queue) { return queueSize; }

    @Override public void activate(ActiveContext context) {
        synchronized (lifecycle) {
            int n = numQueues();
            int[] kick = new int[n], call = new int[n];
            Arrays.fill(kick, -1);
            Arrays.fill(call, -1);
            int wake = -1;
            try {
                backend.setFeatures(context.features());
                backend.setMemTable(context.memory().regions());
                for (Virtqueue q : context.queues()) {
                    kick[q.index()] = EventFd.create();
                    call[q.index()] = EventFd.create();
                    backend.startRing(q.index(), q.size(), q.layout().desc(), q.layout().avail(), q.layout().used(),
                            kick[q.index()], call[q.index()]);
                }
                wake = EventFd.create();
            } catch (IOException e) {
                closeAll(kick, call, wake);
                log.warn("virtio-fs {}: vhost-user backend {}: {}", tag, backend.path(), e.getMessage());
                throw context.deviceError("vhost-user backend " + backend.path() + ": " + e.getMessage());
            }
            int w = wake;
            Thread poller = Thread.ofPlatform().daemon().name("vhost-user-fs-" + tag + "-call")
                    .start(() -> pollCalls(context, call, w));
            active = new Active(context, kick, call, poller, wake);
        }
    }

    /** Waits on the call eventfds and raises the used-buffer interrupt for each signalled queue. */
    private static void pollCalls(ActiveContext context, int[] call, int wake) {
        int[] fds = new int[call.length + 1];
        System.arraycopy(call, 0, fds, 0, call.length);
        fds[call.length] = wake;
        int[] live = Arrays.stream(fds).filter(fd -> fd >= 0).toArray();
        while (true) {
            int ready;
            try {
                ready = EventFd.pollIn(-1, live);
            } catch (ErrnoException e) {
                return;
            }
            if ((ready & 1 << (live.length - 1)) != 0) return; // wake: reset
            for (int i = 0; i < live.length - 1; i++) {
                if ((ready & 1 << i) == 0) continue;
                EventFd.drain(live[i]);
                for (int q = 0; q < call.length; q++) if (call[q] == live[i]) context.usedBuffersElsewhere(q);
            }
        }
    }

    @Override public void queueNotified(Virtqueue queue) {
        Active a;
        synchronized (lifecycle) { a = active; }
        if (a == null || queue.index() >= a.kick().length || a.kick()[queue.index()] < 0) return;
        try {
            EventFd.signal(a.kick()[queue.index()]);
        } catch (ErrnoException e) {
            throw a.context().deviceError("kick eventfd of queue " + queue.index() + ": " + e.getMessage());
        }
    }

    @Override public void reset() {
        Active a;
        synchronized (lifecycle) {
            a = active;
            active = null;
        }
        if (a == null) return;
        if (dax != null) dax.removeAll(); // a new driver starts with an empty window (mapped here, not in the backend)
        for (int q = 0; q < a.kick().length; q++) {
            if (a.kick()[q] < 0) continue;
            try {
                backend.stopRing(q);
            } catch (IOException e) {
                log.warn("virtio-fs {}: stopping vring {} at {}: {}", tag, q, backend.path(), e.getMessage());
            }
        }
        try {
            EventFd.signal(a.wake());
            a.poller().join(10_000);
        } catch (ErrnoException e) {
            log.warn("virtio-fs {}: {}", tag, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(a.kick(), a.call(), a.wake());
    }

    private static void closeAll(int[] kick, int[] call, int wake) {
        for (int fd : kick) if (fd >= 0) Sys.closeQuietly(fd);
        for (int fd : call) if (fd >= 0) Sys.closeQuietly(fd);
        if (wake >= 0) Sys.closeQuietly(wake);
    }

    @Override public String toString() {
        return "virtio-fs tag=" + tag + " vhost-user backend " + backend.path() + " queues=" + requestQueues
                + (dax != null ? " dax=" + io.drydock.kernel.memory.Sizes.format(dax.size()) + (backend.servesDax() ? "" : " (not served by the backend)") : "")
                + (active != null ? " active" : " inactive");
    }
}
