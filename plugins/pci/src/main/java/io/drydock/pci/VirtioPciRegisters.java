package io.drydock.pci;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.virtio.VirtioCore;

/**
 * The registers behind a virtio-pci function's BAR 4 (virtio 1.2 §4.1.4): common configuration
 * (§4.1.4.3, offsets as Linux's VIRTIO_PCI_COMMON_*), ISR status (§4.1.4.5: a read returns and clears it),
 * device configuration (§4.1.4.6), and queue notifications (§4.1.4.4: queue q at 0x3000 + q·4). The
 * transport keeps only the select registers; everything else is the {@link VirtioCore}'s. Accesses outside
 * defined fields read 0 and are ignored. Called on hart threads; selects are guarded by this object.
 */
final class VirtioPciRegisters implements BusDevice {
    static final int NO_VECTOR = 0xffff;

    private final VirtioCore core;
    private int deviceFeatureSelect, driverFeatureSelect, queueSelect;

    VirtioPciRegisters(VirtioCore core) { this.core = core; }

    synchronized void reset() { deviceFeatureSelect = driverFeatureSelect = queueSelect = 0; }

    @Override public long read(long offset, int size) {
        if (offset < VirtioPciFunction.ISR) return readCommon((int) offset, size) & mask(size);
        if (offset < VirtioPciFunction.DEVICE_CFG) return offset == VirtioPciFunction.ISR ? core.readIsrAndClear() : 0;
        if (offset < VirtioPciFunction.NOTIFY) return core.readConfig((int) (offset - VirtioPciFunction.DEVICE_CFG), size);
        return 0;
    }

    @Override public void write(long offset, int size, long value) {
        if (offset < VirtioPciFunction.ISR) writeCommon((int) offset, size, value);
        else if (offset < VirtioPciFunction.DEVICE_CFG) return; // ISR is read-only
        else if (offset < VirtioPciFunction.NOTIFY) core.writeConfig((int) (offset - VirtioPciFunction.DEVICE_CFG), size, value);
        else {
            // queue_notify_off = q, notify_off_multiplier 4: queue q's notify address is NOTIFY + 4q
            long rel = offset - VirtioPciFunction.NOTIFY;
            core.notify((int) (rel / VirtioPciFunction.NOTIFY_MULTIPLIER));
        }
    }

    private static long mask(int size) { return size == 8 ? -1L : (1L << (8 * size)) - 1; }

    private synchronized long readCommon(int off, int size) {
        int q = queueSelect;
        return switch (off) {
            case 0x00 -> deviceFeatureSelect;
            case 0x04 -> Integer.toUnsignedLong(core.deviceFeatures(deviceFeatureSelect));
            case 0x08 -> driverFeatureSelect;
            case 0x0c -> Integer.toUnsignedLong(core.driverFeatures(driverFeatureSelect));
            case 0x10 -> size == 2 ? NO_VECTOR : NO_VECTOR | (long) core.numQueues() << 16; // config_msix_vector (+ num_queues)
            case 0x12 -> core.numQueues();
            case 0x14 -> size == 1 ? core.status() : core.status() | (long) core.configGeneration() << 8 | (long) q << 16;
            case 0x15 -> core.configGeneration();
            case 0x16 -> q;
            case 0x18 -> size == 2 ? core.queueSize(q) : core.queueSize(q) | (long) NO_VECTOR << 16;
            case 0x1a -> NO_VECTOR; // queue_msix_vector
            case 0x1c -> size == 2 ? (core.queueReady(q) ? 1 : 0) : (core.queueReady(q) ? 1 : 0) | (long) notifyOff(q) << 16;
            case 0x1e -> notifyOff(q);
            case 0x20 -> size == 4 ? core.queueDesc(q) & 0xffff_ffffL : core.queueDesc(q);
            case 0x24 -> core.queueDesc(q) >>> 32;
            case 0x28 -> size == 4 ? core.queueAvail(q) & 0xffff_ffffL : core.queueAvail(q);
            case 0x2c -> core.queueAvail(q) >>> 32;
            case 0x30 -> size == 4 ? core.queueUsed(q) & 0xffff_ffffL : core.queueUsed(q);
            case 0x34 -> core.queueUsed(q) >>> 32;
            default -> 0; // queue_notif_config_data, queue_reset, admin queue: not offered
        };
    }

    private int notifyOff(int q) { return q < core.numQueues() ? q : 0; }

    private synchronized void writeCommon(int off, int size, long value) {
        int q = queueSelect;
        int v = (int) value;
        switch (off) {
            case 0x00 -> deviceFeatureSelect = v;
            case 0x08 -> driverFeatureSelect = v;
            case 0x0c -> core.setDriverFeatures(driverFeatureSelect, v);
            case 0x14 -> core.writeStatus(v & 0xff);
            case 0x16 -> queueSelect = v & 0xffff;
            case 0x18 -> core.setQueueSize(q, v & 0xffff);
            case 0x1c -> { if ((v & 0xffff) == 1) core.setQueueReady(q, true); } // §4.1.4.3.2: the driver never writes 0
            case 0x20 -> core.setQueueDesc(q, size == 8 ? value : low(core.queueDesc(q), v));
            case 0x24 -> core.setQueueDesc(q, high(core.queueDesc(q), v));
            case 0x28 -> core.setQueueAvail(q, size == 8 ? value : low(core.queueAvail(q), v));
            case 0x2c -> core.setQueueAvail(q, high(core.queueAvail(q), v));
            case 0x30 -> core.setQueueUsed(q, size == 8 ? value : low(core.queueUsed(q), v));
            case 0x34 -> core.setQueueUsed(q, high(core.queueUsed(q), v));
            default -> { } // read-only fields, MSI-X vectors (no MSI-X), unoffered features
        }
    }

    private static long low(long old, int v) { return old & 0xffff_ffff_0000_0000L | Integer.toUnsignedLong(v); }

    private static long high(long old, int v) { return old & 0xffff_ffffL | (long) v << 32; }
}
