package io.drydock.virtiofs.device;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.virtio.VirtioTransportFactory;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.fuse.dax.DaxWindowFactory;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import io.drydock.virtiofs.vhostuser.VhostUserFrontend;
import org.pf4j.Extension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The DSL word {@code virtioFs tag: 'myfs', dir: 'build/export', readonly: false, queues: 1, cache: 'auto',
 * xattr: false, transport: 'pci', slot: N, queueSize: 1024, dax: 1.GiB}: a virtio-fs device sharing a host
 * directory, attached to the machine's virtio-pci (default) or virtio-mmio transport. {@code dax: SIZE} (a power
 * of two ≥ 4 KiB; default none) adds the DAX window, shared memory region 0, made by plugin-dax (found through
 * {@link DaxWindowFactory#find}, the machine's extension lookup); without it there is no window and SETUPMAPPING gets ENOSYS.
 * {@code virtioFs tag: 'myfs', socket: PATH [, queues: 1, queueSize: 1024, transport: 'pci', slot: N, dax: 1.GiB]}
 * instead hands the queues to a vhost-user backend listening at PATH (QEMU's C virtiofsd or {@code scripts/virtiofsd});
 * guest RAM is then a shared memory file. With {@code dax:} the window stays here and the backend maps into it
 * over the backend-request channel (FS_MAP/FS_UNMAP; only {@code scripts/virtiofsd} does).
 */
@Extension
public final class VirtioFsWord implements MachineWord {
    @Override public String name() { return "virtioFs"; }

    @Override public String help() {
        return "virtioFs tag: 'myfs', dir: 'DIR' [, readonly: true, queues: 1, cache: 'never|auto|always', "
                + "xattr: false, transport: 'pci|mmio', slot: N, dax: 1.GiB] — share a host directory over virtio-fs; "
                + "or virtioFs tag: 'myfs', socket: 'PATH' — served by a vhost-user backend (virtiofsd)";
    }

    @Override public MachinePart create(Options o, List<Object> args) {
        if (!args.isEmpty()) throw o.error("takes only named options, e.g. virtioFs tag: 'myfs', dir: 'export'");
        String tag = o.requireString("tag");
        if (o.has("socket")) return socketPart(o, tag);
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
        long dax = daxSize(o);
        o.finish();
        return new Part(tag, dir.toAbsolutePath().normalize(), queues, queueSize, fs, transport, slot, dax);
    }

    /** {@code virtioFs tag: T, socket: PATH}: the queues go to the vhost-user backend listening at PATH. */
    private static MachinePart socketPart(Options o, String tag) {
        String socket = o.requireString("socket");
        int queues = o.integer("queues", 1);
        int queueSize = o.integer("queueSize", 1024);
        String transport = o.choice("transport", "pci", "pci", "mmio");
        OptionalInt slot = o.has("slot") ? OptionalInt.of(o.integer("slot", 0)) : OptionalInt.empty();
        long dax = daxSize(o);
        o.finish();
        new VirtioFsConfig(tag, Path.of("/"), queues, queueSize, PassthroughOptions.defaults(), false); // validate tag and queues
        return new SocketPart(tag, socket, queues, queueSize, transport, slot, dax);
    }

    /** {@code dax: SIZE}, 0 for none. virtio 1.2 §4.1.4.7: the window fills a PCI BAR, whose size is a power of two. */
    private static long daxSize(Options o) {
        long dax = o.bytes("dax", 0);
        if (dax != 0 && (dax < 4096 || Long.bitCount(dax) != 1))
            throw o.error("dax: the window size must be a power of two of at least 4 KiB, was " + dax);
        return dax;
    }

    /**
     * The window's memory is reserved now and placed by the device when the transport assigns its BAR; made by
     * plugin-dax, found through the machine's extension lookup. Also a machine service ({@code dax()} lists it).
     */
    private static DaxRegion daxWindow(MachineAssembly a, String tag, long dax) {
        DaxWindowFactory factory = DaxWindowFactory.find(a).orElseThrow(() -> new MachineException(
                "virtioFs " + tag + " dax: no DAX window implementation is loaded (the 'dax' plugin, plugin-dax)"));
        try {
            DaxRegion w = factory.create(tag, dax, FuseServerConfig.defaults().mapAlignment(), a.memoryMap(), a.metrics());
            a.closeOnShutdown(w);
            a.services().add(DaxRegion.class, w);
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("virtioFs " + tag + ": cannot reserve a DAX window of " + Sizes.format(dax), e);
        }
    }

    private record SocketPart(String tag, String socket, int queues, int queueSize, String transport, OptionalInt slot,
                              long dax) implements MachinePart {
        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() {
            return "virtio-fs tag=" + tag + " vhost-user socket=" + socket + " queues=" + queues
                    + (dax != 0 ? " dax=" + Sizes.format(dax) : "") + " on " + transport;
        }

        /** The backend maps guest RAM: it must live in a memfd. */
        @Override public void configure(io.drydock.kernel.machine.MachineSpec spec) { spec.sharedRam(true); }

        @Override public void assemble(MachineAssembly a) {
            DaxRegion window = dax == 0 ? null : daxWindow(a, tag, dax);
            VhostUserFrontend backend;
            try {
                backend = VhostUserFrontend.connect(socket, window);
            } catch (IOException e) {
                throw new io.drydock.kernel.machine.MachineException("virtioFs " + tag + ": vhost-user backend at " + socket + ": " + e.getMessage(), e);
            }
            a.closeOnShutdown(backend);
            VhostUserFsDevice device = new VhostUserFsDevice(tag, queues, queueSize, backend, window);
            VirtioTransportFactory.require(a.services(), transport, "virtioFs").attach(device, slot);
        }
    }

    private record Part(String tag, Path dir, int queues, int queueSize, PassthroughOptions fs, String transport,
                        OptionalInt slot, long dax) implements MachinePart {
        Part {
            new VirtioFsConfig(tag, dir, queues, queueSize, fs, false); // validate now, at the word
        }

        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() {
            return "virtio-fs tag=" + tag + " dir=" + dir + " queues=" + queues + " cache="
                    + fs.cache().name().toLowerCase(java.util.Locale.ROOT) + (fs.readonly() ? " (read-only)" : "")
                    + (dax != 0 ? " dax=" + Sizes.format(dax) : "") + " on " + transport;
        }

        @Override public void assemble(MachineAssembly a) {
            DaxRegion window = dax == 0 ? null : daxWindow(a, tag, dax);
            VirtioFsDevice device = new VirtioFsDevice(
                    new VirtioFsConfig(tag, dir, queues, queueSize, fs, a.spec().deterministic()), a.metrics(), window);
            VirtioTransportFactory.require(a.services(), transport, "virtioFs").attach(device, slot);
            a.services().add(VirtioFsDevice.class, device);
        }

        /** Configured first, before any part is assembled: the FUSE warm-up starts as early as it can. */
        @Override public void configure(io.drydock.kernel.machine.MachineSpec spec) { ServerWarmUp.start(dir); }

    }
}
