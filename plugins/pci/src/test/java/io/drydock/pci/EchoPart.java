package io.drydock.pci;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.testing.EchoDevice;
import io.drydock.kernel.virtio.VirtioTransport;
import io.drydock.kernel.virtio.VirtioTransportFactory;

import java.util.OptionalInt;

/** A device word's part as a device plugin writes it: finds the transport by kind through the services. */
final class EchoPart implements MachinePart {
    final EchoDevice device;
    final String transport;
    final OptionalInt position;
    VirtioTransport attached;

    EchoPart(EchoDevice device, String transport, OptionalInt position) {
        this.device = device;
        this.transport = transport;
        this.position = position;
    }

    @Override public Phase phase() { return Phase.DEVICE; }

    @Override public String describe() { return "echo on " + transport; }

    @Override public void assemble(MachineAssembly assembly) {
        attached = VirtioTransportFactory.require(assembly.services(), transport, "echo").attach(device, position);
    }
}
