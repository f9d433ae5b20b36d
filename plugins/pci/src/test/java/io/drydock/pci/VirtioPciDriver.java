package io.drydock.pci;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.testing.VirtqueueDriver;

/**
 * A guest's virtio-pci modern driver (virtio 1.2 §4.1.5), played by tests: finds the structures through
 * the capabilities, initialises the device (§3.1.1), sets up queues from {@link VirtqueueDriver}s, and
 * notifies through the notify capability — every access an MMIO access on the system bus.
 */
final class VirtioPciDriver {
    final PciGuest pci;
    final SystemBus bus;
    final int slot;
    final long common, isr, device, notify;
    final int multiplier;

    VirtioPciDriver(PciGuest pci, int slot) {
        this.pci = pci;
        this.bus = pci.bus;
        this.slot = slot;
        var bars = pci.assignBars(slot, false);
        pci.enableMemory(slot);
        common = bars.get(pci.cap(slot, 1).bar()) + pci.cap(slot, 1).off();
        isr = bars.get(pci.cap(slot, 3).bar()) + pci.cap(slot, 3).off();
        device = bars.get(pci.cap(slot, 4).bar()) + pci.cap(slot, 4).off();
        PciGuest.VirtioCap n = pci.cap(slot, 2);
        notify = bars.get(n.bar()) + n.off();
        multiplier = n.extra();
    }

    int status() { return (int) bus.read(common + 0x14, 1); }

    void setStatus(int s) { bus.write(common + 0x14, 1, s); }

    long deviceFeatures() {
        bus.write(common, 4, 0);
        long lo = bus.read(common + 4, 4);
        bus.write(common, 4, 1);
        return lo | bus.read(common + 4, 4) << 32;
    }

    void driverFeatures(long f) {
        bus.write(common + 8, 4, 0);
        bus.write(common + 0xc, 4, f & 0xffff_ffffL);
        bus.write(common + 8, 4, 1);
        bus.write(common + 0xc, 4, f >>> 32);
    }

    int numQueues() { return (int) bus.read(common + 0x12, 2); }

    int generation() { return (int) bus.read(common + 0x15, 1); }

    /** Reset, ACKNOWLEDGE, DRIVER, features; returns the status after FEATURES_OK. */
    int negotiate(long features) {
        setStatus(0);
        setStatus(1);
        setStatus(3);
        driverFeatures(features);
        setStatus(0xb);
        return status();
    }

    /** Programs queue {@code q} as Linux's vp_modern setup does; returns its notify address. */
    long setupQueue(int q, VirtqueueDriver d) {
        bus.write(common + 0x16, 2, q);
        int max = (int) bus.read(common + 0x18, 2);
        if (max < d.size()) throw new IllegalStateException("queue " + q + " max " + max);
        bus.write(common + 0x18, 2, d.size());
        bus.write(common + 0x20, 4, d.descAddr());
        bus.write(common + 0x24, 4, d.descAddr() >>> 32);
        bus.write(common + 0x28, 4, d.availAddr());
        bus.write(common + 0x2c, 4, d.availAddr() >>> 32);
        bus.write(common + 0x30, 8, d.usedAddr());
        bus.write(common + 0x1c, 2, 1);
        return notify + bus.read(common + 0x1e, 2) * multiplier;
    }

    void driverOk() { setStatus(status() | 4); }

    void kick(long notifyAddress, int q) { bus.write(notifyAddress, 2, q); }

    int readIsr() { return (int) bus.read(isr, 1); }
}
