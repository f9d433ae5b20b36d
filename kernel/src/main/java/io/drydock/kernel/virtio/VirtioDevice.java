package io.drydock.kernel.virtio;

import java.util.List;
import java.util.OptionalLong;

/**
 * A virtio device, independent of its transport (CONVENTIONS.md item 4): the device type's identity,
 * features, configuration space, queues and shared memory regions, and what it does with requests. The
 * {@link VirtioCore} runs the status state machine, feature negotiation and the rings; a transport
 * (virtio-pci, virtio-mmio; found through {@link VirtioTransportFactory}) decodes the driver's register
 * accesses onto the core.
 *
 * <p>Threads: every method but {@link #queueNotified} is called by the core under its lock, on the hart
 * thread whose register access caused it (or the machine's thread at reset); {@link #queueNotified} is
 * called on the notifying hart's thread without the core's lock and must be short (hand long work to
 * request workers; in deterministic mode do it inline). Nothing here may throw for guest errors: use
 * {@link ActiveContext#deviceError} and {@link VirtqueueException}.
 */
public interface VirtioDevice {
    /** The virtio device ID (virtio 1.2 §5: 4 entropy, 26 file system). */
    int deviceId();

    /** A short name for metrics and logs ("virtio-fs"); the transport makes it unique per machine. */
    String name();

    /**
     * The PCI class code (class, subclass, prog-if) the PCI transport shows: QEMU uses 0x018000 for
     * virtio-fs, 0x00ff00 (PCI_CLASS_OTHERS) for virtio-rng (measured: pcienum.expected).
     */
    default int pciClass() { return 0x00ff00; }

    /**
     * Every feature bit the device offers: its device-type bits plus the transport bits it wants from
     * {@link VirtioFeatures#CORE_SUPPORTED} (usually {@link VirtioFeatures#RING_DEFAULT}). The core offers
     * VERSION_1 always and drops transport bits it does not implement.
     */
    long deviceFeatures();

    /** Bytes of device configuration space (virtio 1.2 §2.5), 0 for none. */
    int configSize();

    /**
     * Reads {@code size} (1, 2, 4, 8) bytes of configuration at {@code offset}, little-endian; the core has
     * checked {@code offset + size ≤ configSize()}.
     */
    long readConfig(int offset, int size);

    /** A driver write to configuration space (checked like reads); read-only configuration ignores it. */
    default void writeConfig(int offset, int size, long value) {}

    /** Number of virtqueues. */
    int numQueues();

    /** The largest size queue {@code queue} supports: a power of two ≤ 32768 (virtio 1.2 §2.7). */
    int maxQueueSize(int queue);

    /** Shared memory regions (virtio 1.2 §2.10), e.g. virtio-fs's DAX window; none by default. */
    default List<SharedMemoryRegion> sharedMemoryRegions() { return List.of(); }

    /**
     * The transport placed shared memory region {@code id} at {@code guestBase} (a PCI BAR assigned with
     * memory decoding on), or removed it (empty). The device maps host memory there itself, through the
     * machine's memory map. Called on the thread whose configuration write moved the BAR, or at power-on.
     */
    default void sharedMemoryPlaced(int id, OptionalLong guestBase) {}

    /** The driver set DRIVER_OK: the device may now use guest memory and its queues. */
    void activate(ActiveContext context);

    /** The driver notified {@code queue} (an available buffer notification, virtio 1.2 §2.7.13). */
    void queueNotified(Virtqueue queue);

    /**
     * Device reset (the driver wrote status 0, or the machine reset): stop using the context and its queues,
     * finish or abandon in-flight work, return to the initial state. Called only after {@link #activate}.
     */
    void reset();
}
