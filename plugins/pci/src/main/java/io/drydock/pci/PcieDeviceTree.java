package io.drydock.pci;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.fdt.FdtBuilder;

import java.nio.ByteBuffer;

/**
 * The host bridge's device-tree node, as QEMU 7.2's create_fdt_pcie writes it on virt:
 * {@code /soc/pci@30000000}, compatible "pci-host-ecam-generic" (Linux
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml), ranges for the I/O, 32-bit and 64-bit
 * windows (phys.hi space codes 0x01000000, 0x02000000, 0x03000000), and the INTx interrupt-map of
 * create_pcie_irq_map: 4 slots × 4 pins with mask {@code <0x1800 0 0 7>}, which covers all 32 slots.
 */
final class PcieDeviceTree implements DeviceTreeContributor {
    static final int RANGE_IO = 0x0100_0000, RANGE_MEM32 = 0x0200_0000, RANGE_MEM64 = 0x0300_0000;

    private final PciWindows w;

    PcieDeviceTree(PciWindows windows) { this.w = windows; }

    @Override public void contribute(FdtBuilder fdt, int plic) {
        FdtBuilder.Node n = fdt.root().child("soc").child(String.format("pci@%x", w.ecamBase()));
        n.prop("#address-cells", 3);
        n.prop("#interrupt-cells", 1);
        n.prop("#size-cells", 2);
        n.prop("compatible", "pci-host-ecam-generic");
        n.prop("device_type", "pci");
        n.prop("linux,pci-domain", 0);
        n.prop("bus-range", 0, w.buses() - 1);
        n.flag("dma-coherent");
        n.propLongs("reg", w.ecamBase(), w.ecamSize());
        ByteBuffer ranges = ByteBuffer.allocate(3 * 7 * 4);
        range(ranges, RANGE_IO, 0, w.pioBase(), w.pioSize());
        range(ranges, RANGE_MEM32, w.mmio32Base(), w.mmio32Base(), w.mmio32Size());
        range(ranges, RANGE_MEM64, w.mmio64Base(), w.mmio64Base(), w.mmio64Size());
        n.bytes("ranges", ranges.array());
        n.bytes("interrupt-map", interruptMap(plic));
        n.prop("interrupt-map-mask", 0x1800, 0, 0, 7);
    }

    /** One ranges entry: PCI address (3 cells), CPU address (2), size (2). */
    private static void range(ByteBuffer b, int space, long pci, long cpu, long size) {
        b.putInt(space).putLong(pci).putLong(cpu).putLong(size);
    }

    /** {devfn<<8, 0, 0, pin, plic, irq} for slots 0–3 × pins INTA–INTD. */
    static byte[] interruptMap(int plic) {
        ByteBuffer b = ByteBuffer.allocate(16 * 6 * 4);
        for (int slot = 0; slot < 4; slot++) {
            for (int pin = 1; pin <= 4; pin++) {
                b.putInt(slot << 3 << 8).putInt(0).putInt(0).putInt(pin).putInt(plic).putInt(IntxRouter.source(slot, pin));
            }
        }
        return b.array();
    }
}
