package io.drydock.pci;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.virtio.VirtioTransportFactory;
import org.pf4j.Extension;

import java.util.List;

/**
 * {@code virtioMmio [shmBase: 0x1000000000]}: QEMU virt's eight virtio-mmio (version 2) slots; virtio
 * devices with {@code transport: 'mmio'} go into them. The board must leave 0x10001000–0x10008fff free.
 */
@Extension
public final class VirtioMmioWord implements MachineWord {
    /** Where shared memory regions of MMIO devices go by default: 64 GiB, above QEMU virt's PCI windows. */
    public static final long DEFAULT_SHM_BASE = 0x10_0000_0000L;

    @Override public String name() { return "virtioMmio"; }

    @Override public String help() {
        return "virtioMmio [shmBase: 64.GiB] — eight virtio-mmio v2 slots at 0x10001000 (PLIC 1–8) as on QEMU virt";
    }

    @Override public MachinePart create(Options options, List<Object> args) {
        if (!args.isEmpty()) throw options.error("takes no positional arguments");
        long shmBase = options.bytes("shmBase", DEFAULT_SHM_BASE);
        options.finish();
        if (shmBase <= 0 || (shmBase & 0xfff) != 0) throw options.error("shmBase must be a positive multiple of 4 KiB");
        return new Part(shmBase);
    }

    record Part(long shmBase) implements MachinePart {
        @Override public Phase phase() { return Phase.BUS; }

        @Override public String describe() { return "virtioMmio: 8 virtio-mmio slots at 0x10001000"; }

        @Override public void assemble(MachineAssembly assembly) {
            VirtioMmioBus bus = new VirtioMmioBus(assembly, shmBase);
            assembly.services().add(VirtioTransportFactory.class, bus);
            assembly.services().add(DeviceTreeContributor.class, bus);
            assembly.services().add(VirtioMmioBus.class, bus);
        }
    }
}
