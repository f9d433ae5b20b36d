package io.drydock.virtiofs.device;

import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.kernel.virtio.ActiveContext;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.kernel.virtio.Virtqueue;
import io.drydock.kernel.virtio.VirtqueueException;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.fuse.server.FuseObserver;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.transport.VirtqueueTransport;
import io.drydock.virtiofs.passthrough.Credentials;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The virtio-fs device (virtio 1.2 §5.11, device ID 26): a hiprio queue and N request queues carrying
 * FUSE requests to a {@link FuseServer} over a confined passthrough file system. The device only moves
 * bytes: it copies each request's readable part into a host buffer (once, so the guest cannot change a
 * request while it is being decoded) and lets the server write the reply straight into the guest's
 * writable buffers — READ data goes from the host file into guest memory with one {@code preadv}.
 *
 * <p>Threads: each request queue has a worker thread woken by the guest's notification; in inline mode
 * (the machine's deterministic mode) requests are served on the notifying hart's thread. The hiprio queue
 * (FORGET, BATCH_FORGET, INTERRUPT: quick, and §5.11.6.1 says they must not wait behind requests) is always
 * served inline. A guest error in a chain or a reply buffer sets NEEDS_RESET through the virtio core.
 *
 * <p>With a {@link DaxRegion} the device declares shared memory region 0, the DAX window (virtio 1.2 §5.11.5),
 * places it where the transport puts it, hands its {@link io.drydock.virtiofs.fuse.dax.DaxWindow} to the FUSE
 * server (SETUPMAPPING/REMOVEMAPPING; INIT then advertises map_alignment) and empties it at reset.
 */
public final class VirtioFsDevice implements VirtioDevice {
    private static final Logger log = LoggerFactory.getLogger(VirtioFsDevice.class);
    /** virtio 1.2 §5.11.2: queue 0 is hiprio, request queues follow (no notification queue: F_NOTIFICATION is not offered). */
    private static final int HIPRIO = 0;
    /** virtio 1.2 §5.11.5: "Shared memory region ID 0 is called the DAX window" (Linux VIRTIO_FS_SHMCAP_ID_CACHE). */
    public static final int DAX_SHMID = 0;

    private final VirtioFsConfig config;
    private final FuseMetrics metrics;
    private final FuseTrace trace = new FuseTrace();
    private final byte[] configSpace;
    private final DaxRegion dax;

    private final Object lifecycle = new Object();
    private Active active;

    /** What exists between DRIVER_OK and reset. */
    private record Active(ActiveContext context, FuseServer server, PassthroughFileSystem fs, List<VirtqueueTransport> queues) {}

    /** How long a reset waits for a worker to finish its request before leaving it behind (stuck in the host kernel). */
    static final long STOP_GRACE_MILLIS = 1_000;
    private final Counter dropped, stuckWorkers;
    private final java.util.concurrent.atomic.AtomicReference<FuseServer> lastServer = new java.util.concurrent.atomic.AtomicReference<>();

    public VirtioFsDevice(VirtioFsConfig config, MetricsRegistry registry) { this(config, registry, null); }

    /** @param dax the DAX window (shared memory region 0), or null for none */
    public VirtioFsDevice(VirtioFsConfig config, MetricsRegistry registry, DaxRegion dax) {
        this.config = config;
        this.dax = dax;
        this.metrics = new FuseMetrics(registry, config.tag());
        String p = "fuse." + config.tag() + ".";
        this.dropped = registry.counter(p + "dropped", "FUSE requests dropped unanswered (no room even for a header)");
        this.stuckWorkers = registry.counter(p + "stuckWorkers", "queue workers a reset left behind, stuck in the host kernel");
        registry.gauge(p + "failures", "FUSE requests that failed with an exception and were answered EIO", () -> {
            FuseServer s = lastServer.get();
            return s == null ? 0 : s.failures();
        });
        // virtio 1.2 §5.11.4: struct virtio_fs_config { u8 tag[36]; le32 num_request_queues; }
        configSpace = new byte[VirtioFsConfig.TAG_SIZE + 4];
        byte[] tag = config.tag().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, configSpace, 0, tag.length);
        int n = config.requestQueues();
        configSpace[36] = (byte) n;
        configSpace[37] = (byte) (n >>> 8);
    }

    public VirtioFsConfig config() { return config; }

    /** The live FUSE trace of this device. */
    public FuseTrace trace() { return trace; }

    /** The DAX window, or null: {@code dax().toString()} lists the live mappings. */
    public DaxRegion dax() { return dax; }

    @Override public List<SharedMemoryRegion> sharedMemoryRegions() {
        return dax == null ? List.of() : List.of(new SharedMemoryRegion(DAX_SHMID, dax.size(), "dax window"));
    }

    @Override public void sharedMemoryPlaced(int id, OptionalLong guestBase) {
        if (dax != null && id == DAX_SHMID) dax.place(guestBase);
    }

    @Override public int deviceId() { return 26; }

    @Override public String name() { return "virtio-fs"; }

    @Override public int pciClass() { return 0x018000; } // as QEMU's vhost-user-fs-pci: mass storage, other

    @Override public long deviceFeatures() { return VirtioFeatures.RING_DEFAULT; }

    @Override public int configSize() { return configSpace.length; }

    @Override public long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (configSpace[offset + i] & 0xff);
        return v;
    }

    // virtio 1.2 §5.11.4.2: the driver MUST NOT write to device configuration fields — ignored.

    @Override public int numQueues() { return 1 + config.requestQueues(); }

    @Override public int maxQueueSize(int queue) { return config.queueSize(); }

    @Override public void activate(ActiveContext context) {
        synchronized (lifecycle) {
            PassthroughFileSystem fs;
            try {
                fs = PassthroughFileSystem.open(config.directory().toString(), config.options());
            } catch (IOException e) {
                log.error("virtio-fs {}: cannot open shared directory {}", config.tag(), config.directory(), e);
                throw context.deviceError("cannot open the shared directory " + config.directory() + ": " + e.getMessage());
            }
            FuseObserver observer = metrics.andThen(trace);
            FuseServer server = new FuseServer(config.options().readonly() ? new io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem(fs) : fs,
                    FuseServerConfig.defaults(), dax == null ? null : dax.window(), observer);
            lastServer.set(server);
            List<VirtqueueTransport> queues = new ArrayList<>();
            VirtqueueTransport.Hooks hooks = new VirtqueueTransport.Hooks() {
                @Override public VirtqueueException deviceError(String reason, Throwable cause) {
                    return context.deviceError(reason, cause);
                }

                @Override public void workerStarted() {
                    Credentials.dropCapabilities(Credentials.SERVING_CAPS); // only what serving FUSE needs, on this thread
                }

                @Override public void dropped(String reason) {
                    dropped.increment();
                    if (dropped.get() == 1) log.warn("virtio-fs {}: request dropped unanswered: {} (counted in fuse.{}.dropped)",
                            config.tag(), reason, config.tag());
                    else log.debug("virtio-fs {}: request dropped: {}", config.tag(), reason);
                }
            };
            for (Virtqueue q : context.queues()) {
                boolean inline = config.inline() || q.index() == HIPRIO;
                VirtqueueTransport t = new VirtqueueTransport("virtio-fs-" + config.tag() + "-q" + q.index(), q,
                        context.memory(), server, server.config().maxRequestSize(),
                        inline ? null : VirtqueueTransport.parkingDoorbell(), null, hooks);
                t.start();
                queues.add(t);
            }
            active = new Active(context, server, fs, queues);
            log.debug("virtio-fs {} active: {} queues over {}", config.tag(), queues.size(), config.directory());
        }
    }

    @Override public void queueNotified(Virtqueue queue) {
        Active a;
        synchronized (lifecycle) { a = active; }
        if (a == null) return;
        for (VirtqueueTransport s : a.queues()) {
            if (s.queue() == queue) {
                s.kick();
                return;
            }
        }
    }

    @Override public void reset() {
        Active a;
        synchronized (lifecycle) {
            a = active;
            active = null;
        }
        if (a == null) return;
        for (VirtqueueTransport t : a.queues()) {
            if (!t.close(STOP_GRACE_MILLIS)) {
                stuckWorkers.increment();
                log.warn("virtio-fs {}: worker of queue {} is still in a request after {} ms (stuck in the host kernel?); "
                        + "reset goes on without it", config.tag(), t.queue().index(), STOP_GRACE_MILLIS);
            }
        }
        if (dax != null) dax.removeAll(); // before the file system closes: mappings hold no descriptors, but start clean
        a.fs().close(); // a worker left behind keeps what it pinned; it closes the rest when it lets go
    }

    @Override public String toString() {
        return "virtio-fs tag=" + config.tag() + " dir=" + config.directory() + " queues=" + config.requestQueues()
                + (config.options().readonly() ? " (read-only)" : "") + " cache=" + config.options().cache()
                + (dax != null ? " dax=" + io.drydock.kernel.memory.Sizes.format(dax.size()) : "")
                + (active != null ? " active" : " inactive") + (trace.isOn() ? ", tracing" : "");
    }
}
