package io.drydock.pci;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioCore;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One virtio-mmio transport (virtio 1.2 §4.2.2, version 2 — "modern") in a 4 KiB slot. Control registers
 * are 32-bit only (§4.2.2.2: the driver MUST use 32-bit aligned accesses; others read 0 and are ignored,
 * as QEMU logs and drops them); device configuration at 0x100 takes any width. An empty slot reads the
 * magic, version 2, vendor "QEMU" and device id 0, like QEMU's unused slots. Called on hart threads.
 */
final class VirtioMmioSlot implements BusDevice {
    static final int MAGIC = 0x7472_6976, VERSION = 2, VENDOR = 0x554d_4551; // "virt", modern, "QEMU"
    static final int CONFIG = 0x100;

    private final int index;
    private volatile VirtioCore core;
    private final Map<Integer, long[]> shm = new TreeMap<>(); // id → {base, size}
    private int deviceFeaturesSel, driverFeaturesSel, queueSel, shmSel;

    VirtioMmioSlot(int index) { this.index = index; }

    int index() { return index; }

    VirtioCore core() { return core; }

    synchronized void attach(VirtioCore core, List<SharedMemoryRegion> regions, long[] bases) {
        this.core = core;
        for (int i = 0; i < regions.size(); i++) shm.put(regions.get(i).id(), new long[]{bases[i], regions.get(i).size()});
    }

    synchronized void reset() {
        deviceFeaturesSel = driverFeaturesSel = queueSel = shmSel = 0;
        if (core != null) core.reset();
    }

    @Override public long read(long offset, int size) {
        VirtioCore c = core;
        if (offset >= CONFIG) return c == null ? 0 : c.readConfig((int) (offset - CONFIG), size);
        if (size != 4 || (offset & 3) != 0) return 0;
        if (c == null) {
            return switch ((int) offset) {
                case 0x000 -> MAGIC;
                case 0x004 -> VERSION;
                case 0x00c -> Integer.toUnsignedLong(VENDOR);
                default -> 0;
            };
        }
        return Integer.toUnsignedLong(readRegister(c, (int) offset));
    }

    private synchronized int readRegister(VirtioCore c, int off) {
        int q = queueSel;
        long[] region = shm.get(shmSel);
        return switch (off) {
            case 0x000 -> MAGIC;
            case 0x004 -> VERSION;
            case 0x008 -> c.device().deviceId();
            case 0x00c -> VENDOR;
            case 0x010 -> c.deviceFeatures(deviceFeaturesSel);
            case 0x034 -> c.queueMaxSize(q);
            case 0x044 -> c.queueReady(q) ? 1 : 0;
            case 0x060 -> c.isr();
            case 0x070 -> c.status();
            case 0x080 -> (int) c.queueDesc(q);
            case 0x084 -> (int) (c.queueDesc(q) >>> 32);
            case 0x090 -> (int) c.queueAvail(q);
            case 0x094 -> (int) (c.queueAvail(q) >>> 32);
            case 0x0a0 -> (int) c.queueUsed(q);
            case 0x0a4 -> (int) (c.queueUsed(q) >>> 32);
            // §4.2.2: SHMLen reads -1 for a region that does not exist
            case 0x0b0 -> region == null ? -1 : (int) region[1];
            case 0x0b4 -> region == null ? -1 : (int) (region[1] >>> 32);
            case 0x0b8 -> region == null ? -1 : (int) region[0];
            case 0x0bc -> region == null ? -1 : (int) (region[0] >>> 32);
            case 0x0fc -> c.configGeneration();
            default -> 0; // write-only registers, QueueReset (VIRTIO_F_RING_RESET not offered)
        };
    }

    @Override public void write(long offset, int size, long value) {
        VirtioCore c = core;
        if (c == null) return;
        if (offset >= CONFIG) {
            c.writeConfig((int) (offset - CONFIG), size, value);
            return;
        }
        if (size != 4 || (offset & 3) != 0) return;
        int v = (int) value;
        if (offset == 0x050) {
            c.notify(v & 0xffff); // QueueNotify: one guest MMIO exit for that queue (no NOTIFICATION_DATA)
            return;
        }
        writeRegister(c, (int) offset, v);
    }

    private synchronized void writeRegister(VirtioCore c, int off, int v) {
        int q = queueSel;
        switch (off) {
            case 0x014 -> deviceFeaturesSel = v;
            case 0x020 -> c.setDriverFeatures(driverFeaturesSel, v);
            case 0x024 -> driverFeaturesSel = v;
            case 0x030 -> queueSel = v;
            case 0x038 -> c.setQueueSize(q, v);
            case 0x044 -> c.setQueueReady(q, (v & 1) != 0);
            case 0x064 -> c.ackIsr(v);
            case 0x070 -> {
                c.writeStatus(v & 0xff);
                if ((v & 0xff) == 0) deviceFeaturesSel = driverFeaturesSel = queueSel = shmSel = 0;
            }
            case 0x080 -> c.setQueueDesc(q, low(c.queueDesc(q), v));
            case 0x084 -> c.setQueueDesc(q, high(c.queueDesc(q), v));
            case 0x090 -> c.setQueueAvail(q, low(c.queueAvail(q), v));
            case 0x094 -> c.setQueueAvail(q, high(c.queueAvail(q), v));
            case 0x0a0 -> c.setQueueUsed(q, low(c.queueUsed(q), v));
            case 0x0a4 -> c.setQueueUsed(q, high(c.queueUsed(q), v));
            case 0x0ac -> shmSel = v;
            default -> { } // read-only registers
        }
    }

    private static long low(long old, int v) { return old & 0xffff_ffff_0000_0000L | Integer.toUnsignedLong(v); }

    private static long high(long old, int v) { return old & 0xffff_ffffL | (long) v << 32; }
}
