package io.drydock.virtiofs.device;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.virtio.VirtioTransportFactory;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.pf4j.Extension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The DSL word {@code virtioFs tag: 'myfs', dir: 'build/export', readonly: false, queues: 1, cache: 'auto',
 * xattr: false, transport: 'pci', slot: N, queueSize: 1024}: a virtio-fs device sharing a host directory,
 * attached to the machine's virtio-pci (default) or virtio-mmio transport.
 */
@Extension
public final class VirtioFsWord implements MachineWord {
    @Override public String name() { return "virtioFs"; }

    @Override public String help() {
        return "virtioFs tag: 'myfs', dir: 'DIR' [, readonly: true, queues: 1, cache: 'never|auto|always', "
                + "xattr: false, transport: 'pci|mmio', slot: N] — share a host directory over virtio-fs";
    }

    @Override public MachinePart create(Options o, List<Object> args) {
        if (!args.isEmpty()) throw o.error("takes only named options, e.g. virtioFs tag: 'myfs', dir: 'export'");
        String tag = o.requireString("tag");
        Path dir = o.path("dir", null);
        if (dir == null) throw o.error("needs dir: the host directory to share");
        if (!Files.isDirectory(dir)) throw o.error("dir '" + dir + "' is not a directory");
        PassthroughOptions fs = PassthroughOptions.defaults()
                .withReadonly(o.bool("readonly", false))
                .withCache(PassthroughOptions.CacheMode.parse(o.choice("cache", "auto", "never", "auto", "always")))
                .withXattr(o.bool("xattr", false));
        int queues = o.integer("queues", 1);
        int queueSize = o.integer("queueSize", 1024);
        String transport = o.choice("transport", "pci", "pci", "mmio");
        OptionalInt slot = o.has("slot") ? OptionalInt.of(o.integer("slot", 0)) : OptionalInt.empty();
        o.finish();
        return new Part(tag, dir.toAbsolutePath().normalize(), queues, queueSize, fs, transport, slot);
    }

    private record Part(String tag, Path dir, int queues, int queueSize, PassthroughOptions fs, String transport,
                        OptionalInt slot) implements MachinePart {
        Part {
            new VirtioFsConfig(tag, dir, queues, queueSize, fs, false); // validate now, at the word
        }

        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() {
            return "virtio-fs tag=" + tag + " dir=" + dir + " queues=" + queues + " cache="
                    + fs.cache().name().toLowerCase(java.util.Locale.ROOT) + (fs.readonly() ? " (read-only)" : "")
                    + " on " + transport;
        }

        @Override public void assemble(MachineAssembly a) {
            VirtioFsDevice device = new VirtioFsDevice(
                    new VirtioFsConfig(tag, dir, queues, queueSize, fs, a.spec().deterministic()), a.metrics());
            VirtioTransportFactory.require(a.services(), transport, "virtioFs").attach(device, slot);
            a.services().add(VirtioFsDevice.class, device);
        }
    }
}
