package io.drydock.pci;

import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioCore;
import io.drydock.kernel.virtio.VirtioDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A virtio device behind the virtio-pci modern transport (virtio 1.2 §4.1), laid out as QEMU 7.2 lays out
 * a modern-only device, minus MSI-X:
 * <ul>
 *   <li>vendor 0x1af4, device 0x1040 + device id, revision 1 (§4.1.2.1), subsystem 1af4:1100 (QEMU's),
 *       the device's class code, Interrupt Pin A;</li>
 *   <li>BAR 4, 64-bit prefetchable, 16 KiB: common configuration at 0x0000, ISR at 0x1000, device
 *       configuration at 0x2000, notifications at 0x3000 (each 4 KiB, as QEMU);</li>
 *   <li>capabilities (newest first in the list, as QEMU's pci_add_capability links them): PCI_CFG @0x84,
 *       NOTIFY @0x70 (notify_off_multiplier 4 — QEMU's default without page-per-vq — and
 *       queue_notify_off = queue index), DEVICE @0x60, ISR @0x50, COMMON @0x40; then one SHARED_MEMORY
 *       cap64 (cfg_type 8, id = shmid; §4.1.4.7) per shared memory region, all regions on BAR 2 (64-bit
 *       prefetchable, as QEMU's virtio-fs cache BAR); then, with {@code express}, a PCI Express capability
 *       (QEMU omits it for devices on the root bus, so it is off by default).</li>
 * </ul>
 * No MSI-X: the driver falls back to INTx through the ISR (§4.1.5.3), and the MSI-X vector registers read
 * VIRTIO_MSI_NO_VECTOR.
 */
final class VirtioPciFunction extends PciFunction {
    static final int VENDOR = 0x1af4, DEVICE_BASE = 0x1040;
    static final int MODERN_BAR = 4, SHM_BAR = 2;
    static final long COMMON = 0x0000, ISR = 0x1000, DEVICE_CFG = 0x2000, NOTIFY = 0x3000, REGION = 0x1000, BAR_SIZE = 0x4000;
    static final int NOTIFY_MULTIPLIER = 4;
    // virtio 1.2 §4.1.4 cfg_type values
    static final int CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4, CAP_PCI_CFG = 5, CAP_SHARED_MEMORY = 8;
    static final int VENDOR_CAP = 0x09;

    private final VirtioCore core;
    private final VirtioPciRegisters registers;
    private final int pciCfgCap;
    private final List<long[]> shm = new ArrayList<>(); // {id, offset, size}

    VirtioPciFunction(VirtioDevice device, String name, CoreFactory cores, boolean express) {
        super(name, express ? 4096 : 256, VENDOR, DEVICE_BASE + device.deviceId(), device.pciClass(), 1, 1);
        this.core = cores.create(intx());
        this.registers = new VirtioPciRegisters(core);
        addBar(new Bar(MODERN_BAR, BAR_SIZE, true, true, new Bar.Target.Registers(registers)));
        addVirtioCap(CAP_COMMON, 16, MODERN_BAR, COMMON, REGION, "CommonCfg");
        addVirtioCap(CAP_ISR, 16, MODERN_BAR, ISR, REGION, "ISR");
        addVirtioCap(CAP_DEVICE, 16, MODERN_BAR, DEVICE_CFG, REGION, "DeviceCfg");
        int notify = addVirtioCap(CAP_NOTIFY, 20, MODERN_BAR, NOTIFY, REGION, "Notify");
        config.set32(notify + 16, NOTIFY_MULTIPLIER);
        pciCfgCap = addVirtioCap(CAP_PCI_CFG, 20, 0, 0, 0, "<unknown>");
        config.set8Mask(pciCfgCap + 4, 0xff);   // bar
        config.set32Mask(pciCfgCap + 8, -1);    // offset
        config.set32Mask(pciCfgCap + 12, -1);   // length
        config.set32Mask(pciCfgCap + 16, -1);   // pci_cfg_data
        addSharedMemory(device.sharedMemoryRegions(), device);
        if (express) addExpressCapability();
    }

    /** Creates the function's core once its INTx line exists. */
    @FunctionalInterface
    interface CoreFactory {
        VirtioCore create(io.drydock.kernel.irq.InterruptLine line);
    }

    VirtioCore core() { return core; }

    private int addVirtioCap(int type, int length, int bar, long offset, long size, String what) {
        int at = addCapability(VENDOR_CAP, length, "Vendor Specific Information: VirtIO: " + what);
        config.set8(at + 2, length);
        config.set8(at + 3, type);
        config.set8(at + 4, bar);
        config.set32(at + 8, (int) offset);
        config.set32(at + 12, (int) size);
        return at;
    }

    /** virtio 1.2 §4.1.4.7: every region on BAR 2, each naturally aligned; the BAR is a window the device fills. */
    private void addSharedMemory(List<SharedMemoryRegion> regions, VirtioDevice device) {
        if (regions.isEmpty()) return;
        List<SharedMemoryRegion> sorted = new ArrayList<>(regions);
        sorted.sort((a, b) -> Long.compare(b.size(), a.size()));
        long offset = 0;
        for (SharedMemoryRegion r : sorted) {
            shm.add(new long[]{r.id(), offset, r.size()});
            int at = addCapability(VENDOR_CAP, 24, "Vendor Specific Information: VirtIO: SharedMemory");
            config.set8(at + 2, 24);
            config.set8(at + 3, CAP_SHARED_MEMORY);
            config.set8(at + 4, SHM_BAR);
            config.set8(at + 5, r.id());
            config.set32(at + 8, (int) offset);
            config.set32(at + 12, (int) r.size());
            config.set32(at + 16, (int) (offset >>> 32));
            config.set32(at + 20, (int) (r.size() >>> 32));
            offset += r.size(); // sorted by size, so the next one stays aligned
        }
        long barSize = Long.highestOneBit(offset) == offset ? offset : Long.highestOneBit(offset) << 1;
        addBar(new Bar(SHM_BAR, barSize, true, true, new Bar.Target.Window(base -> {
            for (long[] r : shm) {
                device.sharedMemoryPlaced((int) r[0], base.isPresent() ? OptionalLong.of(base.getAsLong() + r[1]) : OptionalLong.empty());
            }
        })));
    }

    // ---- the PCI_CFG access window (virtio 1.2 §4.1.4.9) ----

    @Override protected int configRead(int offset, int size) {
        if (overlaps(offset, size, pciCfgCap + 16, 4)) {
            int len = config.read(pciCfgCap + 12, 4);
            if (windowValid(len)) config.set32(pciCfgCap + 16, (int) registers.read(config.read(pciCfgCap + 8, 4), len));
        }
        return super.configRead(offset, size);
    }

    @Override protected void configWrite(int offset, int size, int value) {
        super.configWrite(offset, size, value);
        if (overlaps(offset, size, pciCfgCap + 16, 4)) {
            int len = config.read(pciCfgCap + 12, 4);
            if (windowValid(len)) registers.write(config.read(pciCfgCap + 8, 4), len, config.read(pciCfgCap + 16, len));
        }
    }

    /** The one check of the window: BAR 4, length 1/2/4, offset aligned to it and inside the BAR (§4.1.4.9.1). */
    private boolean windowValid(int len) {
        long off = Integer.toUnsignedLong(config.read(pciCfgCap + 8, 4));
        return config.read(pciCfgCap + 4, 1) == MODERN_BAR && (len == 1 || len == 2 || len == 4)
                && off % len == 0 && off + len <= BAR_SIZE;
    }

    @Override protected void reset() {
        super.reset();
        registers.reset();
        core.reset();
    }

    @Override protected List<String> describeCapability(int offset) {
        if (config.read(offset, 1) != VENDOR_CAP) return List.of();
        int type = config.read(offset + 3, 1);
        long off = Integer.toUnsignedLong(config.read(offset + 8, 4)), len = Integer.toUnsignedLong(config.read(offset + 12, 4));
        String base = String.format("cfg_type=%d BAR=%d", type, config.read(offset + 4, 1));
        return List.of(switch (type) {
            case CAP_NOTIFY -> String.format("%s offset=%08x size=%08x multiplier=%08x", base, off, len, config.read(offset + 16, 4));
            case CAP_SHARED_MEMORY -> String.format("%s id=%d offset=%x size=%x", base, config.read(offset + 5, 1),
                    off | Integer.toUnsignedLong(config.read(offset + 16, 4)) << 32,
                    len | Integer.toUnsignedLong(config.read(offset + 20, 4)) << 32);
            case CAP_PCI_CFG -> String.format("%s offset=%08x length=%d (PCI_CFG access window)", base, off, len);
            default -> String.format("%s offset=%08x size=%08x", base, off, len);
        });
    }
}
