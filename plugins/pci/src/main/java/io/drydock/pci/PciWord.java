package io.drydock.pci;

import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import org.pf4j.Extension;

import java.util.List;

/** {@code pci [preassign: true] [express: true]}: the PCIe host bridge of QEMU's virt machine. */
@Extension
public final class PciWord implements MachineWord {
    @Override public String name() { return "pci"; }

    @Override public String help() {
        return "pci [preassign: false] [express: false] — PCIe host at 0x30000000 (ECAM) as on QEMU virt; "
                + "virtio devices with transport: 'pci' plug into it";
    }

    @Override public MachinePart create(Options options, List<Object> args) {
        if (!args.isEmpty()) throw options.error("takes no positional arguments");
        boolean preassign = options.bool("preassign", false);
        boolean express = options.bool("express", false);
        options.finish();
        return new PciPart(preassign, express);
    }
}
