package io.drydock.pci;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.virtio.VirtioCore;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioSnapshot;
import io.drydock.kernel.virtio.VirtioTransport;
import io.drydock.kernel.virtio.VirtioTransportFactory;

import java.util.OptionalInt;

/**
 * Kind "pci": plugs a virtio device into the PCIe host as a virtio-pci modern function
 * ({@link VirtioPciFunction}). Offered by the {@code pci} word; each attached device is also offered as a
 * {@link VirtioTransport} service (for {@code virtio()}).
 */
final class PciTransportFactory implements VirtioTransportFactory {
    private final PciHost host;
    private final MachineAssembly assembly;
    private final boolean express;

    PciTransportFactory(PciHost host, MachineAssembly assembly, boolean express) {
        this.host = host;
        this.assembly = assembly;
        this.express = express;
    }

    @Override public String kind() { return "pci"; }

    @Override public VirtioTransport attach(VirtioDevice device, OptionalInt position) {
        String name = VirtioNames.of(assembly.services()).claim(device.name());
        VirtioPciFunction function = new VirtioPciFunction(device, name,
                line -> new VirtioCore(device, name, assembly.memory(), line, assembly.metrics(), assembly.control()), express);
        PciAddress address = host.plug(function, position);
        Transport t = new Transport(address, function.core());
        assembly.services().add(VirtioTransport.class, t);
        return t;
    }

    /** A device on PCI. */
    record Transport(PciAddress address, VirtioCore core) implements VirtioTransport {
        @Override public String kind() { return "pci"; }

        @Override public String location() { return address.toString(); }

        @Override public VirtioSnapshot inspect() { return core.snapshot(); }

        @Override public String toString() { return "virtio-pci " + location() + ": " + core; }
    }
}
