package io.drydock.pci.rng;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.virtio.VirtioTransportFactory;
import org.pf4j.Extension;

import java.util.List;
import java.util.OptionalInt;

/**
 * {@code virtioRng [transport: 'pci'|'mmio'] [slot: n] [seed: n]}: a virtio entropy device, like QEMU's
 * {@code -device virtio-rng-pci,disable-legacy=on} (or {@code virtio-rng-device} on virtio-mmio). It finds
 * its transport through {@link VirtioTransportFactory} — no dependency on the PCI classes.
 */
@Extension
public final class VirtioRngWord implements MachineWord {
    @Override public String name() { return "virtioRng"; }

    @Override public String help() {
        return "virtioRng [transport: 'pci'] [slot: n] [seed: n] — virtio entropy device (needs 'pci' or 'virtioMmio')";
    }

    @Override public MachinePart create(Options options, List<Object> args) {
        if (!args.isEmpty()) throw options.error("takes no positional arguments");
        String transport = options.choice("transport", "pci", "pci", "mmio");
        OptionalInt slot = options.has("slot") ? OptionalInt.of(options.integer("slot", 0)) : OptionalInt.empty();
        Long seed = options.has("seed") ? (long) options.integer("seed", 0) : null;
        options.finish();
        return new Part(transport, slot, seed);
    }

    record Part(String transport, OptionalInt slot, Long seed) implements MachinePart {
        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() { return "virtio-rng on " + transport + (seed != null ? " (seed " + seed + ")" : ""); }

        @Override public void assemble(MachineAssembly assembly) {
            VirtioTransportFactory.require(assembly.services(), transport, "virtioRng").attach(new VirtioRngDevice(seed), slot);
        }
    }
}
