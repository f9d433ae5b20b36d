package io.drydock.pci;

/**
 * The host bridge function at 00:00.0 as QEMU's GPEX shows it on virt: Red Hat 1b36:0008 ("QEMU PCIe Host
 * bridge"), class 0x060000, header type 0, no BARs, no capabilities, no interrupt.
 */
final class HostBridge extends PciFunction {
    static final int VENDOR = 0x1b36, DEVICE = 0x0008, CLASS = 0x060000;

    HostBridge() { super("host-bridge", 256, VENDOR, DEVICE, CLASS, 0, 0); }
}
