package io.drydock.osv;

import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.spi.MachineWord;
import org.pf4j.Extension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DSL word {@code osv cmdline: '/cli', tag: 'myfs', dax: true, bootTime: false, image: 'x.elf',
 * args: '--verbose'}: boots the OSv-like unikernel with its root file system on virtio-fs and runs the
 * application named first on the command line — as OSv's {@code run.py -e '/app args'}. It sets the
 * machine's kernel image (the prebuilt one inside this plugin unless {@code image} is given) and command
 * line: kernel options first ({@code --rootfs=virtiofs --virtiofs-tag=TAG}, {@code --nodax},
 * {@code --boot-time}), then the application and its arguments. Pair it with {@code pci} and a
 * {@code virtioFs} device of the same tag.
 */
@Extension
public final class OsvWord implements MachineWord {
    @Override public String name() { return "osv"; }

    @Override public String help() {
        return "osv cmdline: '/cli' [, tag: 'myfs', dax: true, bootTime: false, image: 'kernel.elf', args: '--verbose']"
                + " — the OSv-like unikernel, root file system on virtio-fs";
    }

    @Override public MachinePart create(Options o, List<Object> args) {
        String cmdline = args.isEmpty() ? o.string("cmdline", "/cli") : args.getFirst().toString();
        if (cmdline.isBlank() || !cmdline.trim().startsWith("/")) {
            throw o.error("cmdline must start with the application's absolute path, e.g. '/cli' or '/hello a b'");
        }
        String tag = o.string("tag", "myfs");
        boolean dax = o.bool("dax", true);
        boolean bootTime = o.bool("bootTime", false);
        Path image = o.path("image", null);
        String extra = o.string("args", "");
        o.finish();
        List<String> kernelArgs = new ArrayList<>(List.of("--rootfs=virtiofs", "--virtiofs-tag=" + tag));
        if (!dax) kernelArgs.add("--nodax");
        if (bootTime) kernelArgs.add("--boot-time");
        if (!extra.isBlank()) kernelArgs.add(extra.trim());
        return new Part(image, String.join(" ", kernelArgs), cmdline.trim());
    }

    private record Part(Path image, String kernelArgs, String cmdline) implements MachinePart {
        @Override public Phase phase() { return Phase.DEVICE; }

        @Override public String describe() {
            return "osv guest " + (image == null ? "(prebuilt image)" : image) + ": " + kernelArgs + " " + cmdline;
        }

        @Override public void configure(MachineSpec spec) {
            spec.kernel(image != null ? image : PrebuiltImage.path());
            // kernel options before the application; what the user appended (machine-level) stays kernel options
            String appended = spec.bootargs();
            spec.bootargs(kernelArgs + (appended.isBlank() ? "" : " " + appended) + " " + cmdline);
        }

        @Override public void assemble(MachineAssembly assembly) {
            // Nothing to build: the image and command line were set in configure; the board loads them.
        }
    }
}
