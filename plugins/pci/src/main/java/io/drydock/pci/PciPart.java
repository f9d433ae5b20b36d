package io.drydock.pci;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.virtio.VirtioTransportFactory;

/**
 * The {@code pci} word's part (phase BUS): builds the {@link PciHost} at QEMU virt's addresses, maps its
 * ECAM window, and offers the host, its device-tree node and the "pci" virtio transport as services.
 *
 * @param preassign assign BARs at power-on as firmware would (default false: the guest assigns them, as
 *                  under QEMU with {@code -bios none})
 * @param express   give virtio functions a PCI Express capability and 4 KiB configuration space (default
 *                  false: QEMU shows devices on the root bus as conventional PCI)
 */
record PciPart(boolean preassign, boolean express) implements MachinePart {
    @Override public Phase phase() { return Phase.BUS; }

    @Override public String describe() {
        return "pci: PCIe host at ECAM 0x30000000" + (preassign ? ", BARs preassigned" : "") + (express ? ", express endpoints" : "");
    }

    @Override public void assemble(MachineAssembly assembly) {
        PciWindows windows = PciWindows.virt(assembly.spec().memoryBytes());
        InterruptController controller = assembly.services().require(InterruptController.class, "pci");
        PciHost host = new PciHost(windows, assembly.memoryMap(), controller);
        assembly.memoryMap().addDevice("pcie-ecam", windows.ecamBase(), windows.ecamSize(), host);
        assembly.services().add(PciHost.class, host);
        assembly.services().add(DeviceTreeContributor.class, new PcieDeviceTree(windows));
        assembly.services().add(VirtioTransportFactory.class, new PciTransportFactory(host, assembly, express));
        assembly.onReset(host::reset);
        if (preassign) assembly.onPowerOn(host::preassign);
    }
}
